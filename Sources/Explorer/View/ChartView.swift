import KLMath
import TerminalUI

/// Draws the chart column: a header rule, the numbered legend, and the bars of the
/// visible responses in rows or columns. Only the responses on screen are touched.
struct ChartView {
    let state: ExplorerState
    let theme: Theme
    let geometry: ChartGeometry

    /// The largest value of any visible series: the automatic and logarithmic scales' full bar.
    private var largest: Double { state.largestDrawnProbability }

    /// The fraction of a full bar that `p` fills on the chosen scale (`b`).
    private func fraction(_ p: Double, largest: Double) -> Double { state.chart.barScale.fraction(p, largest: largest) }

    private var referenceCount: Int { state.scenario.references.count }

    func draw(into grid: inout Grid) {
        drawHeader(into: &grid)
        drawLegend(into: &grid)
        guard !geometry.series.isEmpty else {
            grid.write("every series is hidden: press 1…9 or x to show one", column: geometry.plot.x + 2,
                       row: geometry.plot.y + 1, style: theme.muted, limit: geometry.plot.width - 2)
            return
        }
        switch geometry.layout {
        case .rows: drawRows(into: &grid)
        case .columns: drawColumns(into: &grid)
        }
    }

    private func drawHeader(into grid: inout Grid) {
        let count = state.scenario.responses.count
        // With the "rest" block the chart shows the top responses and then one block for the others.
        let restTop = state.aggregatedTop
        let last = restTop ?? min(count, geometry.first + geometry.visibleCount)
        let shown = geometry.first + 1 == last ? "\(last)" : "\(geometry.first + 1)\(theme.ascii ? "-" : "–")\(last)"
        let range = restTop == nil ? shown : "\(shown)+rest"
        let dot = theme.ascii ? "-" : "·"
        let sorted = state.chart.sortKey == .file ? "" : " \(dot) by \(state.sortDescription)"
        let pieces = ["Chart", geometry.layout == .rows ? "(rows)" : "(columns)", "\(range) of \(count)\(sorted)",
                      "\(dot) \(state.chart.barScale.title(largest: largest, number: theme.number, dash: theme.ascii ? "-" : "–"))"]
        // Leave out the layout name, then the bar scale, when the rule is too short.
        let room = geometry.frame.width - 6
        let title = [pieces, [pieces[0], pieces[2], pieces[3]], [pieces[0], pieces[2]]]
            .map { $0.joined(separator: " ") }.first { $0.count <= room } ?? pieces[0]
        grid.drawRule(column: geometry.frame.x, row: geometry.frame.y, width: geometry.frame.width, character: theme.rule,
                      lineStyle: theme.frame, title: title, titleStyle: theme.heading)
    }

    private func drawLegend(into grid: inout Grid) {
        for item in geometry.legend {
            let hidden = state.chart.hiddenSeries.contains(item.series) || state.analysis.largestProbability[item.series] == nil
            let style = hidden ? theme.hidden : theme.style(item.series, referenceCount: referenceCount)
            let number = item.key
            grid.write(number, column: item.column, row: item.row, style: theme.key)
            let swatch: Character = hidden ? (theme.ascii ? "-" : "·") : theme.swatch(item.series, referenceCount: referenceCount)
            grid[item.column + number.count, item.row] = Cell(swatch, style: style)
            grid.write(String(item.text.dropFirst(number.count + 1)), column: item.column + number.count + 1, row: item.row,
                       style: style, limit: geometry.frame.maxX - item.column - number.count - 1)
        }
        if let note = geometry.escapeNote {
            grid.write(note.text, column: note.column, row: note.row, style: theme.warning)
        }
    }

    /// How many cells of a bar `length` cells long the pinned policy's bar would fill (at
    /// least 1, at most `length`); nil without a pin, where the pinned probability is 0 or
    /// where it equals the live one.
    private func ghostCells(_ series: PolicyID, _ y: Int, length: Int) -> Int? {
        guard let q = state.pinnedProbability(series, y), q > 0, q != state.analysis.probability(series, y) else { return nil }
        return min(length, max(1, Int((fraction(q, largest: largest) * Double(length)).rounded(.up))))
    }

    // MARK: Rows

    private func drawRows(into grid: inout Grid) {
        let plot = geometry.plot
        let valueWidth = 9
        // Escaped mass is marked by an arrow after the value; the legend says what it means.
        let escapeWidth = state.analysis.solution.forwardKL.escapedMass > 0 ? 2 : 0
        let barX = plot.x + geometry.labelWidth + geometry.nameWidth
        let barWidth = max(1, plot.maxX - barX - valueWidth - escapeWidth - 1)
        let largest = largest
        let restTop = state.aggregatedTop
        for offset in 0..<geometry.visibleCount {
            let y = state.chart.order.response(at: geometry.first + offset)
            let isRest = restTop == geometry.first + offset
            let top = plot.y + offset * (geometry.blockLines + 1)
            guard top < plot.maxY else { break }
            if isRest { drawRestLabel(top: top, into: &grid) } else { drawRowLabel(y, top: top, into: &grid) }
            for (line, series) in geometry.series.enumerated() where top + line < plot.maxY {
                let row = top + line
                let style = theme.style(series, referenceCount: referenceCount)
                grid.write(theme.name(series, in: state.scenario), column: plot.x + geometry.labelWidth, row: row,
                           style: style, limit: geometry.nameWidth - 1)
                guard let p = isRest ? state.restProbability(series) : state.analysis.probability(series, y) else { continue }
                let bar = BarGlyphs.horizontal(fraction: fraction(p, largest: largest), width: barWidth, fill: theme.fill(series, referenceCount: referenceCount))
                grid.write(bar, column: barX, row: row, style: style)
                grid.write(TextLayout.pad(theme.number(p), to: valueWidth, .right), column: barX + barWidth, row: row)
                if !isRest, series == .forwardKL, state.analysis.isEscaped(y) {
                    grid[barX + barWidth + valueWidth + 1, row] = Cell(theme.escapedArrow, style: theme.warning)
                }
                if !isRest, let cells = ghostCells(series, y, length: barWidth) {
                    grid[barX + cells - 1, row] = Cell(theme.ghostInRow, style: style)
                }
            }
        }
    }

    /// The left column of the "rest" block: its name and how many responses it sums.
    private func drawRestLabel(top: Int, into grid: inout Grid) {
        let x = geometry.plot.x, width = geometry.labelWidth - 1
        grid.write("rest", column: x + 2, row: top, style: theme.heading, limit: width - 2)
        let count = state.scenario.responses.count - (state.aggregatedTop ?? 0)
        if top + 1 < geometry.plot.maxY {
            grid.write("\(count) more", column: x + 2, row: top + 1, style: theme.muted, limit: width - 2)
        }
        if top + 2 < geometry.plot.maxY {
            grid.write("a: show", column: x + 2, row: top + 2, style: theme.muted, limit: width - 2)
        }
    }

    /// The left column of a response block: label, reward, support mark.
    private func drawRowLabel(_ y: Int, top: Int, into grid: inout Grid) {
        let x = geometry.plot.x
        let width = geometry.labelWidth - 1
        let isSelected = y == state.chart.selected
        let label = TextLayout.truncate(state.scenario.responses[y], to: width - 2, ellipsis: theme.ellipsis)
        if isSelected {
            grid.write(theme.selectedMarker, column: x, row: top, style: theme.heading)
        }
        grid.write(label, column: x + 2, row: top, style: isSelected ? theme.selected : theme.heading)
        if top + 1 < geometry.plot.maxY {
            grid.write("r " + theme.number(state.scenario.rewards[y]), column: x + 2, row: top + 1, limit: width - 2)
        }
        if top + 2 < geometry.plot.maxY {
            grid.write(theme.markWithWords(state.analysis.support(y)), column: x + 2, row: top + 2, style: theme.muted, limit: width - 2)
        }
    }

    // MARK: Columns

    private func drawColumns(into grid: inout Grid) {
        let plot = geometry.plot
        let valueTop = plot.maxY - geometry.valueLines
        let markRow = valueTop - 1
        let labelRow = markRow - 1
        let baseline = labelRow - 1
        let barTop = plot.y + 1
        let barHeight = baseline - barTop
        guard barHeight >= 1 else { return }
        let axisX = plot.x + geometry.axisWidth - 1
        let largest = largest

        let bottom = state.chart.barScale == .logarithmic ? theme.number(state.chart.barScale.value(atFraction: 0, largest: largest)) : "0"
        grid.write(TextLayout.pad(theme.number(state.chart.barScale.full(largest: largest)), to: geometry.axisWidth - 2, .right),
                   column: plot.x, row: barTop, style: theme.muted)
        grid.write(TextLayout.pad(bottom, to: geometry.axisWidth - 2, .right), column: plot.x, row: baseline, style: theme.muted)
        grid.drawVerticalRule(column: axisX, row: barTop, height: barHeight, character: theme.verticalRule, style: theme.frame)
        grid[axisX, baseline] = Cell(theme.axisCorner, style: theme.frame)
        let axisEnd = min(plot.maxX, plot.x + geometry.axisWidth + geometry.visibleCount * geometry.groupWidth)
        grid.drawRule(column: axisX + 1, row: baseline, width: axisEnd - axisX - 1, character: theme.rule, lineStyle: theme.frame)

        let restTop = state.aggregatedTop
        for offset in 0..<geometry.visibleCount {
            let y = state.chart.order.response(at: geometry.first + offset)
            let isRest = restTop == geometry.first + offset
            let x0 = plot.x + geometry.axisWidth + offset * geometry.groupWidth + 1
            for (index, series) in geometry.series.enumerated() {
                guard let p = isRest ? state.restProbability(series) : state.analysis.probability(series, y) else { continue }
                let style = theme.style(series, referenceCount: referenceCount)
                let cells = BarGlyphs.vertical(fraction: fraction(p, largest: largest), height: barHeight, fill: theme.fill(series, referenceCount: referenceCount))
                for (level, character) in cells.enumerated() {
                    for offset in 0..<geometry.barWidth {
                        grid[x0 + index * geometry.barWidth + offset, baseline - 1 - level] = Cell(character, style: style)
                    }
                }
                if !isRest, series == .forwardKL, state.analysis.isEscaped(y) {
                    grid[x0 + index * geometry.barWidth, max(plot.y, baseline - 1 - cells.count)] = Cell(theme.escapedArrow, style: theme.warning)
                }
                if !isRest, let level = ghostCells(series, y, length: barHeight) {
                    for offset in 0..<geometry.barWidth {
                        grid[x0 + index * geometry.barWidth + offset, baseline - level] = Cell(theme.ghostInColumn, style: style)
                    }
                }
            }
            let width = geometry.groupWidth - 1
            if isRest {
                grid.write(TextLayout.pad("rest", to: width, .left), column: x0 - 1, row: labelRow, style: theme.heading, limit: width)
                let more = "\(state.scenario.responses.count - (restTop ?? 0)) more"
                grid.write(TextLayout.truncate(more, to: width, ellipsis: theme.ellipsis), column: x0 - 1, row: markRow, style: theme.muted)
                continue
            }
            let isSelected = y == state.chart.selected
            let label = TextLayout.pad(state.scenario.responses[y], to: width, .left, ellipsis: theme.ellipsis)
            grid.write(label, column: x0 - 1, row: labelRow, style: isSelected ? theme.selected : theme.heading, limit: width)
            let mark = theme.mark(state.analysis.support(y)) + " " + theme.number(state.scenario.rewards[y])
            grid.write(TextLayout.truncate(mark, to: width, ellipsis: theme.ellipsis), column: x0 - 1, row: markRow, style: theme.muted)
        }
        drawSelectedValues(top: valueTop, into: &grid)
    }

    /// Under the columns: the selected response's value in every visible series.
    private func drawSelectedValues(top: Int, into grid: inout Grid) {
        let plot = geometry.plot
        let y = state.chart.selected
        var column = plot.x + 1, row = top
        let head = "\(theme.selectedMarker) \(state.scenario.responses[y]):"
        grid.write(head, column: column, row: row, style: theme.heading, limit: plot.width - 2)
        column += min(head.count, plot.width - 2) + 1
        for series in geometry.series {
            guard let p = state.analysis.probability(series, y) else { continue }
            let name = theme.name(series, in: state.scenario)
            let value = theme.number(p) + (series == .forwardKL && state.analysis.isEscaped(y) ? " " + theme.escapedTag : "")
            let width = name.count + 1 + value.count
            if column + width > plot.maxX - 1 {
                row += 1
                column = plot.x + 3
                if row >= plot.maxY { return }
            }
            grid.write(name, column: column, row: row, style: theme.style(series, referenceCount: referenceCount))
            grid.write(value, column: column + name.count + 1, row: row)
            column += width + 2
        }
    }
}
