import KLMath
import Foundation

/// How long a bar is for a probability (`b` cycles): against the largest visible value
/// (automatic), against a maximum kept while β and the rest change (fixed), or on a
/// logarithmic axis of `decades` decades below the largest visible value.
public enum BarScale: Sendable, Equatable {
    /// The full bar is the largest value of any visible series, recomputed after every edit.
    case automatic
    /// The full bar is this probability, whatever the edits; longer bars are clipped.
    case fixed(Double)
    /// The full bar is the largest visible value; each decade below it takes 1/`decades` of the bar.
    case logarithmic

    /// The decades a logarithmic bar spans, from empty to full.
    public static let decades = 6.0

    /// The probability a full bar stands for, given the largest visible one.
    public func full(largest: Double) -> Double {
        if case .fixed(let value) = self { return value }
        return largest
    }

    /// The fraction of the full bar that `p` fills (0…1; 0 for p = 0 on every scale).
    public func fraction(_ p: Double, largest: Double) -> Double {
        let full = full(largest: largest)
        guard p > 0, full > 0 else { return 0 }
        switch self {
        case .automatic, .fixed: return min(1, p / full)
        case .logarithmic: return min(1, max(0, 1 + log10(p / full) / Self.decades))
        }
    }

    /// The probability at `fraction` of the full bar (the inverse of `fraction`), for axis labels.
    public func value(atFraction fraction: Double, largest: Double) -> Double {
        let full = full(largest: largest)
        switch self {
        case .automatic, .fixed: return full * fraction
        case .logarithmic: return full * pow(10, Self.decades * (fraction - 1))
        }
    }

    /// The scale after this one: automatic → fixed at today's full bar → fixed at 1 (skipped
    /// when the two are the same) → logarithmic → automatic.
    public func next(largest: Double) -> BarScale {
        switch self {
        case .automatic: return .fixed(largest)
        case .fixed(let value) where value != 1: return .fixed(1)
        case .fixed: return .logarithmic
        case .logarithmic: return .automatic
        }
    }

    /// The scale's name in the chart's title, e.g. "full bar 0.42 auto", "log 1e-06–0.42".
    func title(largest: Double, number: (Double) -> String, dash: String) -> String {
        switch self {
        case .automatic: return "full bar \(number(largest)) auto"
        case .fixed(let value): return "full bar \(number(value)) fixed"
        case .logarithmic: return "log \(number(value(atFraction: 0, largest: largest)))\(dash)\(number(largest))"
        }
    }

    /// The scale in the status line after `b`.
    func describe(number: (Double) -> String) -> String {
        switch self {
        case .automatic: return "bar scale: automatic (the largest visible value)"
        case .fixed(let value): return "bar scale: fixed, full bar \(number(value)) while you edit"
        case .logarithmic: return "bar scale: logarithmic, \(Int(Self.decades)) decades"
        }
    }
}

extension ExplorerState {
    /// The series the chart draws: not hidden, and defined for this scenario.
    var drawnSeries: [PolicyID] {
        PolicyID.charted(referenceCount: scenario.references.count)
            .filter { !chart.hiddenSeries.contains($0) && analysis.largestProbability[$0] != nil }
    }

    /// The largest probability of any drawn series, the "rest" block included: what the
    /// automatic scale's full bar stands for.
    var largestDrawnProbability: Double {
        let series = drawnSeries
        let largest = series.compactMap { analysis.largestProbability[$0] }.max() ?? 1
        // The "rest" block (`a`) usually holds more than any one response.
        let rest = aggregatedTop == nil ? nil : series.compactMap(restProbability).max()
        return max(largest, rest ?? 0)
    }

    /// The total probability of `series` over the responses in the "rest" block (`a`): one minus
    /// the top's (every series sums to 1; references within 1e-6 unless renormalised), never
    /// below 0. Costs one pass over the responses on screen.
    func restProbability(_ series: PolicyID) -> Double? {
        guard let top = aggregatedTop, analysis.largestProbability[series] != nil else { return nil }
        var shown = 0.0
        for position in 0..<top { shown += analysis.probability(series, chart.order.response(at: position)) ?? 0 }
        return max(0, 1 - shown)
    }

    /// Steps the bar scale (`b`): a fixed scale keeps the full bar the chart shows now.
    mutating func cycleBarScale() {
        _ = chartFit()  // remembered: the "rest" block's top below does not compute it again
        chart.cycleBarScale(largest: largestDrawnProbability)
        message = StatusMessage(chart.barScale.describe(number: Theme(options).number), kind: .info)
    }
}
