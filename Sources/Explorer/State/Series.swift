import KLMath

/// One policy the chart can draw as a series of bars; `1`…`9` toggle them in the order
/// of `Series.all(referenceCount:)`.
public enum Series: Sendable, Hashable {
    /// Reference `π_k`.
    case reference(Int)
    /// The generalized escort `π_G`.
    case escort
    /// The mixture `π_A`.
    case mixture
    /// The harmonic mean `π_H` (MRPO's virtual reference).
    case harmonic
    /// The reverse-KL optimum.
    case reverseKL
    /// The forward-KL optimum.
    case forwardKL
    /// MRPO's approximation of the reverse-KL optimum.
    case mrpo

    /// Every series, in chart and legend order.
    public static func all(referenceCount: Int) -> [Series] {
        (0..<referenceCount).map(Series.reference) + [.escort, .mixture, .harmonic, .reverseKL, .forwardKL, .mrpo]
    }

    /// The policies of the numbers panel, in its order: the optima and averages first, then
    /// the harmonic mean and the references.
    public static func numbered(referenceCount: Int) -> [Series] {
        [.escort, .mixture, .reverseKL, .forwardKL, .mrpo, .harmonic] + (0..<referenceCount).map(Series.reference)
    }

    /// The solver's name for this policy.
    public var policyID: PolicyID {
        switch self {
        case .reference(let k): .reference(k)
        case .escort: .escort
        case .mixture: .mixture
        case .harmonic: .harmonic
        case .reverseKL: .reverseKL
        case .forwardKL: .forwardKL
        case .mrpo: .mrpo
        }
    }
}

extension Series {
    /// The series of the policy `method` produces.
    public init(_ method: KLMethod) {
        switch method {
        case .reverseKL: self = .reverseKL
        case .forwardKL: self = .forwardKL
        case .mrpo: self = .mrpo
        }
    }
}
