import Foundation
import Testing
import TestSupport
@testable import KLScenario

/// Issue 12, case 4: every edit the explorer accepts (boundary values of β, rewards, weights and
/// probabilities) can be saved, in place over the file and as a new file, journalled for
/// recovery, and read back.
@Suite struct EditRoundTripTests {
    typealias Edit = (name: String, apply: @Sendable (inout Scenario) throws(EditRefusal) -> Void)

    static let edits: [Edit] = [
        ("β at its lower end", { s throws(EditRefusal) in try s.setBeta(ScenarioRules.betaRange.lowerBound) }),
        ("β at its upper end", { s throws(EditRefusal) in try s.setBeta(ScenarioRules.betaRange.upperBound) }),
        ("β stepped past its upper end", { s throws(EditRefusal) in try s.setBeta(5e9); try s.stepBeta(by: 4) }),
        ("β just above the lower end", { s throws(EditRefusal) in try s.setBeta(ScenarioRules.betaRange.lowerBound.nextUp) }),
        ("reward at +limit", { s throws(EditRefusal) in try s.setReward(0, to: ScenarioRules.rewardLimit) }),
        ("reward at -limit", { s throws(EditRefusal) in try s.setReward(1, to: -ScenarioRules.rewardLimit) }),
        ("reward tiny", { s throws(EditRefusal) in try s.setReward(0, to: .leastNonzeroMagnitude) }),
        ("reward -0", { s throws(EditRefusal) in try s.setReward(0, to: -0.0) }),
        ("one weight 0", { s throws(EditRefusal) in try s.setWeight(0, to: 0) }),
        ("one weight 1", { s throws(EditRefusal) in try s.setWeight(0, to: 1) }),
        ("huge weights", { s throws(EditRefusal) in try s.setWeights(s.references.map { _ in 1e300 }) }),
        ("tiny weights", { s throws(EditRefusal) in try s.setWeights(s.references.map { _ in .leastNonzeroMagnitude }) }),
        ("probability 0", { s throws(EditRefusal) in try s.setProbability(reference: 0, response: 0, to: 0) }),
        ("probability 1", { s throws(EditRefusal) in try s.setProbability(reference: 0, response: 1, to: 1) }),
        ("probability subnormal", { s throws(EditRefusal) in try s.setProbability(reference: 0, response: 1, to: Double(sign: .plus, exponent: -1063, significand: 1)) }),
        ("probability just below 1", { s throws(EditRefusal) in try s.setProbability(reference: 0, response: 1, to: 1.0.nextDown) }),
        ("odds scaled a lot", { s throws(EditRefusal) in try s.scaleOdds(reference: 0, response: 1, by: 1e300) }),
        ("odds scaled down a lot", { s throws(EditRefusal) in try s.scaleOdds(reference: 0, response: 1, by: 1e-300) }),
    ]

    /// Each accepted edit of each example, saved, journalled and read back.
    @Test(arguments: try exampleFiles())
    func everyAcceptedEditSavesJournalsAndReadsBack(_ example: URL) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: example, encoding: .utf8)
        let loaded = try ScenarioLoader.load(contentsOf: example)
        var accepted = 0
        for edit in Self.edits {
            var scenario = loaded
            do { try edit.apply(&scenario) } catch { continue }  // refused: nothing to save
            accepted += 1
            let inPlace = directory.appendingPathComponent(example.lastPathComponent)
            try original.write(to: inPlace, atomically: true, encoding: .utf8)
            try ScenarioWriter.save(scenario, to: inPlace)
            Self.expectClose(try ScenarioLoader.load(contentsOf: inPlace), scenario, edit.name + ", saved in place")
            let new = directory.appendingPathComponent("new.yaml")
            try? FileManager.default.removeItem(at: new)
            try ScenarioWriter.save(scenario, to: new)
            #expect(try ScenarioLoader.load(contentsOf: new) == scenario, "\(edit.name), saved as a new file")
            let journal = RecoveryJournal(for: inPlace, in: directory.appendingPathComponent("state"), owner: .current)
            try JournalWriter(journal, stamp: nil).record(nil, scenario: scenario, stamp: nil)
            #expect(journal.read(onto: loaded)?.scenario == scenario, "\(edit.name), journalled")
        }
        #expect(accepted >= 12)
    }

    /// `read` is `edited` with exactly its β, rewards and weights, and its log-probabilities to
    /// rounding (a probability written in a `probs:` list is a decimal probability; a subnormal
    /// one has only a few digits).
    static func expectClose(_ read: Scenario, _ edited: Scenario, _ what: String) {
        #expect(read.beta == edited.beta, "\(what): β")
        #expect(read.rewards == edited.rewards, "\(what): rewards")
        #expect(read.references.map(\.weight) == edited.references.map(\.weight), "\(what): weights")
        for (r, e) in zip(read.references, edited.references) {
            for (a, b) in zip(r.logProbabilities, e.logProbabilities) where a != b {
                let tolerance = b < -690 ? 1e-4 : 1e-12
                #expect(isClose(a, b, within: tolerance, relative: true), "\(what): \(r.name) \(a) for \(b)")
            }
        }
    }
}
