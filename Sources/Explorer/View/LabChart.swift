import Foundation
import KLMath
import TerminalUI

/// The coverage lab's log–log chart, decided in one place for the lab view and its SVG export
/// so that both draw the same points and axes: per measured method its means with a positive
/// value (and their 95% intervals) at each finished m and its large-m theory where it has one;
/// across, `log10 m` from the smallest to the largest m planned; up, whole decades of the gap
/// holding every positive mean, interval end and the theory line's ends.
struct LabChart {
    /// One method's line.
    struct Line {
        let method: KLMethod
        /// The finished m with a positive mean gap, ascending.
        let points: [(m: Int, statistics: CoverageLab.GapStatistics)]
        /// The large-m theory, when it draws a line for the gap (`Theory.line`: a prediction or a limit); nil otherwise.
        let theory: CoverageLab.Theory?
    }

    let gap: CoverageLab.Gap
    let lines: [Line]
    /// The horizontal axis, `log10 m`.
    let xLow: Double
    let xHigh: Double
    /// The vertical axis in whole decades (`log10` of the gap); nil when no value is positive (every gap is 0).
    let decades: (low: Double, high: Double)?

    /// The chart of `report`'s `gap` over the planned pair counts `counts` (ascending, at least one), with the large-m `theories`.
    init(_ report: CoverageLab.Report?, gap: CoverageLab.Gap, counts: [Int], theories: [CoverageLab.Theory]) {
        self.gap = gap
        xLow = log10(Double(counts.first!))
        xHigh = max(xLow + 1e-9, log10(Double(counts.last!)))
        let all = (report?.methods ?? []).map { method in
            (method, report!.steps.compactMap { step in step.method(method).map { (m: step.pairCount, statistics: $0.statistics(gap)) } },
             theories.first { $0.method == method && $0.line(gap, pairs: 1) != nil })
        }
        lines = all.map { Line(method: $0.0, points: $0.1.filter { $0.statistics.mean > 0 }, theory: $0.2) }
        let measured = all.flatMap { $0.1.flatMap { [$0.statistics.mean] + ($0.statistics.meanInterval.map { [$0.lowerBound, $0.upperBound] } ?? []) } }
        let predicted = all.compactMap(\.2).flatMap { theory in [counts.first!, counts.last!].compactMap { theory.line(gap, pairs: $0) } }
        decades = LogAxis.decadeRange(of: measured + predicted)
    }

    /// Where `m` sits across, from 0 to 1.
    func x(_ m: Double) -> Double { (log10(m) - xLow) / (xHigh - xLow) }
}
