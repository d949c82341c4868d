import KLMath
import KLScenario
import TerminalUI

/// The animation started with space: β moving over its slider's log range (`Control.betaScale`), or a
/// weight from 0 to 1, back and forth, one step per tick. Ticks come from the session while
/// playing (`Message.tick`), so the update step stays pure and tests feed ticks by hand.
public struct Playback: Sendable {
    /// What moves.
    public enum Target: Sendable, Equatable {
        /// `β`, on the log scale of its slider.
        case beta
        /// The weight of reference `k` (the others rescale in proportion).
        case weight(Int)
    }

    /// The fraction of the range one tick moves at each speed (`<` `>`); at the session's ten
    /// ticks a second, the middle speed crosses the range in ten seconds.
    static let speeds: [Double] = [0.0025, 0.005, 0.01, 0.02, 0.04]
    /// The speed a new animation starts at.
    static let defaultSpeed = 2

    /// What moves.
    public let target: Target
    /// Where along the range it is, from 0 to 1.
    public internal(set) var position: Double
    /// +1 forwards, −1 on the way back.
    var direction = 1.0
    /// The document as it was when playing started: pausing leaves one undo step back to it.
    let origin: Document

    /// The value `position` stands for.
    func value(at position: Double) -> Double {
        switch target {
        case .beta: Slider.logValue(at: position, in: Control.betaScale)
        case .weight: position
        }
    }
}

extension ExplorerState {
    /// Space: starts animating the focused weight (with two references or more), else β.
    mutating func startPlaying() {
        let s = scenario
        let target: Playback.Target = if case .weight(let k) = focus, s.references.count > 1 { .weight(k) } else { .beta }
        var position: Double
        switch target {
        case .beta: position = (log10(s.beta) + 3) / 6
        case .weight(let k): position = s.normalizedWeights[k]
        }
        position = min(max(position, 0), 1)
        if position >= 1 { position = 0 }
        playback = Playback(target: target, position: position, origin: history.document)
        describePlayback()
    }

    /// Any key while playing: stops, leaving one undo step back to where playing started.
    mutating func pausePlaying() {
        guard let playback else { return }
        self.playback = nil
        let name = playbackName(playback.target)
        guard scenario != playback.origin.scenario else {
            message = StatusMessage("paused", kind: .info)
            return
        }
        let change = Change(name, from: format(value(of: playback.target, in: playback.origin.scenario)),
                            to: format(value(of: playback.target, in: scenario)))
        history.keepMoves(from: playback.origin, as: change)
        message = StatusMessage("paused at \(change.done) (u goes back)", kind: .info)
    }

    /// `<` / `>` while playing: one speed slower / faster.
    mutating func changePlaySpeed(by step: Int) {
        playSpeed = min(max(playSpeed + step, 0), Playback.speeds.count - 1)
        describePlayback()
    }

    /// One tick of the animation: the next value, bouncing at the ends of the range.
    mutating func advancePlayback() {
        guard var playback else { return }
        var position = playback.position + playback.direction * Playback.speeds[playSpeed]
        if position >= 1 || position <= 0 {
            position = min(max(position, 0), 1)
            playback.direction = -playback.direction
        }
        playback.position = position
        self.playback = playback
        var moved = scenario
        let value = playback.value(at: position)
        switch playback.target {
        case .beta: try? moved.setBeta(value)
        case .weight(let k): try? moved.setWeight(k, to: value)
        }
        let edit: ScenarioEdit = switch playback.target {
        case .beta: .beta(moved.beta)
        case .weight: .weights(moved.references.map(\.weight))
        }
        history.move(to: moved, recording: edit)
        describePlayback()
    }

    /// The speed as a factor of the default one: ×0.25 … ×4.
    var playSpeedFactor: Double { Playback.speeds[playSpeed] / Playback.speeds[Playback.defaultSpeed] }

    private func playbackName(_ target: Playback.Target) -> String {
        switch target {
        case .beta: "β"
        case .weight(let k): "weight \(scenario.references[k].name)"
        }
    }

    private func value(of target: Playback.Target, in scenario: Scenario) -> Double {
        switch target {
        case .beta: scenario.beta
        case .weight(let k): scenario.normalizedWeights[k]
        }
    }

    private mutating func describePlayback() {
        guard let playback else { return }
        let name = playbackName(playback.target)
        message = StatusMessage("playing \(name) \(format(value(of: playback.target, in: scenario))) at ×\(NumberFormat.short(playSpeedFactor, digits: 2)): < > slower / faster, any other key pauses", kind: .info)
    }
}
