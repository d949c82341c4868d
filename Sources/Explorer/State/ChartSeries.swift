import KLMath

// The chart draws policies named by KLMath's `PolicyID` (and named on screen by `PolicyName`);
// these are the orders it lists them in. The single-reference optima are values only: the
// chart does not draw them.

extension PolicyID {
    /// Every policy the chart can draw, in chart and legend order: the references, then π_G,
    /// π_A, π_H, RKL*, FKL*, MRPO; `1`…`9` toggle them in this order.
    public static func charted(referenceCount: Int) -> [PolicyID] {
        (0..<referenceCount).map(PolicyID.reference) + [.escort, .mixture, .harmonic, .reverseKL, .forwardKL, .mrpo]
    }

    /// The policies of the numbers panel, in its order: the optima and averages first, then
    /// the harmonic mean and the references.
    public static func numbered(referenceCount: Int) -> [PolicyID] {
        [.escort, .mixture, .reverseKL, .forwardKL, .mrpo, .harmonic] + (0..<referenceCount).map(PolicyID.reference)
    }
}
