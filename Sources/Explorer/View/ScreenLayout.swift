import KLMath
import Synchronization
import TerminalUI

/// Where everything goes on a screen of a given size: the title and status lines, the
/// chart, the notes box and the side panel. `ExplorerView` draws into these regions and
/// `Update` uses the same geometry to page, scroll and hit-test mouse clicks.
struct ScreenLayout {
    /// Below this the explorer shows only a "terminal too small" notice.
    static let minimumSize = ScreenSize(width: 60, height: 18)

    /// Whether a screen of `size` is below `minimumSize`, where only the notice is drawn.
    static func isTooSmall(_ size: ScreenSize) -> Bool {
        size.width < minimumSize.width || size.height < minimumSize.height
    }

    /// The chart column; nil when the terminal is too small.
    let chart: ChartGeometry?
    /// The side panel with controls and numbers; nil when the terminal is too small.
    let sidebar: SidebarGeometry?
    /// The notes box under the chart, when notes are shown.
    let notes: Rect?

    init(state: ExplorerState, width: Int, height: Int) {
        guard let regions = Self.regions(state, width: width, height: height) else {
            chart = nil
            sidebar = nil
            notes = nil
            return
        }
        notes = regions.notes
        chart = ChartGeometry(state: state, theme: Theme(state.options), frame: regions.chart)
        sidebar = SidebarGeometry(state: state, frame: regions.sidebar)
    }

    /// The chart's geometry alone, for `Update` (paging, the "rest" block), which needs how many
    /// responses fit but not the side panel; nil when the terminal is too small.
    static func chart(_ state: ExplorerState, width: Int, height: Int) -> ChartGeometry? {
        regions(state, width: width, height: height).map { ChartGeometry(state: state, theme: Theme(state.options), frame: $0.chart) }
    }

    /// The frames of the chart column, the notes box under it and the side panel; nil below `minimumSize`.
    private static func regions(_ state: ExplorerState, width: Int, height: Int) -> (chart: Rect, notes: Rect?, sidebar: Rect)? {
        guard !isTooSmall(ScreenSize(width: width, height: height)) else { return nil }
        let sidebarWidth = width < 116 ? max(28, min(52, width * 45 / 100)) : min(66, max(58, width * 32 / 100))
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let chartWidth = body.width - sidebarWidth - 1
        var chartHeight = body.height
        var notes: Rect?
        if state.chart.showsNotes {
            let wrapped = NotesBox.lines(state.scenario, theme: Theme(state.options), width: chartWidth - 4).count
            let notesHeight = min(wrapped + 2, max(5, body.height * 2 / 5))
            chartHeight -= notesHeight
            notes = Rect(x: 0, y: body.maxY - notesHeight, width: chartWidth, height: notesHeight)
        }
        return (Rect(x: 0, y: body.y, width: chartWidth, height: chartHeight), notes,
                Rect(x: chartWidth + 1, y: body.y, width: sidebarWidth, height: body.height))
    }
}

/// The geometry of the chart column: header, legend, plot area, and which responses fit.
struct ChartGeometry {
    /// One entry of the legend: the series, the key that toggles it, and where it is drawn.
    struct LegendItem {
        let series: PolicyID
        /// `1`…`9`; `x` (the series menu) from the tenth series on.
        let key: String
        let text: String
        let column: Int
        let row: Int
    }

    let frame: Rect
    let legend: [LegendItem]
    /// The legend's note on the escape arrow, when forward KL leaves the union.
    let escapeNote: (text: String, column: Int, row: Int)?
    /// Where bars are drawn (below the header and legend).
    let plot: Rect
    let layout: ChartLayout
    /// The series drawn, in order.
    let series: [PolicyID]
    /// How many responses fit.
    let visibleCount: Int
    /// The first response drawn.
    let first: Int

    // Rows layout.
    /// Lines per response block, not counting the blank line after it.
    let blockLines: Int
    /// The width of the left column holding label, reward and support mark.
    let labelWidth: Int
    /// The width of the series-name column.
    let nameWidth: Int

    // Columns layout.
    /// The width of the value axis on the left.
    let axisWidth: Int
    /// The width of one response group, gap included.
    let groupWidth: Int
    /// The width of one bar in cells.
    let barWidth: Int
    /// Lines under the bars for the selected response's values.
    let valueLines: Int

    /// Counts the geometries computed in the current task, when set (tests count work with it).
    @TaskLocal static var computations: Counter?

    /// A count shared by the code a test runs.
    final class Counter: Sendable {
        private let count = Atomic(0)
        var value: Int { count.load(ordering: .relaxed) }
        func add() { count.add(1, ordering: .relaxed) }
    }

    init(state: ExplorerState, theme: Theme, frame: Rect) {
        Self.computations?.add()
        self.frame = frame
        layout = state.chart.layout
        let scenario = state.scenario
        let all = PolicyID.charted(referenceCount: scenario.references.count)
        series = all.filter { !state.chart.hiddenSeries.contains($0) && state.analysis.largestProbability[$0] != nil }

        // Legend, wrapped by items; explanations when everything fits on one line.
        let keys = all.indices.map { $0 < 9 ? "\($0 + 1)" : "x" }
        let plain = all.enumerated().map { index, s in keys[index] + " " + theme.name(s, in: scenario) }
        let explained = all.enumerated().map { index, s in
            plain[index] + (s.isReference ? "" : " " + theme.explanation(s))
        }
        let texts = explained.map(\.count).reduce(0, +) + 2 * all.count <= frame.width - 2 ? explained : plain
        var items: [LegendItem] = []
        var column = frame.x + 1, row = frame.y + 1
        for (index, s) in all.enumerated() {
            let text = texts[index]
            if column + text.count > frame.maxX, column > frame.x + 1 {
                column = frame.x + 1
                row += 1
            }
            items.append(LegendItem(series: s, key: keys[index], text: text, column: column, row: row))
            column += text.count + 2
        }
        legend = items
        // Where forward KL puts mass outside the union, the legend says what the arrow means.
        if state.analysis.solution.forwardKL.escapedMass > 0 {
            let text = theme.escapedTag + " = FKL* mass outside U"
            if column + text.count > frame.maxX {
                column = frame.x + 1
                row += 1
            }
            escapeNote = (text, column, row)
        } else {
            escapeNote = nil
        }
        plot = Rect(x: frame.x, y: row + 1, width: frame.width, height: frame.maxY - row - 1)

        let count = scenario.responses.count
        blockLines = max(3, series.count)
        labelWidth = min(frame.width / 3, min(20, max(14, state.analysis.longestLabel + 3)))
        nameWidth = min(10, series.map { theme.name($0, in: scenario).count }.max() ?? 4) + 1
        axisWidth = 8
        // Bars two cells wide when every response still fits that way.
        let roomy = (plot.width - axisWidth) / max(1, count) >= 2 * series.count + 3
        barWidth = roomy ? 2 : 1
        groupWidth = max(series.count * barWidth + 2, 11)
        valueLines = state.chart.layout == .columns ? min(3, max(1, plot.height / 6)) : 0

        let fits: Int = switch state.chart.layout {
        case .rows: (plot.height + 1) / (blockLines + 1)
        case .columns: (plot.width - axisWidth) / groupWidth
        }
        visibleCount = max(1, min(count, fits))
        // The selection is always drawn, even when this size differs from the last resize.
        let scrolled = min(max(0, state.chart.scrollTop), max(0, count - visibleCount))
        let selected = state.chart.order.position(of: state.chart.selected)
        first = min(max(scrolled, selected - visibleCount + 1), selected)
    }

    /// The chart position (in `ExplorerState.order`) drawn at a cell of the plot, if any.
    func response(atColumn column: Int, row: Int, count: Int) -> Int? {
        guard plot.contains(column: column, row: row) else { return nil }
        let offset: Int
        switch layout {
        case .rows:
            offset = (row - plot.y) / (blockLines + 1)
        case .columns:
            guard column >= plot.x + axisWidth else { return nil }
            offset = (column - plot.x - axisWidth) / groupWidth
        }
        let index = first + offset
        return offset < visibleCount && index < count ? index : nil
    }
}

/// The geometry of the side panel: which row holds each control and where the sliders are.
struct SidebarGeometry {
    let frame: Rect
    /// The row of each control.
    let rows: [Control: Int]
    /// The row of the β scale labels, if there is room for them.
    let betaScaleRow: Int?
    /// The rule above the selected response's controls.
    let selectionRule: Int
    /// The first row of the numbers section.
    let numbersTop: Int
    /// The width of the label column (names are cut to fit).
    var labelWidth: Int { frame.width >= 50 ? 13 : 9 }
    /// The width of the value column.
    static let valueWidth = 10
    /// The columns of the sliders.
    var slider: (x: Int, width: Int) {
        (frame.x + 1 + labelWidth, frame.width - labelWidth - Self.valueWidth - 2)
    }

    init(state: ExplorerState, frame: Rect) {
        self.frame = frame
        let k = state.scenario.references.count
        // Rules, β, the weights, reward and probabilities, the numbers' summary and a short table.
        let needed = 1 + 1 + k + 1 + 1 + k + 1 + 4 + 6
        var row = frame.y + 1
        var rows: [Control: Int] = [.beta: row]
        row += 1
        if frame.height > needed {
            betaScaleRow = row
            row += 1
        } else {
            betaScaleRow = nil
        }
        for j in 0..<k {
            rows[.weight(j)] = row
            row += 1
        }
        selectionRule = row
        row += 1
        rows[.reward] = row
        row += 1
        for j in 0..<k {
            rows[.probability(j)] = row
            row += 1
        }
        numbersTop = row
        self.rows = rows
    }

    /// The control at a cell, and where on its slider the cell is (0…1), if it has one.
    func hit(column: Int, row: Int) -> (control: Control, fraction: Double?)? {
        guard frame.contains(column: column, row: row),
              let control = rows.first(where: { $0.value == row })?.key else { return nil }
        let slider = slider
        switch control {
        case .beta, .weight:
            guard column >= slider.x, column < slider.x + slider.width, slider.width > 1 else { return (control, nil) }
            return (control, Double(column - slider.x) / Double(slider.width - 1))
        case .reward, .probability:
            return (control, nil)
        }
    }
}

extension PolicyID {
    /// Whether this is one of the given references rather than a derived policy.
    var isReference: Bool {
        if case .reference = self { return true }
        return false
    }
}
