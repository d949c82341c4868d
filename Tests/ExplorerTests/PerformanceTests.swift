import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// Frames draw only what is on screen: at 100,000 responses a navigation key and a frame
/// must not touch every response (that would take far longer, even in a debug build).
@Suite struct PerformanceTests {
    @Test func navigationAndFramesAtAHundredThousandResponses() throws {
        var session = try Fixtures.session(SyntheticScenario.make(responses: 100_000, references: 3, seed: 11))
        let revision = session.state.analysis.revision
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for keys in ["j", "<end>", "k", "v", "<pgup>", "v", "<tab>", "/ y5", "<enter>", "n", "? <esc>"] {
            let events = try KeyNotation.parse(keys)
            let start = clock.now
            session.handle(events)
            _ = session.view(width: 120, height: 40)
            samples.append(clock.now - start)
        }
        #expect(session.state.analysis.revision == revision)
        samples.sort()
        let median = samples[samples.count / 2]
        #expect(median < .milliseconds(40), "median navigation frame \(median)")
    }
}
