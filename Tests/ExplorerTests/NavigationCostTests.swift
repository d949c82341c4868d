import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// Navigation never re-solves or re-sorts: at 100,000 responses every navigation key and
/// overlay leaves the analysis and the order as they were. (Speed itself is measured by
/// `klscope bench frame` and `klscope bench vocab` in a release build, not asserted here.)
@Suite struct NavigationCostTests {
    @Test func navigationAtAHundredThousandResponsesNeitherSolvesNorSorts() throws {
        let session = try Fixtures.session(SyntheticScenario.make(responses: 100_000, references: 3, seed: 11), keys: "t")
        let revision = session.state.analysis.revision
        let order = session.state.order
        for keys in ["j", "<end>", "k", "v", "<pgup>", "v", "<tab>", "/ y5", "<enter>", "n", "? <esc>", "a", "a"] {
            session.handle(try KeyNotation.parse(keys))
            _ = session.view(width: 120, height: 40)
            #expect(session.state.analysis.revision == revision, "\(keys) re-solved")
            #expect(session.state.order.revision == order.revision && session.state.order.key == order.key, "\(keys) re-sorted")
        }
        #expect(session.state.selected != 0)
    }
}
