import Foundation
import KLMath
import KLScenario
import TerminalUI

/// The current chart as an SVG picture for slides and projectors: large fonts, the explorer's
/// 256-colour palette, a legend, axis labels and values. Pure: a state in, a document out.
public enum SVGExport {
    /// Which chart to draw.
    public enum View: String, Sendable, CaseIterable {
        case bars, sweep, lab
    }

    /// At most this many responses are drawn as bars (those from the first one on screen).
    public static let maxResponses = 40
    /// The picture's size in SVG units (pixels at 100 %).
    static let width = 1600.0, height = 900.0
    /// The top and bottom of the bars' plot area.
    static let barsTop = 240.0, barsBottom = height - 120

    /// The chart the explorer shows now (`ExplorerState.chartView`).
    public static func svg(_ state: ExplorerState) -> String {
        svg(state, view: state.chartView)
    }

    /// The picture of `view`; a sweep of a scenario too large to sweep is a picture saying so.
    public static func svg(_ state: ExplorerState, view: View) -> String {
        switch view {
        case .bars: bars(state)
        case .sweep: sweep(state)
        case .lab: lab(state)
        }
    }

    /// `#rrggbb` of an xterm 256-colour index.
    static func hex(_ index: UInt8) -> String {
        let (r, g, b): (Int, Int, Int)
        switch Int(index) {
        case 0..<16:
            let basic = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                         (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
            (r, g, b) = basic[Int(index)]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255], i = Int(index) - 16
            (r, g, b) = (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        default:
            let v = 8 + 10 * (Int(index) - 232)
            (r, g, b) = (v, v, v)
        }
        return "#" + [r, g, b].map { value in
            let text = String(value, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    /// The colour of a series, as in the explorer with 256 colours.
    static func color(_ series: PolicyID, referenceCount: Int) -> String {
        let theme = Theme(ExplorerOptions(color: .full256))
        if case .indexed(let index) = theme.style(series, referenceCount: referenceCount).foreground { return hex(index) }
        return "#000000"
    }

    /// `text` as XML 1.0 character data or attribute value, well-formed for any label: markup
    /// characters become entities, controls are shown as `VisibleText.escaped` shows them (XML
    /// forbids most C0 controls even as references), and the noncharacters U+FFFE and U+FFFF,
    /// which XML also forbids, as `\ufffe` and `\uffff`.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in VisibleText.escaped(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\u{FFFE}", "\u{FFFF}": result += "\\u" + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func number(_ value: Double) -> String { NumberFormat.short(value, digits: 3) }
    static func coordinate(_ value: Double) -> String { String(format: "%.2f", value) }

    static func text(_ content: String, x: Double, y: Double, size: Int, anchor: String = "start",
                             fill: String = "#222222", bold: Bool = false, extra: String = "") -> String {
        "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
            + (bold ? " font-weight=\"bold\"" : "") + extra + ">\(escape(content))</text>"
    }

    static func document(_ body: [String], title: String) -> String {
        ([
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">",
            "<title>\(escape(title))</title>",
            "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>",
        ] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// The title and the parameters under it.
    static func heading(_ state: ExplorerState) -> [String] {
        let scenario = state.scenario
        let weights = zip(scenario.references, scenario.normalizedWeights).map { "\($0.name) \(number($1))" }.joined(separator: ", ")
        return [text(scenario.title, x: 40, y: 56, size: 40, bold: true),
                text("β = \(number(scenario.beta))   α: \(weights)" + pinnedSetting(state), x: 40, y: 96, size: 26, fill: "#555555")]
    }

    /// What the dashed ghost lines stand for, when a setting is pinned (`p`).
    private static func pinnedSetting(_ state: ExplorerState) -> String {
        guard let pin = state.comparablePin else { return "" }
        let weights = pin.scenario.normalizedWeights.map(number).joined(separator: "/")
        return "   dashed: pinned β = \(number(pin.scenario.beta)), α \(weights)"
    }

    /// A legend row of coloured squares and names from `x` at `y`.
    static func legend(_ items: [(name: String, color: String)], x: Double, y: Double) -> [String] {
        var column = x, out: [String] = []
        for item in items {
            out.append("<rect class=\"swatch\" x=\"\(coordinate(column))\" y=\"\(coordinate(y - 22))\" width=\"26\" height=\"26\" fill=\"\(item.color)\"/>")
            out.append(text(item.name, x: column + 34, y: y, size: 28))
            column += 34 + Double(item.name.count) * 17 + 40
        }
        return out
    }

    // MARK: Bars

    /// Round values from 0 to `full` for a linear value axis: steps of 1, 2, 2.5 or 5 times a
    /// power of ten, four to eight of them, and never past the full bar.
    static func roundTicks(upTo full: Double) -> [Double] {
        guard full > 0, full.isFinite else { return [0] }
        let magnitude = pow(10, floor(log10(full / 4)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { full / $0 <= 8 } ?? 10 * magnitude
        // Rounded to 12 significant digits, so that 3 × 0.1 is the 0.3 written.
        return (0...Int((full / step * (1 + 1e-9)).rounded(.down))).map { Double(String(format: "%.12g", Double($0) * step)) ?? 0 }
    }

    /// Grouped vertical bars: one group per response, one bar per visible series, in the
    /// chart's order (`t`); with the "rest" block (`a`), the top responses and one group for
    /// the rest, as on screen. Under each group its label (rotated, then thinned, when the
    /// labels would touch), its support mark (∩, ∪, ·) and reward; FKL* bars outside the union
    /// carry the escape arrow; a policy that does not exist is said in words.
    static func bars(_ state: ExplorerState) -> String {
        let scenario = state.scenario, analysis = state.analysis
        let k = scenario.references.count
        let theme = Theme(ExplorerOptions(color: .full256))
        let series = PolicyID.charted(referenceCount: k).filter { !state.chart.hiddenSeries.contains($0) && analysis.largestProbability[$0] != nil }
        let count = scenario.responses.count
        let restTop = state.aggregatedTop.map { min($0, maxResponses - 1) }
        let first = restTop != nil || count <= maxResponses ? 0 : min(state.chart.scrollTop, count - maxResponses)
        let shownCount = restTop ?? min(count - first, maxResponses)
        // nil stands for the "rest" group.
        let groups: [Int?] = (first..<first + shownCount).map(state.chart.order.response(at:)) + (restTop == nil ? [] : [nil])
        var body = heading(state)
        body += legend(series.map { (theme.name($0, in: scenario), color($0, referenceCount: k)) }, x: 40, y: 146)
        let largest = state.largestDrawnProbability
        let scale = state.chart.barScale
        let left = 130.0, right = width - 40, top = barsTop, bottom = barsBottom
        let plotHeight = bottom - top
        // Value axis on the chosen bar scale (`b`): round values from 0 (linear), decades (logarithmic).
        let full = scale.full(largest: largest)
        let ticks: [Double] = scale == .logarithmic
            ? (0...4).map { scale.value(atFraction: Double($0) / 4, largest: largest) }
            : roundTicks(upTo: full)
        for value in ticks {
            let y = bottom - plotHeight * (scale == .logarithmic ? scale.fraction(value, largest: largest) : value / full)
            body.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(y))\" stroke=\"#dddddd\" stroke-width=\"1\"/>")
            body.append(text(number(value), x: left - 12, y: y + 8, size: 24, anchor: "end", fill: "#555555"))
        }
        // Policies that do not exist here, in words.
        let undefined = PolicyID.charted(referenceCount: k).filter { !state.chart.hiddenSeries.contains($0) && analysis.largestProbability[$0] == nil }
        if !undefined.isEmpty {
            body.append(text(undefined.map { theme.name($0, in: scenario) }.joined(separator: " and ") + " undefined: the references share no response (empty intersection)",
                             x: right, y: 196, size: 24, anchor: "end", fill: "#aa0000"))
        }
        body.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(bottom))\" stroke=\"#333333\" stroke-width=\"2\"/>")
        body.append(text(scale == .logarithmic ? "probability (log scale)" : "probability", x: 36, y: top + plotHeight / 2, size: 24, anchor: "middle", fill: "#555555",
                         extra: " transform=\"rotate(-90 36 \(coordinate(top + plotHeight / 2)))\""))
        guard !series.isEmpty, !groups.isEmpty else { return document(body, title: scenario.title) }
        let groupWidth = (right - left) / Double(groups.count)
        let barWidth = min(90, groupWidth * 0.8 / Double(series.count))
        let valueSize = Int(max(14, min(24, barWidth * 0.7)))
        // Labels: level when every one (and its foot, "∩ r 0.250") fits its group, else rotated by
        // 45° with the support mark in front, which needs 26 px (a line of size 22) across the
        // slant between neighbours: every n-th label when the groups are narrower than that.
        let labels = groups.map { $0.map { scenario.responses[$0] } ?? "rest (\(count - (restTop ?? 0)) more)" }
        let characterWidth = 15.0, slantSpacing = 26 / 0.7071
        let level = labels.allSatisfy { Double(max($0.count, 9)) * characterWidth <= groupWidth - 8 }
        let labelStep = level ? 1 : max(1, Int((slantSpacing / groupWidth).rounded(.up)))
        for (slot, y) in groups.enumerated() {
            let groupX = left + Double(slot) * groupWidth + (groupWidth - barWidth * Double(series.count)) / 2
            for (index, s) in series.enumerated() {
                guard let p = y.map({ analysis.probability(s, $0) }) ?? state.restProbability(s) else { continue }
                let barHeight = plotHeight * scale.fraction(p, largest: largest)
                let x = groupX + Double(index) * barWidth
                let name = theme.name(s, in: scenario)
                body.append("<rect class=\"bar\" data-series=\"\(escape(name))\" data-response=\"\(escape(labels[slot]))\" data-value=\"\(p)\" x=\"\(coordinate(x + 1))\" y=\"\(coordinate(bottom - barHeight))\" width=\"\(coordinate(max(1, barWidth - 2)))\" height=\"\(coordinate(barHeight))\" fill=\"\(color(s, referenceCount: k))\"><title>\(escape("\(name) · \(labels[slot]): \(number(p))"))</title></rect>")
                if let y, let q = state.pinnedProbability(s, y), q > 0, q != p {
                    // The pinned setting's value (`p`): a dashed ghost line across the bar.
                    let ghostY = bottom - plotHeight * scale.fraction(q, largest: largest)
                    body.append("<line class=\"ghost\" data-value=\"\(q)\" x1=\"\(coordinate(x))\" y1=\"\(coordinate(ghostY))\" x2=\"\(coordinate(x + barWidth))\" y2=\"\(coordinate(ghostY))\" stroke=\"\(color(s, referenceCount: k))\" stroke-width=\"3\" stroke-dasharray=\"6 4\"><title>\(escape("\(name) · \(scenario.responses[y]): pinned \(number(q))"))</title></line>")
                }
                let escaped = s == .forwardKL && y.map(analysis.isEscaped) == true
                if barWidth >= 18 {
                    let cx = x + barWidth / 2, cy = bottom - barHeight - 8
                    body.append(text(number(p) + (escaped ? " " + theme.escapedTag : ""), x: cx, y: cy, size: valueSize, fill: escaped ? "#aa0000" : "#333333",
                                     extra: " transform=\"rotate(-90 \(coordinate(cx)) \(coordinate(cy)))\" dominant-baseline=\"middle\""))
                } else if escaped {
                    body.append(text(String(theme.escapedArrow), x: x + barWidth / 2, y: bottom - barHeight - 6, size: 22, anchor: "middle", fill: "#aa0000", extra: " class=\"escaped\""))
                }
            }
            let cx = left + (Double(slot) + 0.5) * groupWidth
            if slot % labelStep == 0 {
                let bold = y == state.chart.selected
                if level {
                    body.append(text(labels[slot], x: cx, y: bottom + 36, size: 26, anchor: "middle", bold: bold, extra: " class=\"label\""))
                } else {
                    let shown = (y.map { theme.mark(analysis.support($0)) + " " } ?? "") + TextLayout.truncate(labels[slot], to: 10)
                    body.append(text(shown, x: cx, y: bottom + 24, size: 22, anchor: "end", bold: bold,
                                     extra: " class=\"label\" transform=\"rotate(-45 \(coordinate(cx)) \(coordinate(bottom + 24)))\""))
                }
            }
            if level, let y {
                let foot = theme.mark(analysis.support(y)) + " r " + number(scenario.rewards[y])
                body.append(text(foot, x: cx, y: bottom + 70, size: 22, anchor: "middle", fill: "#666666", extra: " class=\"foot\""))
            }
        }
        if analysis.solution.forwardKL.escapedMass > 0 {
            body.append(text(theme.escapedTag + " = FKL* mass outside ∪ (\(number(analysis.solution.forwardKL.escapedMass)))",
                             x: 40, y: 196, size: 24, fill: "#aa0000"))
        }
        if restTop == nil, count > shownCount {
            body.append(text("responses \(first + 1)–\(first + shownCount) of \(count)", x: right, y: height - 20, size: 22, anchor: "end", fill: "#666666"))
        }
        return document(body, title: scenario.title)
    }

    // MARK: Sweep

    /// The sweep view's charts: the quantity over β (log scale) and, with two references or more,
    /// over the swept reference's weight; bounds dashed; the value axes from `SweepRange`.
    static func sweep(_ state: ExplorerState) -> String {
        let scenario = state.scenario
        var body = heading(state)
        guard !state.sweepIsTooLarge else {
            body.append(text("sweep too large: \(scenario.responses.count) responses; use klscope sweep", x: 40, y: 200, size: 32, fill: "#aa0000"))
            return document(body, title: scenario.title)
        }
        let sweeps = state.sweep.cache.finished(for: state.analysis.solution.problem, reference: state.sweptReference)
        let quantity = state.sweep.quantity
        let theme = Theme(ExplorerOptions(color: .full256))
        let k = scenario.references.count
        let names = quantity.curves.map { SweepView.name($0, in: scenario, theme: theme) }
        body += legend(zip(quantity.curves, names).map { ($1, color($0.method.policyID, referenceCount: k)) }
                       + [("now", "#e08000")], x: 40, y: 146)
        body.append(text(SweepView.title(quantity, theme: theme) + ": " + SweepView.explanation(quantity, theme: theme),
                         x: width - 40, y: 146, size: 24, anchor: "end", fill: "#555555"))
        let panels: [(Sweep, String, Double)] = [(sweeps.beta, "over β (log scale)", scenario.beta)]
            + (sweeps.weight.map { [($0, SweepView.weightTitles(state, theme: theme, keys: false)[0], scenario.normalizedWeights[$0.reference])] } ?? [])
        let top = 190.0, gap = 40.0
        let panelHeight = (height - top - 20 - gap * Double(panels.count - 1)) / Double(panels.count)
        for (index, panel) in panels.enumerated() {
            body += chart(panel.0, quantity: quantity, names: names, title: panel.1, marker: panel.2, k: k,
                          frame: (x: 40, y: top + Double(index) * (panelHeight + gap), width: width - 80, height: panelHeight))
        }
        return document(body, title: scenario.title)
    }

    /// One panel: `quantity`'s curves (legend names `names`) over `sweep`, with a marker at `marker`.
    private static func chart(_ sweep: Sweep, quantity: SweepQuantity, names: [String], title: String, marker: Double, k: Int,
                              frame: (x: Double, y: Double, width: Double, height: Double)) -> [String] {
        let range = SweepRange.of(sweep, quantity: quantity, marker: marker)
        let clipNote = range?.clippedMinimum.map { " · clipped below \(number(range!.low)); min \(number($0))" } ?? ""
        var out = [text(title + clipNote, x: frame.x, y: frame.y + 26, size: 28, bold: true)]
        let left = frame.x + 110, right = frame.x + frame.width, top = frame.y + 44, bottom = frame.y + frame.height - 44
        let parameterAxis = SweepAxis(sweep.axis)
        let xs = sweep.points.map { parameterAxis.position($0.parameter) }
        guard let xLow = xs.first, let xHigh = xs.last, xHigh > xLow else { return out }
        func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * (right - left) }
        let values = quantity.curves.map { curve in sweep.points.map { quantity.value($0, curve) } }
        let axis = range ?? SweepRange(low: 0, high: 1, clippedMinimum: nil)
        func py(_ y: Double) -> Double { bottom - axis.fraction(y) * (bottom - top) }
        for tick in 0...4 {
            let value = axis.low + (axis.high - axis.low) * Double(tick) / 4
            out.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(py(value)))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(py(value)))\" stroke=\"#dddddd\" stroke-width=\"1\"/>")
            out.append(text(number(value), x: left - 12, y: py(value) + 8, size: 22, anchor: "end", fill: "#555555"))
        }
        out.append("<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(right))\" y2=\"\(coordinate(bottom))\" stroke=\"#333333\" stroke-width=\"2\"/>")
        for (x, label) in parameterAxis.ticks(low: xLow, high: xHigh, ascii: false) {
            out.append("<line x1=\"\(coordinate(px(x)))\" y1=\"\(coordinate(bottom))\" x2=\"\(coordinate(px(x)))\" y2=\"\(coordinate(bottom + 8))\" stroke=\"#333333\" stroke-width=\"2\"/>")
            out.append(text(label, x: px(x), y: bottom + 34, size: 22, anchor: "middle", fill: "#555555"))
        }
        let markerX = parameterAxis.position(marker)
        if markerX >= xLow, markerX <= xHigh {
            out.append("<line class=\"marker\" x1=\"\(coordinate(px(markerX)))\" y1=\"\(coordinate(top))\" x2=\"\(coordinate(px(markerX)))\" y2=\"\(coordinate(bottom))\" stroke=\"#e08000\" stroke-width=\"3\" stroke-dasharray=\"8 6\"/>")
        }
        let isolated = SweepAxis.separatePoints(sweep)
        for (index, curve) in quantity.curves.enumerated() {
            let method = curve.method, fill = color(method.policyID, referenceCount: k)
            let (kind, dash) = curve.isBound ? ("bound", " stroke-dasharray=\"12 8\"") : ("curve", "")
            var run: [String] = []
            func flush() {
                if run.count > 1 {
                    out.append("<polyline class=\"\(kind)\" data-series=\"\(method.rawValue)\" fill=\"none\" stroke=\"\(fill)\" stroke-width=\"4\"\(dash) points=\"\(run.joined(separator: " "))\"/>")
                }
                run = []
            }
            for (i, value) in values[index].enumerated() {
                guard let value, !isolated.contains(i) else { flush(); continue }
                run.append("\(coordinate(px(xs[i]))),\(coordinate(py(value)))")
            }
            flush()
            for i in isolated.sorted() {
                guard let value = values[index][i] else { continue }
                out.append("<circle class=\"end\" data-series=\"\(method.rawValue)\" cx=\"\(coordinate(px(xs[i])))\" cy=\"\(coordinate(py(value)))\" r=\"9\" fill=\"\(fill)\"/>")
            }
        }
        let missing = quantity.curves.indices.filter { values[$0].allSatisfy { $0 == nil } }.map { names[$0] }
        if !missing.isEmpty, range != nil {
            out.append(text(missing.joined(separator: ", ") + ": undefined (empty intersection)", x: right, y: frame.y + 26, size: 24, anchor: "end", fill: "#aa0000"))
        }
        if range == nil {
            out.append(text("undefined everywhere (empty intersection)", x: (left + right) / 2, y: (top + bottom) / 2, size: 28, anchor: "middle", fill: "#aa0000"))
        }
        return out
    }
}
