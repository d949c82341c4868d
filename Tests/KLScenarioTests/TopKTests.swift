import Foundation
import Testing
@testable import KLScenario
import TestSupport

/// Lines: 1 title, 2 beta, 3 responses, 4 rewards, 5 references, 6–8 chat (top-k), 9–10 math.
private func topKYAML(topk: String = "topk: {answer: 0.5, derive: 0.2}", rest: String = "rest: 0.3",
                      extra: String = "", responses: String = "[greet, answer, derive]") -> String {
    """
    title: Top-k
    beta: 0.5
    responses: \(responses)
    rewards: [0.1, 1.0, 1.4]
    references:
      - name: chat
        \(topk)
        \(rest)
      - name: math
        probs: [0.2, 0.3, 0.5]
    \(extra)
    """
}

@Suite struct TopKTests {
    @Test func restGoesToOtherWithTheLowestReward() throws {
        let scenario = try ScenarioLoader.parse(topKYAML(), fileName: "test.yaml")
        #expect(scenario.responses == ["greet", "answer", "derive", "other"])
        #expect(scenario.rewards == [0.1, 1.0, 1.4, 0.1])
        #expect(scenario.references[0].logProbabilities.map(exp) == [0, 0.5, 0.2, 0.3].map { $0 == 0 ? 0 : exp(log($0)) })
        // A full reference gives "other" no mass.
        #expect(scenario.references[1].logProbabilities[3] == -.infinity)
        // Saved inline, "other" is an ordinary response and loads back equal.
        #expect(try ScenarioLoader.parse(ScenarioWriter.yaml(scenario), fileName: "saved.yaml") == scenario)
    }

    @Test func restDefaultsToTheUnlistedMassAndRestRewardIsUsed() throws {
        let scenario = try ScenarioLoader.parse(topKYAML(rest: "", extra: "rest_reward: -2"), fileName: "test.yaml")
        #expect(isClose(exp(scenario.references[0].logProbabilities[3]), 0.3, within: 1e-12))
        #expect(scenario.rewards.last == -2)
    }

    @Test func topKFromACSVFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-topk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "answer,0.5\nderive,0.2\n".write(to: directory.appendingPathComponent("top.csv"), atomically: true, encoding: .utf8)
        try topKYAML(topk: "topk: top.csv").write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("s.yaml"))
        #expect(scenario.responses.last == "other")
        #expect(isClose(exp(scenario.references[0].logProbabilities[1]), 0.5, within: 1e-15))
    }

    @Test func errors() throws {
        expectError(topKYAML(topk: "topk: {answer: 0.5, nope: 0.2}"), line: 7, column: 25, field: "references[0].topk", says: "\"nope\" is not one of the responses")
        expectError(topKYAML(rest: "rest: 0.4"), line: 7, column: 11, field: "references[0].topk", says: "sum to 1.1")
        expectError(topKYAML(rest: "rest: -0.3"), line: 8, column: 11, field: "references[0].rest", says: "negative probability")
        expectError(topKYAML(responses: "[greet, answer, derive, other]").replacingOccurrences(of: "rewards: [0.1, 1.0, 1.4]", with: "rewards: [0.1, 1.0, 1.4, 0]"), line: 3, column: 12, field: "responses", says: "\"other\"")
        expectError(topKYAML(topk: "probs: [0.5, 0.2, 0.3]"), line: 8, column: 5, field: "references[0].rest", says: "goes with topk")
        expectError(topKYAML(topk: "probs: [0.5, 0.2, 0.3]", rest: "", extra: "rest_reward: 1"), line: 11, column: 14, field: "rest_reward", says: "only a reference with topk")
        expectError(topKYAML(topk: "topk: {answer: 0.5}\n    probs: [0.5, 0.2, 0.3]"), line: 7, column: 5, field: "references[0]", says: "exactly one")
    }
}
