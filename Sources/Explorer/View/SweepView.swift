import KLMath
import KLScenario
import TerminalUI

/// The sweep view (`w`), drawn in the chart column: line charts of one quantity of RKL*, FKL*
/// and MRPO (for the objective also the two upper bounds) over `β` (log scale) and, with two
/// references or more, over the weight of the swept reference (`ExplorerState.sweptReference`),
/// each with a marker at the current value. The sweeps come from `state.sweeps`; the view only
/// reads them; the value axes come from `SweepRange`.
struct SweepView {
    let state: ExplorerState
    let theme: Theme
    let frame: Rect

    private var referenceCount: Int { state.scenario.references.count }

    func draw(into grid: inout Grid) {
        grid.fill(frame)
        let quantity = state.sweepQuantity
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
        if let job = state.sweeps.job {
            drawProgress(job.partial, row: row, into: &grid)
            row += 1
        }
        guard let betaSweep = state.sweeps.shownBeta else { return }
        row = drawLegend(quantity, row: row, into: &grid)
        grid.write(Self.explanation(quantity, theme: theme), column: frame.x + 1, row: row, style: theme.muted, limit: frame.width - 2)
        row += 1
        row = drawReadout(quantity, row: row, into: &grid)
        let remaining = frame.maxY - row
        let weightSweep = state.sweeps.shownWeight
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
        let filled = partial.total > 0 ? barWidth * partial.done / partial.total : 0
        let bar = String(repeating: theme.ascii ? "#" : "█", count: filled)
            + String(repeating: theme.ascii ? "." : "░", count: barWidth - filled)
        grid.write(bar, column: barX, row: row, style: theme.muted)
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
            let swatch = glyph(curve).map(String.init) ?? (theme.ascii ? "#" : "⣿")
            return (swatch + " " + Self.name(curve, in: state.scenario, theme: theme), theme.style(curve.method.policyID, referenceCount: referenceCount))
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
        let logScale = sweep.axis == .beta
        let xs = sweep.points.map { logScale ? log10($0.parameter) : $0.parameter }
        // The whole range the explorer sweeps, also while a background job has computed only
        // the first points (a finished sweep starts and ends exactly there).
        let xLow = logScale ? log10(Sweep.defaultBetaRange.lowerBound) : 0
        let xHigh = logScale ? log10(Sweep.defaultBetaRange.upperBound) : 1
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
            drawAxes(sweep, plot: plot, xLow: xLow, xHigh: xHigh, range: nil, into: &grid)
            return
        }
        drawAxes(sweep, plot: plot, xLow: xLow, xHigh: xHigh, range: range, into: &grid)

        // The marker at the current value, under the curves.
        let markerX = logScale ? log10(marker) : marker
        if markerX >= xLow, markerX <= xHigh {
            let column = plot.x + Int(((markerX - xLow) / (xHigh - xLow) * Double(plot.width - 1)).rounded())
            for row in plot.y..<plot.maxY { grid[column, row] = Cell(markerGlyph, style: theme.warning) }
            grid[column, plot.maxY] = Cell(theme.ascii ? "^" : "▲", style: theme.warning)
        } else {
            let text = markerX < xLow ? "\(theme.ascii ? "<" : "◀") now" : "now \(theme.ascii ? ">" : "▶")"
            grid.write(text, column: markerX < xLow ? plot.x : plot.maxX - text.count, row: plot.y, style: theme.warning)
        }

        // The ends of a weight sweep turn a reference off: the support jumps there, so they are
        // drawn as separate points, not joined to the curve.
        // (A partial sweep, still being computed, has no second end yet.)
        let isolated: Set<Int> = sweep.axis == .weight ? Set([0] + (sweep.points.last?.parameter == 1 ? [sweep.points.count - 1] : [])) : []
        // Bounds first, so that where a curve meets its bound the curve shows.
        let order = quantity.curves.indices.filter { quantity.curves[$0].isBound } + quantity.curves.indices.filter { !quantity.curves[$0].isBound }
        for (index, curve) in order.map({ ($0, quantity.curves[$0]) }) {
            let style = theme.style(curve.method.policyID, referenceCount: referenceCount)
            drawCurve(xs: xs, ys: values[index], isolated: isolated, plot: plot, xRange: (xLow, xHigh), yRange: range,
                      glyph: glyph(curve), style: style, into: &grid)
        }
    }

    /// A curve as braille dots (or one glyph per column), joining neighbouring defined points
    /// except at `isolated` ones, which get a whole-cell mark.
    private func drawCurve(xs: [Double], ys: [Double?], isolated: Set<Int>, plot: Rect, xRange: (Double, Double),
                           yRange: SweepRange, glyph: Character?, style: Style, into grid: inout Grid) {
        let subX = glyph == nil ? 2 : 1, subY = glyph == nil ? 4 : 1
        let width = plot.width * subX, height = plot.height * subY
        func column(_ x: Double) -> Double { (x - xRange.0) / (xRange.1 - xRange.0) * Double(width - 1) }
        func row(_ y: Double) -> Int { Int(((1 - yRange.fraction(y)) * Double(height - 1)).rounded()) }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        var cells: [(Int, Int)] = []
        func set(_ x: Int, _ y: Int) {
            if glyph == nil { canvas.set(x: x, y: y) } else { cells.append((x, y)) }
        }
        // Sample every dot column by linear interpolation between the sweep's points.
        var previousRow: Int?
        var segment = 0
        for x in 0..<width {
            while segment < xs.count - 2, column(xs[segment + 1]) < Double(x) { segment += 1 }
            let a = segment, b = segment + 1
            guard b < xs.count, let ya = ys[a], let yb = ys[b], !isolated.contains(a), !isolated.contains(b) else {
                previousRow = nil
                continue
            }
            let ca = column(xs[a]), cb = column(xs[b])
            guard Double(x) >= ca - 0.5, Double(x) <= cb + 0.5 else {
                previousRow = nil
                continue
            }
            let t = cb > ca ? min(1, max(0, (Double(x) - ca) / (cb - ca))) : 0
            let y = row(ya + t * (yb - ya))
            if glyph == nil, let previousRow { canvas.vertical(x: x, from: previousRow, to: y) } else { set(x, y) }
            previousRow = y
        }
        if glyph == nil {
            for r in 0..<plot.height {
                for c in 0..<plot.width {
                    if let character = canvas.character(column: c, row: r) { grid[plot.x + c, plot.y + r] = Cell(character, style: style) }
                }
            }
        } else {
            for (c, r) in cells { grid[plot.x + c, plot.y + r] = Cell(glyph!, style: style) }
        }
        // Isolated points: a whole cell each.
        for index in isolated {
            guard let y = ys[index] else { continue }
            let c = Int((column(xs[index]) / Double(subX)).rounded(.down))
            let r = row(y) / subY
            grid[plot.x + min(plot.width - 1, c), plot.y + r] = Cell(glyph ?? "●", style: style)
        }
    }

    /// The value axis with three labels, and the parameter axis with its ticks.
    private func drawAxes(_ sweep: Sweep, plot: Rect, xLow: Double, xHigh: Double, range: SweepRange?, into grid: inout Grid) {
        let axisX = plot.x - 1
        grid.drawVerticalRule(column: axisX, row: plot.y, height: plot.height, character: theme.verticalRule, style: theme.frame)
        grid[axisX, plot.maxY] = Cell(theme.axisCorner, style: theme.frame)
        grid.drawRule(column: plot.x, row: plot.maxY, width: plot.width, character: theme.rule, lineStyle: theme.frame)
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
        let ticks: [(Double, String)]
        if sweep.axis == .beta {
            ticks = Array(Int(ceil(xLow))...Int(floor(xHigh))).map { exponent in
                (Double(exponent), NumberFormat.short(pow(10, Double(exponent)), digits: 1, ascii: theme.ascii))
            }
        } else {
            ticks = [(0, "0"), (0.25, "0.25"), (0.5, "0.5"), (0.75, "0.75"), (1, "1")].filter { $0.0 >= xLow && $0.0 <= xHigh }
        }
        var free = frame.x
        for (x, label) in ticks {
            let column = plot.x + Int(((x - xLow) / (xHigh - xLow) * Double(plot.width - 1)).rounded())
            let start = min(plot.maxX - label.count, max(plot.x - 1, column - label.count / 2))
            if grid[column, plot.maxY].character == theme.rule { grid[column, plot.maxY] = Cell(theme.ascii ? "+" : "┴", style: theme.frame) }
            guard start > free else { continue }
            grid.write(label, column: start, row: plot.maxY + 1, style: theme.muted)
            free = start + label.count
        }
    }
}
