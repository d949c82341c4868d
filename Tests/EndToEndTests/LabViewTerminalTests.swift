import Foundation
import Platform
import Testing

/// The coverage lab view (`m`) in the real binary: it runs in the background, so the keys keep
/// working while it does, its results arrive without a key being pressed, N pages through its
/// notes, and Esc closes it.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct LabViewTerminalTests {
    @Test func theLabRunsInTheBackgroundWhileTheKeysWork() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [ExplorerTerminalTests.example])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        let title = try #require(Title(first))

        try tmux.press("m")
        try tmux.waitForScreen("the lab view") { $0.contains("Coverage lab") }
        // β changes at once, whether the run is still going (it then restarts) or not.
        try tmux.press("Right")
        try tmux.waitForScreen("β to change during the run") { Title($0).map { $0.beta != title.beta } ?? false }
        // The run finishes with no further key: the loop drains the background results.
        let done = try tmux.waitForScreen("the run to finish", timeout: 300) { $0.contains("done: m 1000…100000") }
        #expect(done.contains("RKL slope"))
        #expect(done.contains("never sampled by π_G"))
        // The notes do not fit at 120×40: N turns to their next page.
        #expect(done.contains("notes lines 1–") && done.contains("N: more notes"))
        try tmux.press("N")
        try tmux.waitForScreen("the notes' next page") { $0.contains("notes lines ") && !$0.contains("notes lines 1–") }

        try tmux.press("Escape")
        try tmux.waitForScreen("the chart again") { !$0.contains("Coverage lab") && $0.contains("Chart") }
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
    }

    /// `B` opens the β view of the large-m constants (no sampling, so at once), over the chart
    /// or the lab view alike; Esc closes it and the explorer goes on.
    @Test func bShowsTheConstantsAcrossBeta() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [ExplorerTerminalTests.example])
        try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("B")
        // Wait for the whole view, not its title alone: a capture can land while the terminal is
        // still receiving the frame (a flake seen once in CI with the title drawn, the table not yet).
        let screen = try tmux.waitForScreen("the β view with its table") {
            $0.contains("large-m constants across β") && $0.contains("RKL sub") && $0.contains("Esc or B closes")
        }
        #expect(screen.contains("▶ 0.500"))
        try tmux.press("Escape")
        try tmux.waitForScreen("the chart again") { !$0.contains("large-m constants across β") && $0.contains("Chart") }
        try tmux.press("q")
        #expect(try tmux.exitStatus() == 0)
    }
}
