import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// Space animates β (or the focused weight) one step per tick; `<` `>` change the speed; any
/// other key pauses with one undo step. Ticks are fed by hand: no clock is involved.
@Suite struct PlayTests {
    private func ticked(_ keys: String, ticks: Int) throws -> ExplorerState {
        var state = try Fixtures.session(keys: keys).state
        for _ in 0..<ticks { _ = Update.update(&state, .tick) }
        return state
    }

    /// β's position on its slider's log range 1e-3…1e3.
    private func position(_ beta: Double) -> Double { (log10(beta) + 3) / 6 }

    @Test func betaMovesAStepPerTick() throws {
        let start = Scenario.builtInDefault.beta
        let state = try ticked("<space>", ticks: 10)
        #expect(state.playback?.target == .beta)
        let expected = position(start) + 10 * Playback.speeds[Playback.defaultSpeed]
        #expect(isClose(position(state.scenario.beta), expected, within: 1e-9))
        #expect(state.analysis.revision == state.history.document.revision, "the bars follow")
    }

    @Test func ticksWithoutPlayingChangeNothing() throws {
        let state = try ticked("", ticks: 5)
        #expect(state.scenario.beta == Scenario.builtInDefault.beta)
        #expect(state.playback == nil)
    }

    @Test func bouncesAtTheEndOfTheRange() throws {
        let state = try ticked("<space>", ticks: 1000)
        #expect((1e-3...1e3).contains(state.scenario.beta))
        #expect(isClose(state.playback!.position, 0.5, within: 0.5))
    }

    @Test func speedKeysScaleTheStep() throws {
        let start = position(Scenario.builtInDefault.beta)
        let faster = try ticked("<space> >", ticks: 4)
        #expect(faster.playback != nil, "< and > do not pause")
        #expect(abs(position(faster.scenario.beta) - start - 4 * Playback.speeds[Playback.defaultSpeed + 1]) < 1e-9)
        let slowest = try ticked("<space> <lt> <lt> <lt> <lt> <lt>", ticks: 4)
        #expect(abs(position(slowest.scenario.beta) - start - 4 * Playback.speeds[0]) < 1e-9)
    }

    @Test func anyOtherKeyPausesWithOneUndoStep() throws {
        var state = try ticked("<space>", ticks: 7)
        let undoDepth = state.history.undoStack.count
        _ = Update.update(&state, .event(.key(.character("j"))))
        #expect(state.playback == nil)
        #expect(state.chart.selected == 0, "the key only pauses")
        #expect(state.history.undoStack.count == undoDepth + 1)
        _ = Update.update(&state, .event(.key(.character("u"))))
        #expect(state.scenario.beta == Scenario.builtInDefault.beta)
    }

    @Test func playsTheFocusedWeight() throws {
        let state = try ticked("<tab> <space>", ticks: 3)
        #expect(state.playback?.target == .weight(0))
        let expected = Scenario.builtInDefault.normalizedWeights[0] + 3 * Playback.speeds[Playback.defaultSpeed]
        #expect(isClose(state.scenario.normalizedWeights[0], expected, within: 1e-9))
        #expect(state.scenario.beta == Scenario.builtInDefault.beta)
    }

    @Test func titleShowsTheRunningValue() throws {
        let session = try Fixtures.session(keys: "<space>")
        session.tick()
        let screen = session.view(width: 120, height: 40)
        let title = String((0..<120).map { screen[$0, 0].character })
        #expect(title.contains("▶ β \(Theme(session.state.options).number(session.state.scenario.beta))"), "\(title)")
        #expect(session.isPlaying)
    }
}
