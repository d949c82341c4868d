import KLMath

/// The value axis of one sweep chart, decided in one place for the sweep view and its SVG
/// export so that both draw the same range and say the same about clipping.
///
/// The range runs from the lowest to the highest defined value of the quantity's curves. Over
/// `β`, a few points can flatten every other: the objective's `β log F` term falls to large
/// negative values at large `β` (−193 at `β = 1e3` where it is 1.19 at small `β`). When the
/// points with `β ≤ 10` (or up to the current `β`, when larger) span less than a tenth of the
/// whole range and values lie below them, the axis is clipped to them, padded by a tenth of
/// their span: lower values are drawn on the bottom edge and the chart's title says "clipped below … ; min …". A range of
/// one value is widened by a tenth of it (at least 0.5) on each side.
struct SweepRange: Equatable {
    /// The bottom and top of the axis.
    var low: Double
    var high: Double
    /// The lowest value of the curves when the axis is clipped above it; nil when nothing is clipped.
    var clippedMinimum: Double?

    /// The axis for `quantity` over `sweep`, whose current parameter value is `marker`; nil when
    /// no curve has a defined value.
    static func of(_ sweep: Sweep, quantity: SweepQuantity, marker: Double) -> SweepRange? {
        let curves = quantity.curves.map { curve in sweep.points.map { quantity.value($0, curve) } }
        let all = curves.flatMap { $0.compactMap { $0 } }
        guard let minimum = all.min(), let maximum = all.max() else { return nil }
        var range = SweepRange(low: minimum, high: maximum, clippedMinimum: nil)
        if sweep.axis == .beta {
            let kept = sweep.points.indices.filter { sweep.points[$0].parameter <= max(10, marker) }
            let near = curves.flatMap { curve in kept.compactMap { curve[$0] } }
            if let low = near.min(), let high = near.max(), (high - low) * 10 < maximum - minimum {
                let clipped = low - max((high - low) / 10, 1e-9 * abs(low))
                // Only when something lies below: a quantity that grows at large β (the MRPO gap) is not clipped.
                if minimum < clipped { range = SweepRange(low: clipped, high: maximum, clippedMinimum: minimum) }
            }
        }
        if range.high - range.low < 1e-9 * max(1, abs(range.high)) {
            let pad = max(0.5, abs(range.high) * 0.1)
            range.low -= pad
            range.high += pad
        }
        return range
    }

    /// Where `value` sits on the axis, from 0 (bottom) to 1 (top); clipped values sit at 0.
    func fraction(_ value: Double) -> Double {
        min(1, max(0, (value - low) / (high - low)))
    }
}
