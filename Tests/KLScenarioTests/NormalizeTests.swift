import Foundation
import KLMath
import Testing
@testable import KLScenario
import TestSupport

/// `normalize: true` renormalises references that do not sum to 1 and says so.
@Suite struct NormalizeTests {
    @Test func probabilitiesAreRenormalisedWithANotice() throws {
        let text = validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0.4, 0.3, 0.2, 0.08]")
            .replacingOccurrences(of: "name: p", with: "name: chat") + "normalize: true\n"
        let scenario = try ScenarioLoader.parse(text, fileName: "n.yaml")
        #expect(scenario.normalize)
        #expect(scenario.loadNotices == ["reference \"chat\": probabilities summed to 0.98; renormalised"])
        let probabilities = Policy(logProbabilities: scenario.references[0].logProbabilities).probabilities
        #expect(isClose(probabilities.reduce(0, +), 1, within: 1e-15))
        #expect(isClose(probabilities[3], 0.08 / 0.98, within: 1e-15))
    }

    @Test func logitsAreRenormalised() throws {
        let text = validYAML(replacing: "[-0.6931471805599453, -0.6931471805599453, -.inf, -.inf]", with: "[2, 1, 0, -.inf]")
            + "normalize: true\n"
        let scenario = try ScenarioLoader.parse(text, fileName: "n.yaml")
        #expect(scenario.loadNotices == ["reference \"q\": probabilities summed to 11.10733793; renormalised"])
        #expect(abs(LogSpace.logSumExp(scenario.references[1].logProbabilities)) < 1e-15)
        #expect(scenario.references[1].logProbabilities[3] == -.infinity)
    }

    @Test func referencesThatSumToOneAreLeftAlone() throws {
        let plain = try ScenarioLoader.parse(validYAML, fileName: "n.yaml")
        let normalized = try ScenarioLoader.parse(validYAML + "normalize: true\n", fileName: "n.yaml")
        #expect(normalized.loadNotices.isEmpty)
        #expect(normalized.references == plain.references)
    }

    @Test func renormalisedScenarioSavesAsOneThatNeedsNoRenormalising() throws {
        let text = validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[4, 3, 2, 1]") + "normalize: true\n"
        let scenario = try ScenarioLoader.parse(text, fileName: "n.yaml")
        #expect(scenario.loadNotices.count == 1)
        let again = try ScenarioLoader.parse(ScenarioWriter.yaml(scenario), fileName: "n.yaml")
        #expect(again.loadNotices.isEmpty)
        var withoutNotices = scenario
        withoutNotices.loadNotices = []
        #expect(again == withoutNotices)
    }
}
