import KLMath
import KLScenario
import TerminalUI

/// The coverage lab view (`m`), drawn in the chart column: the run's progress, a log-log plot
/// of each method's mean gap against the number of comparisons m with the 95% interval of the
/// mean over the seeds (a whisker at each m), the large-m theory's line (dotted) and the fitted slope, a table of how often each response was drawn and how far
/// its fitted reward is from the truth at the largest m finished, and the lab's notes in words.
/// It only reads `state.lab`; the run happens in the background (`BackgroundRunner`).
struct LabView {
    let state: ExplorerState
    let theme: Theme
    let frame: Rect

    private var referenceCount: Int { state.scenario.references.count }

    func draw(into grid: inout Grid) {
        guard let lab = state.lab.run else { return }
        grid.fill(frame)
        let dot = theme.ascii ? "-" : "·"
        let gapName = lab.gap == .suboptimality ? "sub-optimality gap" : "optimality gap"
        let titles = ["Coverage lab \(dot) \(gapName) \(dot) g: other gap", "Coverage lab \(dot) \(gapName)", "Coverage lab"]
        grid.drawRule(column: frame.x, row: frame.y, width: frame.width, character: theme.rule, lineStyle: theme.frame,
                      title: titles.first { $0.count <= frame.width - 6 } ?? "Lab", titleStyle: theme.heading)
        var row = frame.y + 1
        if lab.phase == .tooLarge {
            let text = "The coverage lab takes at most \(CoverageLab.maximumResponses) responses; this scenario has \(state.scenario.responses.count). Use klscope lab on a smaller scenario."
            for line in TextLayout.wrap(text, width: max(1, frame.width - 4)) where row < frame.maxY {
                grid.write(line, column: frame.x + 2, row: row + 1, style: theme.warning)
                row += 1
            }
            return
        }
        row = drawProgress(lab, row: row, into: &grid)
        row = drawLegend(lab, row: row, into: &grid)
        row = drawCoverage(lab, row: row, into: &grid)
        let remaining = frame.maxY - row
        let plotHeight = max(6, min(remaining - 4, remaining / 2 + 1))
        drawPlot(lab, in: Rect(x: frame.x, y: row, width: frame.width, height: plotHeight), into: &grid)
        row += plotHeight
        row = drawTable(lab, row: row, into: &grid)
        drawNotes(lab, row: row, into: &grid)
    }

    // MARK: Progress and legend

    private func drawProgress(_ lab: LabRun, row: Int, into grid: inout Grid) -> Int {
        let configuration = state.lab.configuration
        let total = configuration.pairCounts.count
        let done = lab.report?.steps.count ?? 0
        let range = "m \(configuration.pairCounts.first!)…\(configuration.pairCounts.last!)"
        let text: String, style: Style
        switch lab.phase {
        case .running:
            let barWidth = max(4, min(20, frame.width - 40))
            let bar = ProgressBar.text(done: done, total: total, width: barWidth, ascii: theme.ascii)
            text = "running \(bar) \(done) of \(total) m \(theme.ascii ? "-" : "·") c: cancel"
            style = theme.warning
        case .finished:
            text = "done: \(range), \(configuration.seeds) seeds, fit m ≥ \(state.lab.fitFrom) \(theme.ascii ? "-" : "·") f F: fit \(theme.ascii ? "-" : "·") c: rerun"
            style = theme.success
        case .cancelled:
            text = "cancelled after \(done) of \(total) m \(theme.ascii ? "-" : "·") c runs again"
            style = theme.warning
        case .tooLarge:
            text = ""
            style = .plain
        }
        grid.write(theme.text(text), column: frame.x + 1, row: row, style: style, limit: frame.width - 2)
        return row + 1
    }

    private func drawLegend(_ lab: LabRun, row: Int, into grid: inout Grid) -> Int {
        var column = frame.x + 1, row = row
        guard let report = lab.report else { return row + 1 }
        let minus = theme.ascii ? "-" : "−"
        for method in report.methods {
            let slope = report.slopeEstimate(method, lab.gap, fitFrom: state.lab.fitFrom).map {
                LabWords.slope($0, minus: minus)
            } ?? "n/a"
            let swatch = String(glyph(method) ?? theme.brailleSwatch)
            let text = "\(swatch) \(method.title) slope \(slope)"
            if column + text.count > frame.maxX - 1, column > frame.x + 1 {
                column = frame.x + 1
                row += 1
            }
            grid.write(text, column: column, row: row, style: theme.style(method.policyID, referenceCount: referenceCount))
            column += text.count + 3
        }
        let band = "bars: 95% of mean, dots: theory"
        if column + band.count > frame.maxX - 1, frame.height >= 30 {
            column = frame.x + 1
            row += 1
        }
        if column + band.count <= frame.maxX - 1 { grid.write(band, column: column, row: row, style: theme.muted) }
        return row + 1
    }

    /// One line: each measured method's coverage coefficients `C_glob / C* / C_ε` for its sampler.
    private func drawCoverage(_ lab: LabRun, row: Int, into grid: inout Grid) -> Int {
        guard let report = lab.report else { return row }
        let coverage = CoverageLab.coverage(state.analysis.solution, samplers: state.lab.configuration.samplers)
        let infinity = theme.ascii ? "inf" : "∞"
        func number(_ value: Double) -> String { value.isFinite ? NumberFormat.short(value, digits: 3, ascii: theme.ascii) : infinity }
        let parts = coverage.filter { report.methods.contains($0.method) }.map { entry in
            "\(entry.method.title) \(number(entry.coefficients.global))/\(number(entry.coefficients.single))/\(number(entry.coefficients.local))"
        }
        guard !parts.isEmpty else { return row }
        let text = theme.text("C_glob/C*/C_ε: " + parts.joined(separator: "  "))
        grid.write(text, column: frame.x + 1, row: row, style: theme.muted, limit: frame.width - 2)
        return row + 1
    }

    // MARK: The plot

    private func drawPlot(_ lab: LabRun, in rect: Rect, into grid: inout Grid) {
        let axisWidth = 8
        let plot = Rect(x: rect.x + axisWidth, y: rect.y, width: rect.width - axisWidth - 2, height: rect.height - 2)
        guard plot.height >= 2, plot.width >= 10 else { return }
        let chart = LabChart(lab.report, gap: lab.gap, counts: state.lab.configuration.pairCounts,
                             theories: CoverageLab.theory(state.analysis.solution, samplers: state.lab.configuration.samplers))
        let xLow = chart.xLow, xHigh = chart.xHigh
        let (yLow, yHigh) = chart.decades ?? (-3, 0)
        drawAxes(plot: plot, chart: chart, yLow: yLow, yHigh: yHigh, into: &grid)
        guard lab.report != nil, chart.decades != nil else {
            let text = lab.report == nil ? "waiting for the first m…" : "every gap is 0"
            grid.write(text, column: plot.x + 2, row: plot.y + plot.height / 2, style: theme.muted, limit: plot.width - 2)
            return
        }
        let dotWidth = plot.width * 2, dotHeight = plot.height * 4
        func dotX(_ m: Int) -> Int { Int((chart.x(Double(m)) * Double(dotWidth - 1)).rounded()) }
        func dotY(_ value: Double) -> Int { Int(((1 - LogAxis.fraction(value, low: yLow, high: yHigh)) * Double(dotHeight - 1)).rounded()) }
        for (index, line) in chart.lines.enumerated() {
            let method = line.method, points = line.points
            let style = theme.style(method.policyID, referenceCount: referenceCount)
            // The theory's line, dotted: every other dot column from the smallest to the largest m.
            let theoryDots: [(x: Int, y: Int)] = line.theory.map { theory in
                stride(from: index % 2, to: dotWidth, by: 4).map { x in
                    let m = pow(10, xLow + Double(x) / Double(max(1, dotWidth - 1)) * (xHigh - xLow))
                    return (x, dotY(theory.line(chart.gap, pairs: max(1, Int(m.rounded())))!))
                }
            } ?? []
            if let glyph = glyph(method) {
                for dot in theoryDots where grid[plot.x + dot.x / 2, plot.y + dot.y / 4].character == " " {
                    grid[plot.x + dot.x / 2, plot.y + dot.y / 4] = Cell(".", style: style)
                }
                // The whiskers: the cells from the interval's top to its bottom, beside the mean's glyph.
                for (m, statistics) in points {
                    guard let interval = statistics.meanInterval else { continue }
                    let column = plot.x + dotX(m) / 2
                    for row in (plot.y + dotY(interval.upperBound) / 4)...(plot.y + dotY(interval.lowerBound) / 4)
                    where grid[column, row].character == " " || grid[column, row].character == "." {
                        grid[column, row] = Cell("|", style: style)
                    }
                }
                for (m, statistics) in points {
                    grid[plot.x + dotX(m) / 2, plot.y + dotY(statistics.mean) / 4] = Cell(glyph, style: style)
                }
                continue
            }
            var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
            // The 95% interval of the mean: a whisker at each m, one dot column to the side per method.
            for (m, statistics) in points {
                guard let interval = statistics.meanInterval else { continue }
                let x = min(dotWidth - 1, max(0, dotX(m) + index - 1))
                canvas.vertical(x: x, from: dotY(interval.upperBound), to: dotY(interval.lowerBound))
            }
            // The mean, joined between neighbouring m.
            for (a, b) in zip(points, points.dropFirst()) {
                canvas.line(from: dotX(a.m), dotY(a.statistics.mean), to: dotX(b.m), dotY(b.statistics.mean))
            }
            if points.count == 1 { canvas.set(x: dotX(points[0].m), y: dotY(points[0].statistics.mean)) }
            for dot in theoryDots { canvas.set(x: dot.x, y: dot.y) }
            canvas.draw(into: &grid, column: plot.x, row: plot.y, style: style)
        }
    }

    private func drawAxes(plot: Rect, chart: LabChart, yLow: Double, yHigh: Double, into grid: inout Grid) {
        let axes = theme.chartAxes(plot)
        axes.drawRules(into: &grid)
        let axisX = plot.x - 1
        let room = axisX - frame.x - 1
        let decades = Int(yHigh - yLow)
        var used = Set<Int>()
        for exponent in stride(from: Int(yHigh), through: Int(yLow), by: -1) {
            let fraction = (Double(exponent) - yLow) / Double(max(1, decades))
            let row = plot.y + Int(((1 - fraction) * Double(plot.height * 4 - 1)).rounded()) / 4
            guard !used.contains(row), !used.contains(row - 1), !used.contains(row + 1) || exponent == Int(yLow) else { continue }
            used.insert(row)
            grid.write(TextLayout.pad("1e\(exponent)", to: room, .right), column: frame.x, row: row, style: theme.muted)
        }
        let gapLabel = "gap"
        if !used.contains(plot.y) && !used.contains(plot.y + 1) {
            grid.write(gapLabel, column: frame.x + 1, row: plot.y, style: theme.muted)
        }
        let ticks = LogAxis.decades(from: chart.xLow, to: chart.xHigh).map { exponent in
            ((Double(exponent) - chart.xLow) / (chart.xHigh - chart.xLow), NumberFormat.short(pow(10, Double(exponent)), digits: 1, ascii: theme.ascii))
        }
        let free = axes.drawTicks(ticks, after: frame.x, into: &grid)
        let axisName = "m (log)"
        if free + 2 + axisName.count <= plot.maxX { grid.write(axisName, column: plot.maxX - axisName.count, row: plot.maxY + 1, style: theme.muted) }
    }

    // MARK: Coverage table and notes

    /// Per response: its share of the draws and the mean |r̂ − r| of its fitted reward, for each
    /// sampler, at the largest m finished.
    private func drawTable(_ lab: LabRun, row: Int, into grid: inout Grid) -> Int {
        guard let report = lab.report, let step = report.steps.last, row + 2 < frame.maxY else { return row }
        var row = row
        let names = state.scenario.references.map { theme.text($0.name) }
        let cellWidth = 17  // 10 for the draws, a space and 6 for the error (0.0056)
        // Narrow labels before dropping a sampler's columns.
        let natural = max(8, min(16, state.analysis.longestLabel))
        let labelWidth = max(6, min(natural, frame.width - 2 - step.samplers.count * cellWidth))
        var column = frame.x + 1
        let mText = "m=\(step.pairCount)"
        grid.write(TextLayout.pad(mText.count <= labelWidth ? mText : "m=" + NumberFormat.short(Double(step.pairCount), digits: 1, ascii: theme.ascii),
                                  to: labelWidth), column: column, row: row, style: theme.heading)
        column += labelWidth + 1
        var shown = 0
        for sampler in step.samplers where column + cellWidth <= frame.maxX {
            let name = theme.text(sampler.sampler.label(referenceNames: names))
            let title = TextLayout.pad(name.count <= 3 ? name + " draws" : name + " %", to: 10, .right)
                + TextLayout.pad("err", to: cellWidth - 10, .right)
            grid.write(title, column: column, row: row, style: theme.heading)
            column += cellWidth
            shown += 1
        }
        row += 1
        let room = frame.maxY - row - 1
        let count = state.scenario.responses.count
        let visible = count <= room ? count : max(0, room - 1)
        for y in 0..<visible {
            column = frame.x + 1
            let marker = y == state.chart.selected ? (theme.ascii ? ">" : "▶") : " "
            grid.write(marker + TextLayout.pad(theme.text(state.scenario.responses[y]), to: labelWidth - 1), column: column, row: row)
            column += labelWidth + 1
            for sampler in step.samplers.prefix(shown) {
                let coverage = sampler.responses[y]
                let share = coverage.meanDraws / Double(2 * step.pairCount)
                let draws = share == 0 ? "never" : Self.percent(share)
                let error = coverage.meanAbsoluteError.map { NumberFormat.short($0, digits: 2, ascii: theme.ascii) } ?? "-"
                let style: Style = share == 0 ? theme.warning : .plain
                grid.write(TextLayout.pad(draws, to: 10, .right) + TextLayout.pad(error, to: cellWidth - 10, .right),
                           column: column, row: row, style: style)
                column += cellWidth
            }
            row += 1
        }
        if visible < count {
            grid.write("… \(count - visible) more responses (klscope lab)", column: frame.x + 1, row: row, style: theme.muted, limit: frame.width - 2)
            row += 1
        }
        return row
    }

    /// The notes, wrapped, from the page `N` turned to: when they do not fit, the last row says
    /// which lines are shown and that `N` shows the next ones (after the last page, the first).
    private func drawNotes(_ lab: LabRun, row: Int, into grid: inout Grid) {
        guard let report = lab.report, row + 1 < frame.maxY else { return }
        let notes = report.notes(responseNames: state.scenario.responses, referenceNames: state.scenario.references.map(\.name),
                                 fitFrom: state.lab.fitFrom)
        let lines = notes.flatMap { note in
            TextLayout.wrap(theme.text(note), width: max(1, frame.width - 4)).enumerated().map { index, line in
                (index == 0 ? (theme.ascii ? "* " : "• ") : "  ") + line
            }
        }
        let room = frame.maxY - row - 1
        let page = Self.notesPage(lineCount: lines.count, room: room, turned: lab.notesPage)
        for (offset, line) in lines[page.lines].enumerated() {
            grid.write(line, column: frame.x + 1, row: row + 1 + offset, style: theme.muted)
        }
        guard page.lines.count < lines.count else { return }
        let ellipsis = theme.ascii ? "..." : "…"
        let next = page.lines.upperBound < lines.count ? "N: more notes" : "N: the first notes again"
        grid.write("\(ellipsis) notes lines \(page.lines.lowerBound + 1)–\(page.lines.upperBound) of \(lines.count) \(theme.ascii ? "-" : "·") \(next)",
                   column: frame.x + 1, row: row + 1 + page.lines.count, style: theme.heading, limit: frame.width - 2)
    }

    /// The lines of the notes shown after `turned` presses of `N`, with `room` rows: all of them
    /// when they fit, else pages of `room − 1` lines (a row says what is cut), the first again after the last.
    static func notesPage(lineCount: Int, room: Int, turned: Int) -> (lines: Range<Int>, pages: Int) {
        guard lineCount > room, room >= 2 else { return (0..<min(lineCount, max(0, room)), 1) }
        let size = room - 1
        let pages = (lineCount + size - 1) / size
        let start = (turned % pages) * size
        return (start..<min(lineCount, start + size), pages)
    }

    // MARK: Helpers

    private func glyph(_ method: KLMethod) -> Character? { theme.curveGlyph(method) }

    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return tenths == 0 ? "<0.1%" : "\(tenths / 10).\(tenths % 10)%"
    }
}
