/// A focusable control of the control panel; Tab and Shift-Tab cycle through them in
/// the order of `Control.all(referenceCount:)`.
public enum Control: Sendable, Hashable {
    /// The regularisation strength `β` (logarithmic slider).
    case beta
    /// The weight `α_k` of reference `k`.
    case weight(Int)
    /// The reward of the selected response.
    case reward
    /// The probability of the selected response under reference `k`.
    case probability(Int)

    /// The range of the `β` slider's log scale.
    public static let betaScale: ClosedRange<Double> = 1e-3...1e3

    /// Every control, in focus order, for a scenario with `referenceCount` references.
    public static func all(referenceCount: Int) -> [Control] {
        [.beta] + (0..<referenceCount).map(Control.weight) + [.reward]
            + (0..<referenceCount).map(Control.probability)
    }

    /// The reference this control belongs to, if any (weights and probabilities).
    public var reference: Int? {
        switch self {
        case .weight(let k), .probability(let k): k
        case .beta, .reward: nil
        }
    }
}
