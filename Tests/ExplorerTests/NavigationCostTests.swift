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
        let order = session.state.chart.order
        for keys in ["j", "<end>", "k", "v", "<pgup>", "v", "<tab>", "/ y5", "<enter>", "n", "? <esc>", "a", "a"] {
            session.handle(try KeyNotation.parse(keys))
            _ = session.view(width: 120, height: 40)
            #expect(session.state.analysis.revision == revision, "\(keys) re-solved")
            #expect(session.state.chart.order.revision == order.revision && session.state.chart.order.key == order.key, "\(keys) re-sorted")
        }
        #expect(session.state.chart.selected != 0)
    }

    /// Paging, the "rest" block's top and keeping the selection in view each need how many
    /// responses fit; an event computes that chart geometry at most once, and an event after
    /// which nothing it depends on changed (layout, screen, series, notes, scenario) reuses it.
    @Test func anEventComputesTheChartGeometryAtMostOnce() throws {
        var state = try Fixtures.session(SyntheticScenario.make(responses: 300, references: 2, seed: 4), keys: "a", width: 120, height: 40).state
        func geometries(_ event: Event) -> Int {
            let counter = ChartGeometry.Counter()
            ChartGeometry.$computations.withValue(counter) { _ = Update.update(&state, .event(event)) }
            return counter.value
        }
        #expect(geometries(.resize(width: 100, height: 30)) == 1)
        #expect(geometries(.key(.pageDown)) == 0, "the same screen, layout and scenario")
        #expect(geometries(.key(.character("v"))) == 1, "another layout")
        #expect(geometries(.key(.character("j"))) == 0)
        #expect(geometries(.key(.character("l"))) == 0, "an edit selects nothing")
        #expect(geometries(.key(.character("j"))) == 1, "the edited scenario")
        #expect(state.chart.aggregatesTail && state.chart.selectedPosition == 2)
    }
}
