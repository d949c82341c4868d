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
    /// The reverse-KL optimum with reference `k` alone.
    case singleReverseKL(Int)
    /// The forward-KL optimum with reference `k` alone.
    case singleForwardKL(Int)
}

/// Every policy, root and optimal value MATH.md defines for one problem.
///
/// Policies that need the support intersection are nil when it is empty; `Solution`
/// never holds a NaN for finite input.
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
    /// `π*_k` for every reference (active or not).
    public let singleReverseKL: [Policy]
    /// The single-reference forward-KL optimum for every reference.
    public let singleForwardKL: [ForwardKL.Solution]

    /// `max J_RKL`, nil when `I` is empty (the objective is `−∞` everywhere).
    public let reverseKLValue: Double?
    /// `Σ_k α_k max J_k`, Hölder's upper bound on `max J_RKL`.
    public let reverseKLBound: Double
    /// `max J_k` for every reference.
    public let singleReverseKLValues: [Double]
    /// `max J_FKL`.
    public let forwardKLValue: Double
    /// `Σ_k α_k max J_FKL,k`, the upper bound on `max J_FKL`.
    public let forwardKLBound: Double
    /// `max J_FKL,k` for every reference.
    public let singleForwardKLValues: [Double]
    /// `max J_RKL − J_RKL(π_MRPO) = β KL(π_MRPO ‖ π*_RKL)`, nil when `I` is empty.
    public let mrpoGap: Double?

    /// Solves `problem` completely.
    public init(_ problem: Problem) {
        self.problem = problem
        let supports = Supports(problem)
        self.supports = supports
        let beta = problem.beta
        let rewards = problem.rewards
        let active = problem.activeReferences

        let escortAndNormaliser = Aggregates.generalizedEscort(problem, supports: supports)
        escort = escortAndNormaliser?.policy
        logEscortNormaliser = escortAndNormaliser?.logF
        mixture = Aggregates.mixture(problem)
        harmonic = Aggregates.harmonicMean(problem, supports: supports)

        let exact = ReverseKL.solve(problem, supports: supports)
        reverseKL = exact?.policy
        reverseKLValue = exact?.value
        if let harmonic, let exact {
            let approximation = ReverseKL.tilt(logReference: harmonic.logProbabilities, rewards: rewards, beta: beta)!.policy
            mrpo = approximation
            mrpoGap = beta * Divergence.kl(approximation.logProbabilities, exact.policy.logProbabilities)
        } else {
            mrpo = nil
            mrpoGap = nil
        }

        let singles = problem.logReferences.indices.map { ReverseKL.solveSingle(problem, reference: $0) }
        singleReverseKL = singles.map(\.policy)
        singleReverseKLValues = singles.map(\.value)
        reverseKLBound = active.reduce(0) { $0 + problem.weights[$1] * singles[$1].value }

        let forward = ForwardKL.solve(problem, mixture: mixture)
        forwardKL = forward
        forwardKLValue = Objective.forwardKL(forward.policy, problem)
        let forwardSingles = problem.logReferences.indices.map { ForwardKL.solveSingle(problem, reference: $0) }
        singleForwardKL = forwardSingles
        let forwardSingleValues = forwardSingles.indices.map { k in
            Divergence.expectation(forwardSingles[k].policy.logProbabilities, of: rewards)
                - beta * Divergence.kl(problem.logReferences[k], forwardSingles[k].policy.logProbabilities)
        }
        singleForwardKLValues = forwardSingleValues
        forwardKLBound = active.reduce(0) { $0 + problem.weights[$1] * forwardSingleValues[$1] }
    }

    /// The policy with this name, or nil when it does not exist (empty intersection).
    public func policy(_ id: PolicyID) -> Policy? {
        switch id {
        case .reference(let k): Policy(logProbabilities: problem.logReferences[k])
        case .escort: escort
        case .mixture: mixture
        case .harmonic: harmonic
        case .reverseKL: reverseKL
        case .forwardKL: forwardKL.policy
        case .mrpo: mrpo
        case .singleReverseKL(let k): singleReverseKL[k]
        case .singleForwardKL(let k): singleForwardKL[k].policy
        }
    }
}
