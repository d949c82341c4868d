import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The DPO view at a vocabulary's scale: its table opens at the selected response, scrolls a row,
/// a page or to either end within the table, keeps its notes in view, and is drawn without
/// re-solving.
@Suite struct DPOViewTests {
    @Test func aLongTableScrollsBetweenItsNotes() throws {
        let scenario = SyntheticScenario.make(responses: 100_000, references: 3, seed: 11)
        let session = try Fixtures.session(scenario, keys: "<end> k", width: 100, height: 30)
        let selected = session.state.chart.selected
        let revision = session.state.analysis.revision
        func screen(_ keys: String) throws -> String {
            session.handle(try KeyNotation.parse(keys))
            return session.view(width: 100, height: 30).text
        }
        func firstRow() -> Int {
            guard case .dpo(let first) = session.state.overlay else { Issue.record("the DPO view is closed"); return -1 }
            return first
        }
        let page = DPOView(session.state).visibleRows(height: 30)
        #expect(page > 1 && page < 30)

        let opened = try screen("d")
        #expect(firstRow() == min(selected, 100_000 - page), "opens at the selected response")
        #expect(opened.contains(" \(scenario.responses[firstRow()]) "), "\(opened)")
        #expect(opened.contains("rows \(firstRow() + 1)-\(firstRow() + page) of 100000"), "\(opened)")
        #expect(opened.contains("outside: the policy gives the response 0"), "the notes below the table stay in view")

        let top = try screen("<home>")
        #expect(firstRow() == 0 && top.contains("rows 1-\(page) of 100000"))
        #expect(top.contains("response ") && top.contains(" \(scenario.responses[0]) "), "\(top)")
        _ = try screen("<up>")
        #expect(firstRow() == 0, "no further than the top")
        _ = try screen("<down> j <pgdn>")
        #expect(firstRow() == 2 + page)
        _ = try screen("<pgup> k")
        #expect(firstRow() == 1)

        let bottom = try screen("G")
        #expect(firstRow() == 100_000 - page && bottom.contains("of 100000"))
        #expect(bottom.contains(" \(scenario.responses[99_999]) "), "the last response: \(bottom)")
        _ = try screen("<down> <pgdn> <end>")
        #expect(firstRow() == 100_000 - page, "no further than the end, so the next ↑ moves at once")
        _ = try screen("<up>")
        #expect(firstRow() == 100_000 - page - 1)

        session.handle(.mouse(MouseEvent(.scrollDown, column: 50, row: 15)))
        #expect(firstRow() == 100_000 - page, "the wheel stops at the end too")
        session.handle(.mouse(MouseEvent(.scrollUp, column: 50, row: 15)))
        #expect(firstRow() == 100_000 - page - 3, "the wheel scrolls 3 rows")
        session.handle(.mouse(MouseEvent(.press(button: 1), column: 50, row: 15)))
        #expect(firstRow() == 100_000 - page - 3 && session.state.chart.selected == selected, "a click does nothing under the view")

        _ = try screen("d")
        #expect(session.state.overlay == nil)
        #expect(session.state.analysis.revision == revision, "scrolling re-solves nothing")
    }

    /// A table that fits is shown whole, with no scrolling in its footer.
    @Test func aShortTableFits() throws {
        let session = try Fixtures.session(keys: "j j d", width: 120, height: 40)
        #expect(session.state.overlay == .dpo(first: 0))
        let text = session.view(width: 120, height: 40).text
        #expect(!text.contains("scroll") && text.contains("Esc or d closes"))
        session.handle(try KeyNotation.parse("<pgdn> j G"))
        #expect(session.state.overlay == .dpo(first: 0), "nothing to scroll")
    }
}
