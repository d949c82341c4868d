import KLMath
import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// `a` sums everything below the responses on screen into one "rest" block per series.
@Suite struct TailTests {
    static let scenario = SyntheticScenario.make(responses: 300, references: 2, seed: 4)

    @Test func restBlockSumsTheTailOfEverySeries() throws {
        let session = try Fixtures.session(Self.scenario, keys: "t t t t t t t a", width: 120, height: 40)
        let state = session.state
        let top = try #require(state.aggregatedTop)
        #expect(try top == #require(ScreenLayout.chart(state, width: 120, height: 40)).visibleCount - 1)
        // The rest of RKL* is its probability over every response below the top.
        let rkl = try #require(state.analysis.solution.policy(PolicyID.reverseKL)).logProbabilities
        let tail = (top..<300).reduce(0.0) { $0 + exp(rkl[state.chart.order.response(at: $1)]) }
        let screen = session.view(width: 120, height: 40)
        let text = (0..<screen.height).map { row in String((0..<screen.width).map { screen[$0, row].character }) }.joined(separator: "\n")
        #expect(text.contains("rest"))
        #expect(text.contains("\(300 - top) more"))
        // The title counts the top responses drawn, then the block.
        #expect(text.contains("1–\(top)+rest of 300"), "\(text)")
        #expect(text.contains(String(format: "%.4f", tail)) || text.contains(String(format: "%.3g", tail)), "tail \(tail)\n\(text)")
        #expect(state.message?.text.contains("rest (\(300 - top) more)") == true)
    }

    @Test func selectionStaysInTheTopAndSearchIntoTheRestShowsAll() throws {
        let end = try Fixtures.session(Self.scenario, keys: "a <end> j j", width: 120, height: 40)
        let top = try #require(end.state.aggregatedTop)
        #expect(end.state.chart.order.position(of: end.state.chart.selected) == top - 1)
        #expect(end.state.chart.scrollTop == 0)
        let found = try Fixtures.session(Self.scenario, keys: "a / y299 <enter>", width: 120, height: 40)
        #expect(found.state.chart.selected == 299)
        #expect(!found.state.chart.aggregatesTail)
        #expect(try Fixtures.session(Self.scenario, keys: "a a", width: 120, height: 40).state.aggregatedTop == nil)
        // Nothing to sum when every response fits.
        let roomy = try Fixtures.session(keys: "a", width: 200, height: 80)
        #expect(ScreenLayout.chart(roomy.state, width: 200, height: 80)?.visibleCount == 5)
        #expect(roomy.state.aggregatedTop == nil)
        #expect(roomy.state.message?.text == "every response fits; nothing to sum")
    }

    @Test func snapshots() throws {
        for (keys, name) in [("t a", "synthetic-300-rest-by-reward-120x40"), ("v t a", "synthetic-300-rest-columns-120x40")] {
            let session = try Fixtures.session(Self.scenario, keys: keys, width: 120, height: 40)
            try expectSnapshot(session.view(width: 120, height: 40), named: name)
        }
    }
}
