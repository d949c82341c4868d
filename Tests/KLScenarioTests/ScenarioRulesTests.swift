import KLMath
import Testing
@testable import KLScenario

/// The scenario rules are one set: a value a file may not hold is refused by the edits too,
/// with the same words, so an edited scenario can always be saved and read back (issue 11, item 6).
@Suite struct ScenarioRulesTests {
    private func scenario() throws -> Scenario { try ScenarioLoader.parse(validYAML, fileName: "r.yaml") }

    private func fileError(_ old: String, _ new: String) -> String {
        loadError(validYAML(replacing: old, with: new))?.message ?? "loaded"
    }

    @Test func betaOutsideTheRangeIsRefusedByEditsWithTheFilesMessage() throws {
        var s = try scenario()
        for value in [1e-12, 1e12, 0, -1] {
            #expect(throws: EditRefusal(reason: ScenarioRules.betaProblem(value)!)) { try s.setBeta(value) }
        }
        #expect(ScenarioRules.betaProblem(1e12)!.hasPrefix("β must lie between 1e-10 and 1e10"))
        #expect(fileError("beta: 0.5", "beta: 1e12").contains(ScenarioRules.betaProblem(1e12, shown: "1e12")!))
        try s.setBeta(1e10)
        #expect(s.beta == 1e10)
    }

    @Test func betaStepsStopAtTheEndsOfTheRange() throws {
        var s = try scenario()
        for _ in 0..<200 { try? s.stepBeta(by: 1 / 1.2) }
        #expect(s.beta == ScenarioRules.betaRange.lowerBound)
        #expect(throws: EditRefusal.self) { try s.stepBeta(by: 1 / 1.2) }
        for _ in 0..<400 { try? s.stepBeta(by: 3) }
        #expect(s.beta == ScenarioRules.betaRange.upperBound)
        let text = ScenarioWriter.yaml(s)
        #expect(try ScenarioLoader.parse(text, fileName: "saved.yaml").beta == 1e10)
    }

    @Test func rewardsOutsideTheRangeAreRefusedWithTheFilesMessage() throws {
        var s = try scenario()
        #expect(throws: EditRefusal(reason: ScenarioRules.rewardProblem(1e308)!)) { try s.setReward(0, to: 1e308) }
        #expect(throws: EditRefusal.self) { try s.setReward(0, to: -2e9) }
        #expect(throws: EditRefusal.self) { try s.setReward(0, to: .nan) }
        try s.setReward(0, to: -1e9)
        #expect(s.rewards[0] == -1e9)
        #expect(ScenarioRules.rewardProblem(1e308)!.hasPrefix("a reward must lie between -1e9 and 1e9"))
    }

    @Test func weightsNeedAPositiveFiniteSum() throws {
        var s = try scenario()
        #expect(throws: EditRefusal(reason: ScenarioRules.weightsProblem([1e308, 1e308])!)) { try s.setWeights([1e308, 1e308]) }
        #expect(throws: EditRefusal(reason: ScenarioRules.weightsProblem([0, 0])!)) { try s.setWeights([0, 0]) }
        #expect(throws: EditRefusal.self) { try s.setWeights([-1, 1]) }
        #expect(throws: EditRefusal.self) { try s.setWeights([1]) }
        try s.setWeights([3, 1])
        #expect(s.normalizedWeights == [0.75, 0.25])
    }

    @Test func setProbabilityOutsideZeroToOneIsRefused() throws {
        var s = try scenario()
        #expect(throws: EditRefusal.self) { try s.setProbability(reference: 0, response: 0, to: 1.5) }
        #expect(throws: EditRefusal.self) { try s.setProbability(reference: 0, response: 0, to: -0.1) }
    }
}
