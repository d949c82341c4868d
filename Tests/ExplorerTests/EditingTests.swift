import Foundation
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// Key sequences that edit the scenario, checked against the state they leave.
@Suite struct EditingTests {
    private func probabilities(_ session: ExplorerSession, reference k: Int) -> [Double] {
        session.state.scenario.references[k].logProbabilities.map { exp($0) }
    }

    @Test func betaStepsAreMultiplicative() throws {
        let start = Scenario.builtInDefault.beta
        #expect(isClose(try Fixtures.session(keys: "l").state.scenario.beta, start * 1.2, within: 1e-12))
        #expect(isClose(try Fixtures.session(keys: "L").state.scenario.beta, start * 3, within: 1e-12))
        #expect(isClose(try Fixtures.session(keys: "h").state.scenario.beta, start / 1.2, within: 1e-12))
        #expect(isClose(try Fixtures.session(keys: "<left> H").state.scenario.beta, start / 3.6, within: 1e-12))
    }

    @Test func weightStepRescalesTheOthersProportionally() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "<tab> l")
        let weights = session.state.scenario.normalizedWeights
        #expect(isClose(weights.reduce(0, +), 1, within: 1e-12))
        #expect(isClose(weights[0], 0.55, within: 1e-12))
        // b and c keep their 3:2 ratio.
        #expect(isClose(weights[1] / weights[2], 1.5, within: 1e-12))
        #expect(session.state.message?.text.contains("rescaled") == true)
    }

    @Test func weightLargeStepAndClamping() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "<tab> L L L")
        let weights = session.state.scenario.normalizedWeights
        #expect(weights[0] == 1)
        #expect(weights[1] == 0 && weights[2] == 0)
    }

    @Test func weightSharesTheRemainderEquallyWhenTheOthersAreZero() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "<tab> <enter> 1 <enter> h")
        let weights = session.state.scenario.normalizedWeights
        #expect(isClose(weights[0], 0.95, within: 1e-12))
        #expect(isClose(weights[1], 0.025, within: 1e-12))
        #expect(isClose(weights[2], 0.025, within: 1e-12))
    }

    @Test func rewardSteps() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "j <tab> <tab> <tab> <tab> l l l L")
        #expect(session.state.focus == .reward)
        #expect(session.state.scenario.rewards[1] == 1.8)
        #expect(session.state.scenario.rewards[0] == 1)
    }

    @Test func probabilityStepScalesTheOddsAndRenormalises() throws {
        // Focus a's probability of bravo (0.3) and raise it: odds 3/7 × 1.2.
        let session = try Fixtures.session(Fixtures.three, keys: "j <tab> <tab> <tab> <tab> <tab> l")
        #expect(session.state.focus == .probability(0))
        let p = probabilities(session, reference: 0)
        let odds = 0.3 / 0.7 * 1.2
        #expect(isClose(p[1], odds / (1 + odds), within: 1e-12))
        #expect(isClose(p.reduce(0, +), 1, within: 1e-12))
        // The rest keeps its proportions.
        #expect(isClose(p[0] / p[3], 4, within: 1e-9))
        #expect(session.state.message?.text.contains("renormalised a") == true)
    }

    @Test func zeroAndRestoreUnderTheFocusedReference() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "j <tab> <tab> <tab> <tab> <tab> <tab> 0")
        #expect(session.state.focus == .probability(1))
        var p = probabilities(session, reference: 1)
        #expect(p[1] == 0)
        #expect(isClose(p.reduce(0, +), 1, within: 1e-12))
        #expect(isClose(p[0], 1.0 / 3, within: 1e-12))
        try session.handle(KeyNotation.parse("0"))
        p = probabilities(session, reference: 1)
        #expect(isClose(p[1], 0.25, within: 1e-12))
        #expect(isClose(p[0], 0.25, within: 1e-12))
    }

    @Test func zeroActsOnTheFirstReferenceWhenBetaIsFocused() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "0")
        #expect(probabilities(session, reference: 0)[0] == 0)
        #expect(probabilities(session, reference: 1)[0] == 0.25)
    }

    @Test func zeroRefusesToRemoveTheLastSupport() throws {
        let single = Scenario(title: "point", beta: 1, responses: ["x", "y"], rewards: [0, 1],
                              references: [.init(name: "p", weight: 1, logProbabilities: [0, -.infinity])])
        let session = try Fixtures.session(single, keys: "0")
        #expect(session.state.scenario == single)
        #expect(session.state.message?.kind == .error)
        #expect(session.state.history.undoStack.isEmpty)
    }

    @Test func undoAndRedoEveryKindOfEdit() throws {
        let edits = [
            "l",                                    // β
            "<tab> l",                              // weight
            "<tab> <tab> <tab> L",                  // reward
            "<tab> <tab> <tab> <tab> l",            // probability step
            "<tab> <tab> <tab> <tab> <tab> 0",      // zero
            "<enter> 3 <enter>",                    // typed β
        ]
        for keys in edits {
            let session = try Fixtures.session(Fixtures.three, keys: keys)
            let edited = session.state.scenario
            #expect(edited != Fixtures.three, "\(keys) edits")
            #expect(session.hasUnsavedChanges)
            try session.handle(KeyNotation.parse("u"))
            #expect(session.state.scenario == Fixtures.three, "\(keys) undone")
            #expect(!session.hasUnsavedChanges)
            try session.handle(KeyNotation.parse("<c-r>"))
            #expect(session.state.scenario == edited, "\(keys) redone")
        }
    }

    @Test func undoAndRedoSayTheValueGoneBackToAndTheOneLeft() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "<tab> <enter> 1 <enter>")
        let before = session.state.format(Fixtures.three.normalizedWeights[0])
        try session.handle(KeyNotation.parse("u"))
        let one = session.state.format(1)
        #expect(session.state.message?.text == "undone: weight a back to \(before) (was \(one))")
        try session.handle(KeyNotation.parse("<c-r>"))
        #expect(session.state.message?.text == "redone: weight a \(before) → \(one)")
    }

    @Test func aStepOnAZeroOffersTheRestoreOnlyWhenThereIsAValueToRestore() throws {
        // q gives z no mass in the file: there is nothing for 0 to restore.
        let scenario = Scenario(title: "zero in the file", beta: 1, responses: ["z", "x", "y"], rewards: [2, 0, 1],
                                references: [.init(name: "p", weight: 0.5, logProbabilities: LogSpace.logs(of: [0.2, 0.5, 0.3])),
                                             .init(name: "q", weight: 0.5, logProbabilities: LogSpace.logs(of: [0, 0.5, 0.5]))])
        let fromFile = try Fixtures.session(scenario, keys: "<tab> <tab> <tab> <tab> <tab> l")
        #expect(fromFile.state.focus == .probability(1))
        #expect(fromFile.state.message?.text == "q gives z no mass: type a value with Enter")
        // Zeroed with 0 here: the step says 0 brings the old value back.
        let zeroed = try Fixtures.session(Fixtures.three, keys: "<tab> <tab> <tab> <tab> <tab> 0 l")
        #expect(zeroed.state.message?.text == "a gives alpha no mass: press 0 to restore 0.4000 or Enter to type a value")
    }

    @Test func undoWalksBackThroughSeveralEditsAndANewEditClearsRedo() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "l l l u u")
        #expect(isClose(session.state.scenario.beta, 1.2, within: 1e-12))
        #expect(session.state.history.redoStack.count == 2)
        try session.handle(KeyNotation.parse("h"))
        #expect(session.state.history.redoStack.isEmpty)
        try session.handle(KeyNotation.parse("u u u"))
        #expect(session.state.scenario.beta == 1)
        #expect(session.state.message?.text == "nothing to undo")
    }

    @Test func typedValues() throws {
        let valid = try Fixtures.session(keys: "<enter> 2.5 <enter>")
        #expect(valid.state.scenario.beta == 2.5)
        #expect(valid.state.overlay == nil)

        let invalid = try Fixtures.session(keys: "<enter> abc <enter>")
        #expect(invalid.state.scenario == Scenario.builtInDefault)
        #expect(invalid.state.message?.kind == .error)
        #expect(invalid.state.history.undoStack.isEmpty)

        let negative = try Fixtures.session(keys: "<enter> -1 <enter>")
        #expect(negative.state.scenario == Scenario.builtInDefault)
        #expect(negative.state.message?.kind == .error)

        let cancelled = try Fixtures.session(keys: "<enter> 7 <esc>")
        #expect(cancelled.state.scenario == Scenario.builtInDefault)
        #expect(cancelled.state.overlay == nil)

        let probability = try Fixtures.session(Fixtures.three, keys: "<s-tab> <s-tab> <s-tab> <enter> 1.5 <enter>")
        #expect(probability.state.focus == .probability(0))
        #expect(probability.state.scenario == Fixtures.three)
        let exact = try Fixtures.session(Fixtures.three, keys: "<s-tab> <s-tab> <s-tab> <enter> 0.5 <enter>")
        let p = exact.state.scenario.references[0].logProbabilities.map { exp($0) }
        #expect(isClose(p[0], 0.5, within: 1e-12) && isClose(p.reduce(0, +), 1, within: 1e-12))
    }

    @Test func textFieldEditingKeys() throws {
        let session = try Fixtures.session(keys: "<enter> 12 <bs> <left> 3 <end> 5 <enter>")
        #expect(session.state.scenario.beta == 315)
    }
}
