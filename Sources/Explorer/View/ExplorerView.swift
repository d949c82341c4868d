import TerminalUI

/// The explorer's view function: draws a state into a grid of any size. Pure: the same
/// state and size always give the same grid.
public enum ExplorerView {
    /// The screen for `state` at `width`×`height` cells.
    public static func draw(_ state: ExplorerState, width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        let theme = Theme(state.options)
        let layout = ScreenLayout(state: state, width: width, height: height)
        guard let chart = layout.chart, let sidebar = layout.sidebar else {
            drawTooSmall(state, width: width, height: height, theme: theme, into: &grid)
            return grid
        }
        TitleBar.draw(state, theme: theme, width: width, into: &grid)
        if state.lab.isOpen {
            LabView(state: state, theme: theme, frame: chart.frame).draw(into: &grid)
        } else if state.sweep.isShown {
            SweepView(state: state, theme: theme, frame: chart.frame).draw(into: &grid)
        } else {
            ChartView(state: state, theme: theme, geometry: chart).draw(into: &grid)
        }
        if let notes = layout.notes { NotesBox.draw(state, theme: theme, in: notes, into: &grid) }
        grid.drawVerticalRule(column: sidebar.frame.x - 1, row: sidebar.frame.y, height: sidebar.frame.height,
                              character: theme.verticalRule, style: theme.frame)
        SidebarView(state: state, theme: theme, geometry: sidebar).draw(into: &grid)
        let separator = sidebar.frame.x - 1
        grid[separator, sidebar.frame.y] = Cell(theme.teeDown, style: theme.frame)
        for row in [sidebar.selectionRule, sidebar.numbersTop] where row < sidebar.frame.maxY {
            grid[separator, row] = Cell(theme.teeRight, style: theme.frame)
        }
        StatusBar.draw(state, theme: theme, width: width, row: height - 1, into: &grid)
        OverlayView.draw(state, theme: theme, width: width, height: height, into: &grid)
        // Labels and names from the scenario may still hold other characters.
        if theme.ascii { grid.replaceNonASCII() }
        return grid
    }

    /// The notice shown below the minimum size; only q acts behind it, so when q asks about
    /// unsaved changes the question is asked here.
    private static func drawTooSmall(_ state: ExplorerState, width: Int, height: Int, theme: Theme, into grid: inout Grid) {
        let minimum = ScreenLayout.minimumSize
        let x = theme.ascii ? "x" : "×"
        let action = if case .confirm(.quit) = state.overlay {
            "unsaved changes: quit anyway? y / n"
        } else {
            "enlarge it, or press q to quit"
        }
        let paragraphs = ["terminal too small", "(needs \(minimum.width)\(x)\(minimum.height), have \(width)\(x)\(height))",
                          action]
        let lines = paragraphs.flatMap { TextLayout.wrap($0, width: max(1, width - 2)) }
        let top = max(0, (height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.write(line, column: max(0, (width - line.count) / 2), row: top + index, style: theme.heading)
        }
    }
}
