extension CoverageLab {
    /// The large-m constants of one method (MATH.md, "Large-m theory of the lab"):
    /// `lim m·E[sub-optimality gap]` and `lim √m·E[optimality gap]`, nil with a reason where no such limit exists.
    public struct Theory: Sendable, Equatable {
        /// The method.
        public let method: KLMethod
        /// `lim m·E[sub-optimality gap]`, or nil.
        public let suboptimalityConstant: Double?
        /// `lim √m·E[optimality gap]`, or nil.
        public let optimalityConstant: Double?
        /// Why a constant is nil; nil when both exist.
        public let reason: String?
        /// The responses where the optimum has mass the sampler never draws.
        public var missed: [Int] = []
        /// `lim E[sub-optimality gap]` where it is not 0: MRPO's, the MRPO gap `β KL(π_MRPO ‖ π*_RKL)`
        /// (MRPO is judged in the exact RKL objective); nil otherwise.
        public var suboptimalityLimit: Double?

        /// The constant of `gap`: `lim m·E[gap]` (sub-optimality) or `lim √m·E[gap]` (optimality), nil where none exists.
        public func constant(_ gap: Gap) -> Double? {
            gap == .suboptimality ? suboptimalityConstant : optimalityConstant
        }

        /// The large-m prediction of the mean `gap` at `m` pairs: the constant over `m` or `√m`; nil without one.
        public func prediction(_ gap: Gap, pairs m: Int) -> Double? {
            constant(gap).map { gap == .suboptimality ? $0 / Double(m) : $0 / Double(m).squareRoot() }
        }

        /// What the large-m theory draws for the mean `gap` at `m` (the lab view's and its SVG's
        /// lines): the prediction, or where the gap tends to a limit other than 0, that limit.
        public func line(_ gap: Gap, pairs m: Int) -> Double? {
            prediction(gap, pairs: m) ?? (gap == .suboptimality ? suboptimalityLimit : nil)
        }
    }

    /// The large-m constants of every method whose optimum and sampler exist in `solution`.
    public static func theory(_ solution: Solution, samplers: [KLMethod: Sampler] = [:]) -> [Theory] {
        let problem = solution.problem
        return KLMethod.allCases.compactMap { method in
            let sampler = samplers[method] ?? method.defaultSampler
            guard let target = solution.policy(method.policyID), let rho = solution.policy(sampler.policyID) else { return nil }
            let support = rho.logProbabilities.indices.filter { rho.logProbabilities[$0] > -.infinity }
            let optimum = target.probabilities
            let missed = optimum.indices.filter { optimum[$0] > 0 && rho.logProbabilities[$0] == -.infinity }
            guard missed.isEmpty else {
                return Theory(method: method, suboptimalityConstant: nil, optimalityConstant: nil,
                              reason: "the sampler never draws part of the optimum: the gap levels off, no 1/m limit", missed: missed)
            }
            let sigma = rewardCovariance(rho.probabilities, rewards: problem.rewards, on: support)
            let pi = support.map { optimum[$0] }
            let optimality = (2 / Double.pi).squareRoot() * quadratic(sigma, pi).squareRoot()
            switch method {
            case .reverseKL:
                // tr(C Σ)/(2β), C = diag(π*) − π* π*ᵀ.
                let trace = support.indices.reduce(0.0) { $0 + pi[$1] * sigma[$1][$1] } - quadratic(sigma, pi)
                return Theory(method: method, suboptimalityConstant: trace / (2 * problem.beta), optimalityConstant: optimality, reason: nil)
            case .forwardKL:
                // tr(W Σ)/2, w = π*²/(β π_A), W = diag(w) − w wᵀ / Σ w.
                let mixture = solution.mixture.probabilities
                let w = support.map { optimum[$0] * optimum[$0] / (problem.beta * mixture[$0]) }
                let total = w.reduce(0, +)
                let trace = support.indices.reduce(0.0) { $0 + w[$1] * sigma[$1][$1] } - quadratic(sigma, w) / total
                return Theory(method: method, suboptimalityConstant: trace / 2, optimalityConstant: optimality, reason: nil)
            case .mrpo:
                return Theory(method: method, suboptimalityConstant: nil, optimalityConstant: optimality,
                              reason: "MRPO's sub-optimality tends to the MRPO gap β KL(π_MRPO ‖ π*_RKL), not to 0",
                              suboptimalityLimit: solution.mrpoGap)
            }
        }
    }

    /// `Σ = P 𝓘⁺ P` on `support`: the asymptotic covariance (times m) of the Bradley–Terry MLE
    /// for pairs drawn i.i.d. from `rho`. The Fisher matrix is a weighted Laplacian of the
    /// complete graph on the support, so `𝓘⁺ = (𝓘 + 11ᵀ/n)⁻¹ − 11ᵀ/n` and `P 𝓘⁺ P = 𝓘⁺`.
    static func rewardCovariance(_ rho: [Double], rewards: [Double], on support: [Int]) -> [[Double]] {
        let n = support.count
        let average = 1 / Double(n)
        var fisher = [[Double]](repeating: [Double](repeating: average, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                let d = rewards[support[i]] - rewards[support[j]]
                // Ordered pairs (i, j) and (j, i) each contribute ρ_i ρ_j σ(d) σ(−d).
                let weight = 2 * rho[support[i]] * rho[support[j]] * BradleyTerry.sigmoid(d) * BradleyTerry.sigmoid(-d)
                fisher[i][i] += weight
                fisher[i][j] -= weight
            }
        }
        let flat = fisher.flatMap { $0 }
        return (0..<n).map { i in
            var factor = flat
            let column = Cholesky.solve(&factor, size: n, (0..<n).map { $0 == i ? 1 : 0 })
            return column.map { $0 - average }
        }
    }

    /// `vᵀ A v`.
    static func quadratic(_ a: [[Double]], _ v: [Double]) -> Double {
        v.indices.reduce(0.0) { sum, i in sum + v[i] * v.indices.reduce(0.0) { $0 + a[i][$1] * v[$1] } }
    }
}

extension CoverageLab {
    /// The large-m constants at each β of `betas` (MATH.md, "Large-m theory of the lab"): no
    /// sampling, one solve per β. Shows how far from a plain `1/β` factor the constants move.
    public static func theoryOverBeta(_ problem: Problem, betas: [Double],
                                      samplers: [KLMethod: Sampler] = [:]) -> [(beta: Double, theory: [Theory])] {
        betas.map { beta in
            var atBeta = problem
            atBeta.beta = beta
            return (beta, theory(Solution(atBeta), samplers: samplers))
        }
    }

    /// `steps` values from `low` to `high`, evenly spaced in log scale (both ends included).
    public static func logSpaced(from low: Double, to high: Double, steps: Int) -> [Double] {
        precondition(low > 0 && high >= low && steps >= 1, "a log grid needs 0 < low ≤ high and a step")
        guard steps > 1 else { return [low] }
        return (0..<steps).map { i in i == steps - 1 ? high : low * pow(high / low, Double(i) / Double(steps - 1)) }
    }
}
