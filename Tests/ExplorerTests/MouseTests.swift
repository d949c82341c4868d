import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// Mouse clicks and the wheel, located with the same geometry the view draws with.
@Suite struct MouseTests {
    private func layout(_ session: ExplorerSession) -> ScreenLayout {
        ScreenLayout(state: session.state, width: session.state.screen.width, height: session.state.screen.height)
    }

    /// The click lands where the screen shows the third response ("answer"), found by reading
    /// the drawn text, not by asking the layout code under test: in rows on its block's label
    /// line, in columns in the plot above its x label.
    @Test(arguments: ["", "v"])
    func clickingAResponseSelectsIt(layoutKeys: String) throws {
        let session = try Fixtures.session(keys: layoutKeys)
        let lines = (0..<40).map { session.view(width: 120, height: 40).line($0) }
        let labelRow = try #require(lines.firstIndex { $0.contains(" answer ") })
        let labelColumn = try #require(lines[labelRow].range(of: "answer")).lowerBound.utf16Offset(in: lines[labelRow])
        let click = layoutKeys.isEmpty ? (column: labelColumn + 20, row: labelRow) : (column: labelColumn + 2, row: labelRow - 3)
        session.handle(.mouse(MouseEvent(.press(button: 1), column: click.column, row: click.row)))
        #expect(session.state.chart.selected == 2)
        let after = session.view(width: 120, height: 40).text
        #expect(after.contains(layoutKeys.isEmpty ? "▶ answer" : "▶ answer:"))
    }

    @Test func clickingTheBetaSliderSetsItOnTheLogScale() throws {
        let session = try Fixtures.session(Fixtures.three)
        let sidebar = try #require(layout(session).sidebar)
        let row = try #require(sidebar.rows[.beta])
        let slider = sidebar.slider
        session.handle(.mouse(MouseEvent(.press(button: 1), column: slider.x + slider.width - 1, row: row)))
        #expect(session.state.scenario.beta == 1000)
        session.handle(.mouse(MouseEvent(.press(button: 1), column: slider.x, row: row)))
        #expect(session.state.scenario.beta == 0.001)
        try session.handle(KeyNotation.parse("u"))
        #expect(session.state.scenario.beta == 1000)
    }

    @Test func clickingAWeightSliderSetsItLinearlyAndRescales() throws {
        let session = try Fixtures.session(Fixtures.three)
        let sidebar = try #require(layout(session).sidebar)
        let row = try #require(sidebar.rows[.weight(2)])
        session.handle(.mouse(MouseEvent(.press(button: 1), column: sidebar.slider.x, row: row)))
        let weights = session.state.scenario.normalizedWeights
        #expect(session.state.focus == .weight(2))
        #expect(weights[2] == 0)
        #expect(isClose(weights[0], 0.625, within: 1e-12))
    }

    @Test func clickingAControlFocusesIt() throws {
        let session = try Fixtures.session(Fixtures.three)
        let sidebar = try #require(layout(session).sidebar)
        let row = try #require(sidebar.rows[.probability(1)])
        session.handle(.mouse(MouseEvent(.press(button: 1), column: sidebar.frame.x + 2, row: row)))
        #expect(session.state.focus == .probability(1))
        #expect(session.state.scenario == Fixtures.three)
    }

    @Test func wheelScrollsAndDragsTheSelection() throws {
        let scenario = SyntheticScenario.make(responses: 50, references: 2, seed: 5)
        let session = try Fixtures.session(scenario)
        for _ in 0..<3 { session.handle(.mouse(MouseEvent(.scrollDown, column: 10, row: 10))) }
        #expect(session.state.chart.scrollTop == 3)
        #expect(session.state.chart.selected == 3)
        session.handle(.mouse(MouseEvent(.scrollUp, column: 10, row: 10)))
        #expect(session.state.chart.scrollTop == 2)
    }

    @Test func mouseIsIgnoredWhenTurnedOff() throws {
        let session = try Fixtures.session(options: ExplorerOptions(mouse: false))
        let chart = try #require(layout(session).chart)
        session.handle(.mouse(MouseEvent(.press(button: 1), column: chart.plot.x + 3, row: chart.plot.maxY - 2)))
        session.handle(.mouse(MouseEvent(.scrollDown, column: 10, row: 10)))
        #expect(session.state.chart.selected == 0)
        #expect(session.state.chart.scrollTop == 0)
    }
}
