import Foundation
import KLMath
import KLScenario
import TerminalUI

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

/// The parameter axis of one sweep chart, decided in one place for the sweep view and its SVG
/// export: `β` on a log scale with a tick at each decade, a weight from 0 to 1 with a tick at
/// each quarter, and which points stand alone.
struct SweepAxis {
    /// Whether the axis is `log10 β`.
    let logScale: Bool

    init(_ axis: Sweep.Axis) { logScale = axis == .beta }

    /// Where `parameter` sits on the axis: `log10 β`, or the weight itself.
    func position(_ parameter: Double) -> Double { logScale ? log10(parameter) : parameter }

    /// The whole range the explorer sweeps, in axis positions (a finished sweep starts and ends
    /// exactly there; a running one has only its first points).
    var bounds: (low: Double, high: Double) {
        logScale ? (log10(Sweep.defaultBetaRange.lowerBound), log10(Sweep.defaultBetaRange.upperBound)) : (0, 1)
    }

    /// The ticks from `low` to `high` (axis positions) with their labels.
    func ticks(low: Double, high: Double, ascii: Bool) -> [(position: Double, label: String)] {
        logScale
            ? LogAxis.decades(from: low, to: high).map { (Double($0), NumberFormat.short(pow(10, Double($0)), digits: 1, ascii: ascii)) }
            : [(0, "0"), (0.25, "0.25"), (0.5, "0.5"), (0.75, "0.75"), (1, "1")].filter { $0.0 >= low && $0.0 <= high }
    }

    /// The points drawn on their own, not joined to the curve: the ends of a weight sweep turn
    /// a reference off, so the support jumps there. (A sweep still being computed has no second end yet.)
    static func separatePoints(_ sweep: Sweep) -> Set<Int> {
        guard sweep.axis == .weight, !sweep.points.isEmpty else { return [] }
        return Set([0] + (sweep.points.last?.parameter == 1 ? [sweep.points.count - 1] : []))
    }
}
