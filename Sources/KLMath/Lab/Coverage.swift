/// The coverage coefficients the paper's theorems are stated in, for one sampling policy `ρ`
/// and one target optimum `π*` (MATH.md, "Coverage coefficients", Assumptions 4.3–4.5).
/// Infinite coefficients are `+∞`.
public struct CoverageCoefficients: Sendable, Equatable {
    /// Which KL ball the local coefficient is taken over.
    public enum Ball: String, Sendable, Equatable {
        /// `{π : KL(π ‖ ρ) ≤ ε}` [Assumption 4.4].
        case reverseKL = "reverse-kl"
        /// `{π : KL(ρ ‖ π) ≤ ε}` [Assumption 4.5].
        case forwardKL = "forward-kl"
    }

    /// `C_glob(ρ) = 1 / min_{y ∈ supp ρ} ρ(y)`.
    public let global: Double
    /// `C*(ρ) = max_y π*(y)/ρ(y)`; `+∞` when `π*` puts mass outside `supp ρ`.
    public let single: Double
    /// `C_ε(ρ) = max_{y ∈ supp ρ} t_y/ρ(y)` over the ball.
    public let local: Double
    /// The ball's radius `ε`.
    public let epsilon: Double
    /// The ball the local coefficient uses.
    public let ball: Ball

    /// The coefficients of `sampler` for `target`; `epsilon` defaults to the smallest ball
    /// holding the target: `KL(π* ‖ ρ)` for the reverse ball, `KL(ρ ‖ π*)` for the forward one.
    public init(sampler: Policy, target: Policy, ball: Ball, epsilon: Double? = nil) {
        let rho = sampler.logProbabilities
        let radius = epsilon ?? (ball == .reverseKL ? Divergence.kl(target.logProbabilities, rho)
                                                     : Divergence.kl(rho, target.logProbabilities))
        var smallest = Double.infinity, local = 0.0
        for y in rho.indices where rho[y] > -.infinity {
            let p = exp(rho[y])
            smallest = min(smallest, p)
            local = max(local, Self.largestMass(p, within: radius, ball) / p)
        }
        self.global = 1 / smallest
        self.single = Divergence.coverage(target.logProbabilities, over: rho)
        self.local = local
        self.epsilon = radius
        self.ball = ball
    }

    /// The largest `t ∈ [p, 1]` whose two-point divergence from `p` (in the ball's direction) is
    /// at most `epsilon`: the most mass a policy of the ball can put on a response `ρ` gives `p`.
    public static func largestMass(_ p: Double, within epsilon: Double, _ ball: Ball) -> Double {
        guard p < 1, epsilon > 0 else { return p }
        let divergence: (Double) -> Double = ball == .reverseKL
            ? { t in binaryKL(t, p) } : { t in binaryKL(p, t) }
        if divergence(1) <= epsilon { return 1 }
        var low = p, high = 1.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            guard middle > low, middle < high else { break }
            if divergence(middle) <= epsilon { low = middle } else { high = middle }
        }
        return low
    }

    /// `KL(Bernoulli(a) ‖ Bernoulli(b))` with `0 log 0 = 0`; `+∞` where `b` has no mass `a` needs.
    static func binaryKL(_ a: Double, _ b: Double) -> Double {
        func term(_ x: Double, _ y: Double) -> Double {
            guard x > 0 else { return 0 }
            return y > 0 ? x * log(x / y) : .infinity
        }
        return max(0, term(a, b) + term(1 - a, 1 - b))
    }
}

/// The App. G relation for several references: `1/π_G(y) = F · Π_k (1/π_k(y))^{α_k}` on `I`,
/// so `C_glob(π_G) ≤ F · Π_k C_glob,k^{α_k}` with `C_glob,k` taken on `I`.
public struct EscortCoverageBound: Sendable, Equatable {
    /// `C_glob(π_G)`, the left side.
    public let escortGlobal: Double
    /// `F · Π_k C_glob,k^{α_k}`, the right side.
    public let bound: Double
    /// The normaliser `F = Σ_{y ∈ I} Π_k π_k(y)^{α_k}`.
    public let normaliser: Double
    /// `C_glob,k = 1 / min_{y ∈ I} π_k(y)` per reference (active or not).
    public let referenceGlobals: [Double]

    /// Both sides for `problem`; nil when the intersection is empty.
    public init?(_ problem: Problem, aggregates: ReferenceAggregates) {
        guard let escort = aggregates.escort else { return nil }
        let intersection = aggregates.supports.intersection
        let globals = problem.logReferences.map { logs in
            1 / exp(logs.indices.filter { intersection[$0] }.map { logs[$0] }.min() ?? 0)
        }
        var logBound = escort.logF
        for k in problem.activeReferences { logBound += problem.weights[k] * log(globals[k]) }
        self.escortGlobal = CoverageCoefficients(sampler: escort.policy, target: escort.policy, ball: .reverseKL).global
        self.bound = exp(logBound)
        self.normaliser = exp(escort.logF)
        self.referenceGlobals = globals
    }
}

extension CoverageLab {
    /// The coverage coefficients of one method for its sampler (MATH.md: the reverse-KL ball for
    /// RKL and MRPO, the forward-KL ball for FKL, each with the smallest `ε` holding the optimum).
    public struct MethodCoverage: Sendable, Equatable {
        /// The method.
        public let method: KLMethod
        /// The sampler the coefficients are taken for.
        public let sampler: Sampler
        /// The coefficients.
        public let coefficients: CoverageCoefficients
    }

    /// The coverage of every method whose optimum and sampler exist in `solution`.
    public static func coverage(_ solution: Solution, samplers: [KLMethod: Sampler] = [:]) -> [MethodCoverage] {
        KLMethod.allCases.compactMap { method in
            let sampler = samplers[method] ?? method.defaultSampler
            guard let target = solution.policy(method.policyID), let policy = solution.policy(sampler.policyID) else { return nil }
            let ball: CoverageCoefficients.Ball = method == .forwardKL ? .forwardKL : .reverseKL
            return MethodCoverage(method: method, sampler: sampler,
                                  coefficients: CoverageCoefficients(sampler: policy, target: target, ball: ball))
        }
    }
}
