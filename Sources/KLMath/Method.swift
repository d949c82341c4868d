/// The three ways of regularising towards several references that klscope compares: the
/// exact reverse-KL and forward-KL optima and MRPO's approximation. The sweeps, the coverage lab
/// and their reports name methods with this one type (`rawValue` is the command-line, CSV and
/// JSON key); the policy each produces is `policyID`, named by `PolicyName`.
public enum KLMethod: String, CaseIterable, Sendable, Hashable {
    /// Reverse KL, exact solution `π ∝ π_G exp(r/β)`.
    case reverseKL = "rkl"
    /// Forward KL, `π = β π_A / (λ − r)`.
    case forwardKL = "fkl"
    /// MRPO's approximation `π ∝ π_H exp(r/β)`, judged in the exact reverse-KL objective.
    case mrpo

    /// `RKL`, `FKL`, `MRPO`: the method (its policy is `RKL*`, `FKL*`, `MRPO` in `PolicyName`).
    public var title: String {
        switch self {
        case .reverseKL: "RKL"
        case .forwardKL: "FKL"
        case .mrpo: "MRPO"
        }
    }

    /// The policy this method produces.
    public var policyID: PolicyID {
        switch self {
        case .reverseKL: .reverseKL
        case .forwardKL: .forwardKL
        case .mrpo: .mrpo
        }
    }

    /// `max J` in the exact objective the method is judged by; nil when it does not exist.
    func optimalValue(_ solution: Solution) -> Double? {
        self == .forwardKL ? solution.forwardKLValue : solution.reverseKLValue
    }

    /// The exact objective the method is judged by, at `policy`.
    func objective(_ policy: Policy, _ problem: Problem) -> Double {
        self == .forwardKL ? Objective.forwardKL(policy, problem) : Objective.reverseKL(policy, problem)
    }

    /// The maximum of the objective the method optimises (MRPO's is its surrogate).
    func ownValue(_ solution: Solution) -> Double? {
        self == .mrpo ? solution.mrpoValue : optimalValue(solution)
    }
}

extension KLMethod {
    /// The paper's default sampler in the coverage lab: `π_G` for RKL and MRPO, `π_A` for FKL.
    public var defaultSampler: CoverageLab.Sampler { self == .forwardKL ? .mixture : .escort }
}
