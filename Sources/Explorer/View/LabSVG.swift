import Foundation
import KLMath
import KLScenario
import TerminalUI

extension SVGExport {
    /// The coverage lab's plot for slides (`klscope export --view lab`, `e` in the lab view): each
    /// method's mean gap against m on log–log axes, a whisker at each m for the 95% interval of the
    /// mean over the seeds, the large-m theory's line (dashed: its constant over m or √m, or a flat
    /// line at a limit other than 0, MRPO's sub-optimality), and the
    /// fitted slopes with their bootstrap intervals in the legend; where the theory has no line,
    /// the reason in words. Without a finished step it says what is missing instead.
    static func lab(_ state: ExplorerState) -> String {
        var body = heading(state)
        let scenario = state.scenario
        guard let lab = state.lab.run, lab.phase != .tooLarge else {
            let reason = !state.lab.isOpen
                ? "the coverage lab has not run: open it with m (or klscope export --view lab)"
                : "the coverage lab takes at most \(CoverageLab.maximumResponses) responses; this scenario has \(scenario.responses.count)"
            body.append(text(reason, x: 40, y: 200, size: 32, fill: "#aa0000"))
            return document(body, title: scenario.title)
        }
        let gap = lab.gap
        let configuration = state.lab.configuration
        let counts = configuration.pairCounts
        let gapName = gap == .suboptimality ? "sub-optimality gap max J(π; r) − J(π̂; r)" : "optimality gap |max J(π; r) − max J(π; r̂ + c)|"
        let progress = lab.phase == .finished ? "" : " (\(lab.phase == .running ? "running" : "cancelled"): \(lab.report?.steps.count ?? 0) of \(counts.count) m)"
        body.append(text("Coverage lab: \(gapName), \(configuration.seeds) seeds\(progress)", x: 40, y: 136, size: 26, fill: "#333333"))
        guard let report = lab.report, !report.steps.isEmpty else {
            body.append(text("no m finished yet", x: 40, y: 200, size: 32, fill: "#aa0000"))
            return document(body, title: scenario.title)
        }
        let k = scenario.references.count
        let theories = CoverageLab.theory(state.analysis.solution, samplers: configuration.samplers)
        let fitFrom = state.lab.fitFrom
        body += legend(report.methods.map { (name: $0.title, color: color($0.policyID, referenceCount: k)) }, x: 40, y: 186)
        let slopes = report.methods.compactMap { method in
            report.slopeEstimate(method, gap, fitFrom: fitFrom).map {
                "\(method.title) \(LabWords.slope($0))"
            }
        }
        if !slopes.isEmpty {
            body.append(text("log–log slopes over m ≥ \(fitFrom) [95% bootstrap interval]: " + slopes.joined(separator: "   "), x: 40, y: 226, size: 22, fill: "#333333"))
        }

        // The axes: log10 m across, log10 gap up, whole decades.
        let left = 150.0, right = width - 60, top = 260.0, bottom = height - 170
        let chart = LabChart(report, gap: gap, counts: counts, theories: theories)
        guard let decades = chart.decades else {
            body.append(text("every gap is 0", x: 40, y: 260, size: 32, fill: "#555555"))
            return document(body, title: scenario.title)
        }
        let (yLow, yHigh) = decades
        func px(_ m: Double) -> Double { left + chart.x(m) * (right - left) }
        func py(_ value: Double) -> Double { bottom - (log10(max(value, pow(10, yLow))) - yLow) / (yHigh - yLow) * (bottom - top) }
        for exponent in Int(yLow)...Int(yHigh) {
            let y = py(pow(10, Double(exponent)))
            body.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(y))\" stroke=\"#dddddd\" stroke-width=\"1\"/>")
            body.append(text("1e\(exponent)", x: left - 12, y: y + 8, size: 24, anchor: "end", fill: "#555555"))
        }
        body.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(bottom))\" stroke=\"#333333\" stroke-width=\"2\"/>")
        for exponent in LogAxis.decades(from: chart.xLow, to: chart.xHigh) {
            let x = px(pow(10, Double(exponent)))
            body.append("<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(x))\" y2=\"\(coordinate(bottom + 8))\" stroke=\"#333333\" stroke-width=\"2\"/>")
            body.append(text(NumberFormat.short(pow(10, Double(exponent)), digits: 1), x: x, y: bottom + 34, size: 24, anchor: "middle", fill: "#555555"))
        }
        body.append(text("m (comparisons, log scale)", x: right, y: bottom + 70, size: 24, anchor: "end", fill: "#555555"))
        body.append(text("mean gap (log scale)", x: 40, y: (top + bottom) / 2, size: 24, anchor: "middle", fill: "#555555",
                         extra: " transform=\"rotate(-90 40 \(coordinate((top + bottom) / 2)))\""))

        var notes: [(text: String, warning: Bool)] = []
        for (index, line) in chart.lines.enumerated() {
            let method = line.method, fill = color(method.policyID, referenceCount: k), name = escape(method.title)
            // The theory's line: straight on log–log axes, from the smallest m to the largest.
            if let theory = line.theory, let constant = theory.constant(gap) {
                let ends = [counts.first!, counts.last!].map { "\(coordinate(px(Double($0)))),\(coordinate(py(theory.prediction(gap, pairs: $0)!)))" }
                body.append("<polyline class=\"theory\" data-series=\"\(name)\" data-constant=\"\(constant)\" fill=\"none\" stroke=\"\(fill)\" stroke-width=\"3\" stroke-dasharray=\"12 8\" points=\"\(ends.joined(separator: " "))\"><title>\(escape("\(method.title) large-m theory: \(number(constant))/\(gap == .suboptimality ? "m" : "√m")"))</title></polyline>")
            } else if let theory = line.theory, let limit = theory.line(gap, pairs: 1) {
                // A gap that tends to a limit other than 0 (MRPO's sub-optimality): a flat line there.
                let ends = [counts.first!, counts.last!].map { "\(coordinate(px(Double($0)))),\(coordinate(py(limit)))" }
                body.append("<polyline class=\"limit\" data-series=\"\(name)\" data-value=\"\(limit)\" fill=\"none\" stroke=\"\(fill)\" stroke-width=\"3\" stroke-dasharray=\"4 8\" points=\"\(ends.joined(separator: " "))\"/>")
                notes.append(("\(method.title): its gap tends to \(number(limit)), the flat dashed line (\(theory.reason ?? "a limit other than 0"))", false))
            } else {
                let reason = theories.first { $0.method == method }?.reason ?? "no large-m limit here"
                notes.append(("\(method.title): no theory line, \(reason)", true))
            }
            let points = line.points
            // Beside each other by a few pixels, so that the whiskers of the methods do not hide each other.
            let shift = Double(index - report.methods.count / 2) * 8
            if points.count > 1 {
                let means = points.map { "\(coordinate(px(Double($0.m)) + shift)),\(coordinate(py($0.statistics.mean)))" }
                body.append("<polyline class=\"mean\" data-series=\"\(name)\" fill=\"none\" stroke=\"\(fill)\" stroke-width=\"4\" points=\"\(means.joined(separator: " "))\"/>")
            }
            for point in points {
                let x = px(Double(point.m)) + shift
                if let interval = point.statistics.meanInterval {
                    let high = py(interval.upperBound), low = py(interval.lowerBound)
                    body.append("<g class=\"interval\" data-series=\"\(name)\" data-m=\"\(point.m)\" data-lower=\"\(interval.lowerBound)\" data-upper=\"\(interval.upperBound)\" stroke=\"\(fill)\" stroke-width=\"3\">"
                                + "<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(high))\" x2=\"\(coordinate(x))\" y2=\"\(coordinate(low))\"/>"
                                + "<line x1=\"\(coordinate(x - 7))\" y1=\"\(coordinate(high))\" x2=\"\(coordinate(x + 7))\" y2=\"\(coordinate(high))\"/>"
                                + "<line x1=\"\(coordinate(x - 7))\" y1=\"\(coordinate(low))\" x2=\"\(coordinate(x + 7))\" y2=\"\(coordinate(low))\"/></g>")
                }
                body.append("<circle class=\"point\" data-series=\"\(name)\" data-m=\"\(point.m)\" data-mean=\"\(point.statistics.mean)\" cx=\"\(coordinate(x))\" cy=\"\(coordinate(py(point.statistics.mean)))\" r=\"7\" fill=\"\(fill)\"><title>\(escape("\(method.title) at m = \(point.m): mean \(number(point.statistics.mean))"))</title></circle>")
            }
        }
        let footer = [("dashed: large-m theory (constant over \(gap == .suboptimality ? "m" : "√m")); whiskers: 95% interval of the mean over the seeds (mean ± 1.96 standard errors)", false)] + notes
        for (index, line) in footer.enumerated() {
            body.append(text(line.0, x: 40, y: height - 16 - 26 * Double(footer.count - 1 - index), size: 20, fill: line.1 ? "#aa0000" : "#555555"))
        }
        return document(body, title: scenario.title)
    }
}
