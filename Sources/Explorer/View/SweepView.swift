import KLMath
import KLScenario
import TerminalUI

/// The sweep view (`w`), drawn in the chart column: line charts of one quantity of RKL*, FKL*
/// and MRPO (for the objective also the two upper bounds) over `β` (log scale) and, with two
/// references or more, over the weight of the swept reference (`ExplorerState.sweptReference`),
/// each with a marker at the current value. The sweeps come from `state.sweep`; the view only
/// reads them; the value axes come from `SweepRange`.
struct SweepView {
    let state: ExplorerState
    let theme: Theme
    let frame: Rect

    private var referenceCount: Int { state.scenario.references.count }

    func draw(into grid: inout Grid) {
        grid.fill(frame)
        let quantity = state.sweep.quantity
        let dot = theme.ascii ? "-" : "·"
        let titles = ["Sweep \(dot) \(Self.title(quantity, theme: theme)) \(dot) W: next", "Sweep \(dot) \(Self.title(quantity, theme: theme))", "Sweep"]
        grid.drawRule(column: frame.x, row: frame.y, width: frame.width, character: theme.rule, lineStyle: theme.frame,
                      title: titles.first { $0.count <= frame.width - 6 } ?? "Sweep", titleStyle: theme.heading)
        var row = frame.y + 1
        if state.sweepIsTooLarge {
            let text = "sweep too large: \(state.scenario.responses.count) responses; use klscope sweep"
            for line in TextLayout.wrap(text, width: max(1, frame.width - 4)) {
                grid.write(line, column: frame.x + 2, row: row + 1, style: theme.warning)
                row += 1
            }
            return
        }
        if let job = state.sweep.cache.job {
            drawProgress(job.partial, row: row, into: &grid)
            row += 1
        }
        guard let betaSweep = state.sweep.cache.shownBeta else { return }
        row = drawLegend(quantity, row: row, into: &grid)
        grid.write(Self.explanation(quantity, theme: theme), column: frame.x + 1, row: row, style: theme.muted, limit: frame.width - 2)
        row += 1
        row = drawReadout(quantity, row: row, into: &grid)
        let remaining = frame.maxY - row
        let weightSweep = state.sweep.cache.shownWeight
        let first = weightSweep == nil ? remaining : remaining / 2
        drawChart(betaSweep, quantity: quantity, titles: ["over \(theme.beta) (log scale)"], marker: state.scenario.beta,
                  in: Rect(x: frame.x, y: row, width: frame.width, height: first), into: &grid)
        if let weightSweep {
            let k = weightSweep.reference
            drawChart(weightSweep, quantity: quantity, titles: Self.weightTitles(state, theme: theme),
                      marker: state.scenario.normalizedWeights[k],
                      in: Rect(x: frame.x, y: row + first, width: frame.width, height: remaining - first), into: &grid)
        }
    }

    /// The background job's progress: "computing sweep k of N points" and a bar.
    private func drawProgress(_ partial: SweepPartial, row: Int, into grid: inout Grid) {
        let text = "computing sweep \(partial.done) of \(partial.total) points"
        grid.write(text, column: frame.x + 1, row: row, style: theme.warning, limit: frame.width - 2)
        let barX = frame.x + 1 + text.count + 2, barWidth = frame.maxX - 1 - barX
        guard barWidth >= 5 else { return }
        grid.write(ProgressBar.text(done: partial.done, total: partial.total, width: barWidth, ascii: theme.ascii),
                   column: barX, row: row, style: theme.muted)
    }

    // MARK: Text

    static func title(_ quantity: SweepQuantity, theme: Theme) -> String {
        switch quantity {
        case .expectedReward: "expected reward E[r]"
        case .entropy: "entropy H(\(theme.ascii ? "pi" : "π"))"
        case .ownKL: "KL to own reference"
        case .objective: "objective"
        case .mrpoGap: "MRPO gap"
        }
    }

    static func explanation(_ quantity: SweepQuantity, theme: Theme) -> String {
        let pi = theme.ascii ? "pi" : "π", bar = theme.ascii ? "||" : "‖", minus = theme.ascii ? "-" : "−"
        return switch quantity {
        case .expectedReward: "E_\(pi)[r] of each optimum"
        case .entropy: "H(\(pi)) in nats: low = concentrated, high = spread"
        case .ownKL: "RKL*, MRPO: KL(\(pi)\(bar)\(pi)_G); FKL*: KL(\(pi)_A\(bar)\(pi))"
        case .objective: "max J_RKL, max J_FKL, J_RKL(\(pi)_MRPO)"
        case .mrpoGap: "max J_RKL \(minus) J_RKL(\(pi)_MRPO) = \(theme.beta) KL(\(pi)_MRPO\(bar)RKL*)"
        }
    }

    /// The weight chart's titles, longest first (the view draws the first that fits): whose
    /// weight, and with three references or more how the others follow (in proportion to their
    /// weights, equally when all are at 0) and, with `keys`, how to sweep another.
    static func weightTitles(_ state: ExplorerState, theme: Theme, keys: Bool = true) -> [String] {
        let k = state.sweptReference, name = theme.text(state.scenario.references[k].name)
        let short = "over \(theme.alpha) \(name)"
        guard state.scenario.references.count > 2 else { return [short + " (ends: one reference off)", short] }
        let others = state.analysis.solution.problem.othersAreOff(k) ? "others share equally, all at 0" : "others in proportion"
        return (keys ? [short + " (\(others); Tab to a weight sweeps it)"] : []) + [short + " (\(others))", short]
    }

    /// The legend name of `curve`: the method's series, or its bound.
    static func name(_ curve: SweepCurve, in scenario: Scenario, theme: Theme) -> String {
        let sum = theme.ascii ? "sum " : "Σ"
        return switch curve {
        case .method(let method): theme.name(method.policyID, in: scenario)
        case .bound(.forwardKL): "\(sum)\(theme.alpha) max J_FKL,k"
        case .bound: "\(sum)\(theme.alpha) max J_k"
        }
    }

    /// The glyph of a curve: bounds are always dashed, one glyph per column; a method's curve
    /// is braille dots, or a glyph when dots cannot be told apart by colour.
    private func glyph(_ curve: SweepCurve) -> Character? {
        let plain = theme.ascii || theme.color == .monochrome
        return switch curve {
        case .bound(.forwardKL): plain ? "=" : "┄"
        case .bound: plain ? "-" : "╌"
        case .method(let method): theme.curveGlyph(method)
        }
    }

    private var markerGlyph: Character { theme.ascii ? ":" : "┊" }

    /// The legend: a swatch and name per method, and the marker.
    private func drawLegend(_ quantity: SweepQuantity, row: Int, into grid: inout Grid) -> Int {
        var column = frame.x + 1, row = row
        var items: [(String, Style)] = quantity.curves.map { curve in
            let swatch = glyph(curve) ?? theme.brailleSwatch
            return (String(swatch) + " " + Self.name(curve, in: state.scenario, theme: theme), theme.style(curve.method.policyID, referenceCount: referenceCount))
        }
        items.append(("\(markerGlyph) now", theme.warning))
        for (text, style) in items {
            if column + text.count > frame.maxX - 1, column > frame.x + 1 {
                column = frame.x + 1
                row += 1
            }
            grid.write(text, column: column, row: row, style: style, limit: frame.maxX - column)
            column += text.count + 3
        }
        return row + 1
    }

    /// The values at the current `β` and weights, from the explorer's own solution.
    private func drawReadout(_ quantity: SweepQuantity, row: Int, into grid: inout Grid) -> Int {
        let point = Sweep.point(state.scenario.beta, state.analysis.solution)
        var column = frame.x + 1, row = row
        let head = "now:"
        grid.write(head, column: column, row: row, style: theme.heading)
        column += head.count + 1
        for curve in quantity.curves {
            let name = Self.name(curve, in: state.scenario, theme: theme)
            let value = quantity.value(point, curve).map(theme.number) ?? "undefined"
            if column + name.count + 1 + value.count > frame.maxX - 1, column > frame.x + 5 {
                column = frame.x + 5
                row += 1
            }
            grid.write(name, column: column, row: row, style: theme.style(curve.method.policyID, referenceCount: referenceCount))
            grid.write(value, column: column + name.count + 1, row: row, style: quantity.value(point, curve) == nil ? theme.warning : .plain)
            column += name.count + 1 + value.count + 3
        }
        return row + 1
    }

    // MARK: Charts

    /// One chart: a title line, the plot with a value axis, the parameter axis and its ticks.
    private func drawChart(_ sweep: Sweep, quantity: SweepQuantity, titles: [String], marker: Double, in rect: Rect, into grid: inout Grid) {
        let axisWidth = 9
        let plot = Rect(x: rect.x + axisWidth, y: rect.y + 1, width: rect.width - axisWidth - 1, height: rect.height - 3)
        guard plot.height >= 2, plot.width >= 10 else { return }
        let axis = SweepAxis(sweep.axis)
        let xs = sweep.points.map { axis.position($0.parameter) }
        let (xLow, xHigh) = axis.bounds
        guard !xs.isEmpty else { return }
        let values = quantity.curves.map { curve in sweep.points.map { quantity.value($0, curve) } }
        let range = SweepRange.of(sweep, quantity: quantity, marker: marker)
        // The clipping is said in full, else without the minimum when the line is narrow.
        let clipNotes = range?.clippedMinimum.map { minimum in
            let note = " \(theme.ascii ? "-" : "·") clipped below \(theme.number(range!.low))"
            return [note + "; min \(theme.number(minimum))", note]
        } ?? [""]
        let heading = clipNotes.lazy.flatMap { note in titles.map { $0 + note } }.first { $0.count <= rect.width - 2 }
            ?? titles.last! + clipNotes.last!
        grid.write(heading, column: rect.x + 1, row: rect.y, style: theme.heading, limit: rect.width - 2)
        guard let range else {
            grid.write("undefined everywhere (empty intersection)", column: plot.x + 1, row: plot.y + plot.height / 2,
                       style: theme.warning, limit: plot.width - 1)
            drawAxes(axis, plot: plot, xLow: xLow, xHigh: xHigh, range: nil, into: &grid)
            return
        }
        let axes = drawAxes(axis, plot: plot, xLow: xLow, xHigh: xHigh, range: range, into: &grid)

        // The marker at the current value, under the curves.
        let markerX = axis.position(marker)
        if markerX >= xLow, markerX <= xHigh {
            let column = axes.column((markerX - xLow) / (xHigh - xLow))
            for row in plot.y..<plot.maxY { grid[column, row] = Cell(markerGlyph, style: theme.warning) }
            grid[column, plot.maxY] = Cell(theme.ascii ? "^" : "▲", style: theme.warning)
        } else {
            let text = markerX < xLow ? "\(theme.ascii ? "<" : "◀") now" : "now \(theme.ascii ? ">" : "▶")"
            grid.write(text, column: markerX < xLow ? plot.x : plot.maxX - text.count, row: plot.y, style: theme.warning)
        }

        let isolated = SweepAxis.separatePoints(sweep)
        // Bounds first, so that where a curve meets its bound the curve shows.
        let order = quantity.curves.indices.filter { quantity.curves[$0].isBound } + quantity.curves.indices.filter { !quantity.curves[$0].isBound }
        for (index, curve) in order.map({ ($0, quantity.curves[$0]) }) {
            let style = theme.style(curve.method.policyID, referenceCount: referenceCount)
            LinePlot(xs: xs, ys: values[index], isolated: isolated)
                .draw(in: plot, xRange: xLow...xHigh, yRange: range.low...range.high, glyph: glyph(curve), style: style, into: &grid)
        }
    }

    /// The value axis with three labels, and the parameter axis with its ticks.
    @discardableResult
    private func drawAxes(_ axis: SweepAxis, plot: Rect, xLow: Double, xHigh: Double, range: SweepRange?, into grid: inout Grid) -> ChartAxes {
        let axes = theme.chartAxes(plot)
        axes.drawRules(into: &grid)
        let axisX = plot.x - 1
        if let range {
            let labels = [(plot.y, range.high), (plot.y + (plot.height - 1) / 2, (range.low + range.high) / 2), (plot.maxY - 1, range.low)]
            for (row, value) in labels {
                let room = axisX - frame.x - 1
                let text = [3, 2, 1].map { NumberFormat.short(value, digits: $0, ascii: theme.ascii) }.first { $0.count <= room }
                    ?? NumberFormat.short(value, digits: 1, ascii: theme.ascii)
                grid.write(TextLayout.pad(text, to: room, .right), column: frame.x, row: row, style: theme.muted)
            }
        }
        // Ticks: every decade of β, or quarters of the weight; labels that would overlap are left out.
        let ticks = axis.ticks(low: xLow, high: xHigh, ascii: theme.ascii).map { ((($0.position - xLow) / (xHigh - xLow)), $0.label) }
        axes.drawTicks(ticks, after: frame.x, into: &grid)
        return axes
    }
}
