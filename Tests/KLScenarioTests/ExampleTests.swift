import Foundation
import KLMath
import Testing
@testable import KLScenario
import TestSupport

/// Every file in `examples/` loads, has notes, and solves to proper probability distributions.
@Suite struct ExampleTests {
    @Test func theRequiredExamplesExist() throws {
        let names = Set(try exampleFiles().map(\.lastPathComponent))
        let required: Set = ["agree.yaml", "partial-overlap.yaml", "disjoint.yaml", "escape.yaml", "three-references.yaml",
                             "instruct-vs-math.yaml", "single-reference.yaml", "chat-vs-math.yaml"]
        #expect(required.isSubset(of: names), "missing: \(required.subtracting(names).sorted())")
    }

    @Test func examplesUseBothProbsAndLogprobs() throws {
        let texts = try exampleFiles().map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(texts.contains { $0.contains("probs: [") && !$0.contains("logprobs: [") })
        #expect(texts.contains { $0.contains("logprobs: [") })
    }

    @Test(arguments: try exampleFiles())
    func exampleLoadsAndSolves(_ url: URL) throws {
        let scenario = try ScenarioLoader.load(contentsOf: url)
        #expect(scenario.loadNotices.isEmpty)
        #expect(scenario.notes.contains("Look at"))
        #expect(scenario.notes.contains("Try"))
        let solution = Solution(scenario.problem)
        var ids: [PolicyID] = [.escort, .mixture, .harmonic, .reverseKL, .forwardKL, .mrpo]
        for k in scenario.references.indices {
            ids += [.reference(k), .singleReverseKL(k), .singleForwardKL(k)]
        }
        for id in ids {
            guard let policy = solution.policy(id) else {
                #expect(solution.supports.intersectionIsEmpty, "\(id) is missing although the intersection is not empty")
                continue
            }
            let probabilities = policy.probabilities
            #expect(!probabilities.contains { $0.isNaN }, "\(id)")
            #expect(isClose(probabilities.reduce(0, +), 1, within: 1e-12), "\(id) sums to \(probabilities.reduce(0, +))")
        }
    }

    @Test func examplesShowWhatTheirNamesPromise() throws {
        func solve(_ name: String) throws -> (Scenario, Solution) {
            let scenario = try ScenarioLoader.load(contentsOf: examplesDirectory.appendingPathComponent(name))
            return (scenario, Solution(scenario.problem))
        }
        let (_, disjoint) = try solve("disjoint.yaml")
        #expect(disjoint.supports.intersectionIsEmpty)
        #expect(disjoint.reverseKL == nil)

        let (_, escape) = try solve("escape.yaml")
        #expect(escape.forwardKL.escapedMass > 0.1)

        let (overlap, partial) = try solve("partial-overlap.yaml")
        let best = try #require(overlap.rewards.indices.max { overlap.rewards[$0] < overlap.rewards[$1] })
        #expect(!partial.supports.intersection[best] && partial.supports.union[best])
        #expect(try #require(partial.reverseKL).probability(best) == 0)
        #expect(partial.forwardKL.policy.probability(best) > 0.3)

        let (agree, agreement) = try solve("agree.yaml")
        #expect(agree.references.count == 2)
        #expect(try #require(agreement.mrpoGap) < 1e-4)

        let (three, _) = try solve("three-references.yaml")
        #expect(three.references.count == 3 && Set(three.normalizedWeights).count == 3)

        let (single, _) = try solve("single-reference.yaml")
        #expect(single.references.count == 1)

        let (gsm, _) = try solve("instruct-vs-math.yaml")
        #expect((6...10).contains(gsm.responses.count))
        #expect(Set(gsm.rewards) == [0, 1])
    }
}
