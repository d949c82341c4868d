/// Names every policy a solution holds, for reports and charts.
public enum PolicyID: Hashable, Sendable {
    /// Reference `π_k` as given.
    case reference(Int)
    /// The generalized escort `π_G` (normalised weighted geometric mean).
    case escort
    /// The weighted arithmetic mixture `π_A`.
    case mixture
    /// The normalised weighted harmonic mean `π_H`, MRPO's virtual reference.
    case harmonic
    /// The exact reverse-KL optimum `π*_RKL`.
    case reverseKL
    /// The exact forward-KL optimum `π*_FKL`.
    case forwardKL
    /// MRPO's approximation `π ∝ π_H exp(r/β)`.
    case mrpo
    /// The reverse-KL optimum with reference `k` alone (computed when asked for).
    case singleReverseKL(Int)
    /// The forward-KL optimum with reference `k` alone (computed when asked for).
    case singleForwardKL(Int)
}

/// Every policy, root and optimal value MATH.md defines for one problem.
///
/// Policies that need the support intersection are nil when it is empty; `Solution`
/// never holds a NaN for finite input. The single-reference optima enter only through their
/// values (the bounds), so a solution stores no policy per reference; `policy(_:)` computes
/// one when asked.
public struct Solution: Sendable {
    /// The problem this solves.
    public let problem: Problem
    /// `I` and `U`.
    public let supports: Supports
    /// `π_G`, nil when `I` is empty.
    public let escort: Policy?
    /// `log F`, where `F = Σ_y Π_k π_k(y)^{α_k} ≤ 1`; nil when `I` is empty.
    public let logEscortNormaliser: Double?
    /// `π_A`.
    public let mixture: Policy
    /// `π_H`, nil when `I` is empty.
    public let harmonic: Policy?
    /// `π*_RKL`, nil when `I` is empty.
    public let reverseKL: Policy?
    /// `π*_FKL` with its root and escaped mass.
    public let forwardKL: ForwardKL.Solution
    /// `π_MRPO`, nil when `I` is empty.
    public let mrpo: Policy?
    /// `max J_RKL`, nil when `I` is empty (the objective is `−∞` everywhere).
    public let reverseKLValue: Double?
    /// `Σ_k α_k max J_k`, Hölder's upper bound on `max J_RKL`.
    public let reverseKLBound: Double
    /// `max J_k` for every reference.
    public let singleReverseKLValues: [Double]
    /// `max J_FKL`.
    public let forwardKLValue: Double
    /// The diagnostics of `π*_FKL`, computed for `max J_FKL` and kept so that `metrics` need not repeat them.
    public let forwardKLMetrics: PolicyMetrics
    /// `Σ_k α_k max J_FKL,k`, the upper bound on `max J_FKL`.
    public let forwardKLBound: Double
    /// `max J_FKL,k` for every reference.
    public let singleForwardKLValues: [Double]
    /// `max J_RKL − J_RKL(π_MRPO) = β KL(π_MRPO ‖ π*_RKL)`, nil when `I` is empty.
    public let mrpoGap: Double?
    /// `β log Σ_y π_H(y) exp(r(y)/β)`, the maximum of MRPO's surrogate objective
    /// `E_π[r] − β KL(π ‖ π_H)`, attained at `π_MRPO`; nil when `I` is empty. (Le et al.'s lower
    /// bound on `J_RKL` is this objective plus `β log Σ_y (Σ_k α_k/π_k(y))^{-1}`, a constant of the references.)
    public let mrpoValue: Double?

    /// What the references and weights alone determine; reused by later solves that change only `β` or `r`.
    public let aggregates: ReferenceAggregates
    /// Whether this solve computed `aggregates` (false when it reused a previous solve's): the
    /// count, 0 or 1, of the passes over the references that only a change of them needs.
    public let computedAggregates: Bool

    /// Solves `problem` completely. Pass the previous solution when only `β` or the rewards
    /// changed: its reference aggregates are reused when they still match.
    public init(_ problem: Problem, reusing previous: Solution?) {
        self.init(problem, reusing: previous?.aggregates)
    }

    /// Solves `problem`, reusing `aggregates` when they were computed from the same references
    /// and weights (a caller that keeps only the aggregates can free the old policies first).
    public init(_ problem: Problem, reusing aggregates: ReferenceAggregates? = nil) {
        self.problem = problem
        let reusable = aggregates.flatMap { $0.matches(problem) ? $0 : nil }
        let aggregates = reusable ?? ReferenceAggregates(problem)
        self.aggregates = aggregates
        computedAggregates = reusable == nil
        supports = aggregates.supports
        escort = aggregates.escort?.policy
        logEscortNormaliser = aggregates.escort?.logF
        mixture = aggregates.mixture
        harmonic = aggregates.harmonic

        // Independent pieces: the exact RKL with MRPO, the FKL on π_A, every reference's RKL value
        // alone (one pass of exponentials shared by all), and each reference's FKL value alone.
        let k = problem.referenceCount
        let pieces = Parallel.map(3 + k, parallel: problem.responseCount >= Parallel.threshold) { index -> SolvePiece in
            switch index {
            case 0: .reverse(Solution.reverseAndMRPO(problem, aggregates))
            case 1: .forward(Solution.forward(problem, aggregates))
            case 2: .singleReverse(ReverseKL.singleValues(problem, probabilities: aggregates.probabilities))
            default:
                .singleForward(ForwardKL.singleValue(problem, reference: index - 3, probabilities: aggregates.probabilities[index - 3]))
            }
        }
        var reverse: ReverseAndMRPO?
        var forward: (ForwardKL.Solution, PolicyMetrics)?
        var singleReverse: [Double] = []
        var singleForward: [Double] = []
        for piece in pieces {
            switch piece {
            case .reverse(let value): reverse = value
            case .forward(let value): forward = value
            case .singleReverse(let values): singleReverse = values
            case .singleForward(let value): singleForward.append(value)
            }
        }
        reverseKL = reverse?.policy
        reverseKLValue = reverse?.value
        mrpo = reverse?.mrpo
        mrpoGap = reverse?.mrpoGap
        mrpoValue = reverse?.mrpoValue
        forwardKL = forward!.0
        forwardKLMetrics = forward!.1
        forwardKLValue = forwardKLMetrics.forwardKLObjective
        let active = problem.activeReferences
        if active.count == 1, let value = reverse?.value {
            // All the weight on one reference: its single-reference problem is the problem
            // solved above, so its values are those values (computed apart, they would differ
            // by rounding, which β multiplies: by 2e-8 at β = 2·10^7, with the bound then below
            // the value it bounds).
            singleReverse[active[0]] = value
            singleForward[active[0]] = forwardKLValue
        }
        singleReverseKLValues = singleReverse
        singleForwardKLValues = singleForward
        reverseKLBound = active.reduce(0) { $0 + problem.weights[$1] * singleReverse[$1] }
        forwardKLBound = active.reduce(0) { $0 + problem.weights[$1] * singleForward[$1] }
    }

    /// `π*_RKL`, `max J_RKL`, `π_MRPO` and the MRPO gap; nil when `I` is empty.
    private static func reverseAndMRPO(_ problem: Problem, _ aggregates: ReferenceAggregates) -> ReverseAndMRPO? {
        guard let exact = ReverseKL.solve(problem, escort: aggregates.escort),
              let harmonic = aggregates.harmonic,
              let approximation = ReverseKL.tilt(logReference: harmonic.logProbabilities, rewards: problem.rewards, beta: problem.beta)
        else { return nil }
        let gap = problem.beta * Divergence.kl(approximation.policy.logProbabilities, exact.policy.logProbabilities)
        return ReverseAndMRPO(policy: exact.policy, value: exact.value, mrpo: approximation.policy,
                              mrpoValue: approximation.value, mrpoGap: gap)
    }

    /// `π*_FKL` and its diagnostics (with `max J_FKL`).
    private static func forward(_ problem: Problem, _ aggregates: ReferenceAggregates) -> (ForwardKL.Solution, PolicyMetrics) {
        let solution = ForwardKL.solve(problem, mixture: aggregates.mixture)
        return (solution, PolicyMetrics(solution.policy, in: problem, referenceProbabilities: aggregates.probabilities))
    }

    /// The diagnostics of several policies (nil where a policy does not exist), computed in
    /// parallel for large problems; those of `π*_FKL` are the ones the solve kept.
    public func metrics(_ ids: [PolicyID]) -> [PolicyMetrics?] {
        Parallel.map(ids.count, parallel: problem.responseCount >= Parallel.threshold) { index in
            ids[index] == .forwardKL ? forwardKLMetrics : policy(ids[index]).map { PolicyMetrics($0, in: self) }
        }
    }

    /// The policy with this name, or nil when it does not exist (empty intersection). The
    /// single-reference optima are solved anew on each call.
    public func policy(_ id: PolicyID) -> Policy? {
        switch id {
        case .reference(let k): Policy(logProbabilities: problem.logReferences[k])
        case .escort: escort
        case .mixture: mixture
        case .harmonic: harmonic
        case .reverseKL: reverseKL
        case .forwardKL: forwardKL.policy
        case .mrpo: mrpo
        case .singleReverseKL(let k): ReverseKL.solveSingle(problem, reference: k).policy
        case .singleForwardKL(let k): ForwardKL.solveSingle(problem, reference: k, probabilities: aggregates.probabilities[k]).policy
        }
    }
}

/// The exact reverse-KL optimum together with MRPO's approximation of it.
private struct ReverseAndMRPO: Sendable {
    let policy: Policy
    let value: Double
    let mrpo: Policy
    let mrpoValue: Double
    let mrpoGap: Double
}

/// One independently computed part of a solution.
private enum SolvePiece: Sendable {
    case reverse(ReverseAndMRPO?)
    case forward((ForwardKL.Solution, PolicyMetrics))
    case singleReverse([Double])
    case singleForward(Double)
}
