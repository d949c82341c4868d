import KLMath
import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// `t` sorts the chart by reward or by a series, largest first; navigation follows the order.
@Suite struct SortTests {
    @Test func tCyclesThroughRewardAndEverySeriesThenBack() throws {
        let session = try Fixtures.session()
        var keys: [SortKey] = [session.state.chart.sortKey]
        for _ in 0..<10 {
            try session.handle(KeyNotation.parse("t"))
            keys.append(session.state.chart.sortKey)
        }
        #expect(keys == [.file, .reward, .series(.reference(0)), .series(.reference(1)), .series(.escort), .series(.mixture),
                         .series(.harmonic), .series(.reverseKL), .series(.forwardKL), .series(.mrpo), .file])
        #expect(session.state.message?.text == "chart sorted by file order")
    }

    @Test func sortedByRewardNavigationFollowsTheOrder() throws {
        let scenario = Scenario.builtInDefault
        let byReward = scenario.rewards.indices.sorted { scenario.rewards[$0] > scenario.rewards[$1] }
        let first = try Fixtures.session(keys: "t <home>")
        #expect(first.state.chart.selected == byReward[0])
        let second = try Fixtures.session(keys: "t <home> j")
        #expect(second.state.chart.selected == byReward[1])
        let last = try Fixtures.session(keys: "t <end>")
        #expect(last.state.chart.selected == byReward.last)
        // The selection stays on its response when the order changes.
        #expect(try Fixtures.session(keys: "j j t").state.chart.selected == 2)
    }

    @Test("Beyond the eagerly ordered top, positions and responses come from blocks, then from the whole order")
    func positionsBeyondTheTop() throws {
        let scenario = SyntheticScenario.make(responses: 12_000, references: 2, seed: 3)
        let session = try Fixtures.session(scenario, keys: "t")
        let order = session.state.chart.order
        let rewards = scenario.rewards
        let expected = rewards.indices.sorted { rewards[$0] != rewards[$1] ? rewards[$0] > rewards[$1] : $0 < $1 }
        // Blocks by selection first; past eight blocks (or counted positions) the whole order is sorted.
        let positions = [0, 1, ResponseOrder.topCount - 1, ResponseOrder.topCount, 4_999, 11_999]
            + (1...11).map { $0 * ResponseOrder.topCount + 17 }
        for position in positions {
            #expect(order.response(at: position) == expected[position], "position \(position)")
            #expect(order.position(of: expected[position]) == position, "response at \(position)")
        }
    }

    @Test func orderIsComputedOncePerSolveNotPerFrame() throws {
        let session = try Fixtures.session(SyntheticScenario.make(responses: 20_000, references: 2, seed: 5), keys: "t t t t t t t")
        guard case .series = session.state.chart.sortKey else { Issue.record("not sorted by a series"); return }
        let order = session.state.chart.order
        #expect(order.revision == session.state.analysis.revision)
        let rkl = try #require(session.state.analysis.solution.policy(PolicyID.reverseKL)).logProbabilities
        let drawn = (0..<100).map { order.response(at: $0) }
        #expect(zip(drawn, drawn.dropFirst()).allSatisfy { rkl[$0] >= rkl[$1] } || session.state.chart.sortKey != .series(.reverseKL))
        try session.handle(KeyNotation.parse("j j <pgdn>"))
        _ = session.view(width: 120, height: 40)
        // Navigation and frames reuse the cached order.
        #expect(session.state.chart.order.revision == order.revision)
        // An edit re-solves and re-sorts.
        try session.handle(KeyNotation.parse("l"))
        #expect(session.state.chart.order.revision == session.state.analysis.revision)
        #expect(session.state.chart.order.revision != order.revision)
    }

    @Test func sortedSnapshot() throws {
        let session = try Fixtures.session(keys: "t", width: 120, height: 40)
        try expectSnapshot(session.view(width: 120, height: 40), named: "default-sorted-by-reward-120x40")
    }
}

extension SortTests {
    @Test func sortedSelectionFarDownTheListIsDrawn() throws {
        let scenario = SyntheticScenario.make(responses: 500, references: 2, seed: 9)
        // Sorted by reward, the last position is some response other than 499.
        let session = try Fixtures.session(scenario, keys: "t <end>", width: 120, height: 40)
        let state = session.state
        #expect(state.chart.order.position(of: state.chart.selected) == 499)
        let layout = ScreenLayout(state: state, width: 120, height: 40)
        let chart = try #require(layout.chart)
        #expect(chart.first + chart.visibleCount == 500)
        let screen = session.view(width: 120, height: 40)
        let text = (0..<screen.height).map { row in String((0..<screen.width).map { screen[$0, row].character }) }.joined(separator: "\n")
        #expect(text.contains(scenario.responses[state.chart.selected]))
    }
}
