import Testing
import TerminalUI
import TestSupport

/// The chart widgets, each drawn on a small grid and read back as exact text.
@Suite struct ChartWidgetTests {
    @Test func progressBarFillsDoneOfTotal() {
        #expect(ProgressBar.text(done: 3, total: 4, width: 8, ascii: true) == "######..")
        #expect(ProgressBar.text(done: 1, total: 3, width: 6, ascii: false) == "██░░░░")
        #expect(ProgressBar.text(done: 5, total: 5, width: 4, ascii: true) == "####")
        // Nothing to do yet: an empty bar, not a division by zero.
        #expect(ProgressBar.text(done: 0, total: 0, width: 4, ascii: true) == "....")
    }

    @Test func axesDrawRulesTicksAndLabelsThatDoNotOverlap() {
        var grid = Grid(width: 14, height: 4)
        let axes = ChartAxes(plot: Rect(x: 2, y: 0, width: 11, height: 2), vertical: "|", horizontal: "-", corner: "+", tick: "^",
                             lineStyle: .plain, labelStyle: .plain)
        axes.drawRules(into: &grid)
        // "10" at 0.1 would touch "1" at 0, so only its tick is drawn.
        let end = axes.drawTicks([(0, "1"), (0.1, "10"), (0.5, "100"), (1, "1e3")], after: 0, into: &grid)
        #expect(grid.text == " |\n |\n +^^---^----^\n  1   100 1e3")
        #expect(end == 13)
        #expect(axes.column(0.5) == 7)
    }

    @Test func logAxisHasATickAtEveryWholeDecade() {
        #expect(LogAxis.decades(from: -3, to: 3) == [-3, -2, -1, 0, 1, 2, 3])
        // log10 of a round number can miss by a rounding error; the decade still counts.
        #expect(LogAxis.decades(from: 1 + 1e-12, to: 2.5) == [1, 2])
        #expect(LogAxis.decades(from: 0.2, to: 0.8) == [])
    }

    @Test func logAxisRangeIsWholeDecadesOfThePositiveValues() throws {
        let range = try #require(LogAxis.decadeRange(of: [0.003, 0.2, 0, -1, .infinity]))
        #expect(range.low == -3 && range.high == 0)
        // One value: at least one decade tall.
        let single = try #require(LogAxis.decadeRange(of: [10]))
        #expect(single.low == 1 && single.high == 2)
        #expect(LogAxis.decadeRange(of: [0, -2]) == nil)
        #expect(isClose(LogAxis.fraction(0.01, low: -3, high: 0), 1.0 / 3, within: 1e-12))
        #expect(LogAxis.fraction(0, low: -3, high: 0) == 0)
        #expect(LogAxis.fraction(50, low: -3, high: 0) == 1)
    }

    @Test func braillePlotJoinsPointsAndBreaksAtUndefinedOnes() {
        var grid = Grid(width: 4, height: 1)
        // A rising line over 8 dot columns and 4 dot rows, each column joined to the one before.
        LinePlot(xs: [0, 1], ys: [0, 1]).draw(in: Rect(x: 0, y: 0, width: 4, height: 1), xRange: 0...1, yRange: 0...1,
                                               glyph: nil, style: .plain, into: &grid)
        #expect(grid.text == "⣀⡤⠖⠋")
        var glyphs = Grid(width: 5, height: 3)
        // A glyph a column; the undefined middle point breaks the line; the last point stands alone.
        LinePlot(xs: [0, 1, 2, 3, 4], ys: [0, 0, nil, 2, 1], isolated: [4])
            .draw(in: Rect(x: 0, y: 0, width: 5, height: 3), xRange: 0...4, yRange: 0...2, glyph: "*", style: .plain, into: &glyphs)
        #expect(glyphs.text == "\n    *\n**")
    }

    @Test func brailleLineHasNoGapsWhenSteep() {
        var canvas = BrailleCanvas(columns: 1, rows: 2)
        canvas.line(from: 0, 0, to: 1, 7)
        var grid = Grid(width: 1, height: 2)
        canvas.draw(into: &grid, column: 0, row: 0, style: .plain)
        #expect(grid.text == "⢹\n⢸")
    }

    @Test func sliderPlacesTheKnobOnALogScale() {
        let slider = Slider(filled: "=", knob: "O", empty: "-")
        var grid = Grid(width: 7, height: 2)
        slider.draw(fraction: Slider.logFraction(1, in: 1e-3...1e3), column: 0, row: 0, width: 7, style: .plain, emptyStyle: .plain, into: &grid)
        slider.draw(fraction: Slider.logFraction(1e5, in: 1e-3...1e3), column: 0, row: 1, width: 7, style: .plain, emptyStyle: .plain, into: &grid)
        #expect(grid.text == "===O---\n======O")
        #expect(Slider.logFraction(0, in: 1e-3...1e3) == 0)
        #expect(isClose(Slider.logValue(at: 0.5, in: 1e-3...1e3), 1, within: 1e-12))
        #expect(isClose(Slider.logValue(at: 1, in: 1e-3...1e3), 1e3, within: 1e-12, relative: true))
    }
}
