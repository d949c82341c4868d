import Foundation
import Platform
import Testing

/// The real `klscope` binary driven in tmux as a user would: keys, mouse, resizing, quitting,
/// signals and job control, checking each time that the terminal is given back intact.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct ExplorerTerminalTests {
    static let example = "examples/chat-vs-math.yaml"

    @Test func editsResizesAndQuitsCleanly() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [Self.example])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        let title = try #require(Title(first))
        #expect(try tmux.alternateScreen())
        #expect(try tmux.screenWithColors().contains("\u{1B}[38;5;"), "256-colour foregrounds are used")
        #expect(first.contains("│"), "box-drawing characters come out")

        try tmux.press("Right")
        let afterBeta = try tmux.waitForScreen("β to change") { Title($0).map { $0.beta != title.beta } ?? false }
        let betaTitle = try #require(Title(afterBeta))
        #expect(betaTitle.weights == title.weights)

        try tmux.press("Tab", "Right")
        let afterWeight = try tmux.waitForScreen("the weights to change") {
            Title($0).map { $0.weights != title.weights } ?? false
        }
        #expect(Title(afterWeight)?.beta == betaTitle.beta)

        try tmux.resize(width: 80, height: 24)
        let small = try tmux.waitForScreen("the 80×24 layout") { fitsLayout($0, width: 80, height: 24) }
        #expect(Title(small)?.beta == betaTitle.beta)
        try tmux.resize(width: 120, height: 40)
        try tmux.waitForScreen("the 120×40 layout") { fitsLayout($0, width: 120, height: 40) }

        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        try expectRestored(tmux)
    }

    @Test func mouseClickOnTheBetaSliderSetsBeta() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [Self.example])
        let screen = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        // The β slider is the sidebar row "│ β  ━━━●───  0.5000"; its right end means β = 1000.
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let row = try #require(lines.indices.dropFirst().first { String(lines[$0]).contains("│ β ") },
                               "no β slider on screen:\n\(screen)")
        let column = try #require(lines[row].lastIndex(of: "─"), "no slider track on row \(row):\n\(screen)")
        try tmux.sendBytes(x10Mouse(column: column, row: row, release: false))
        try tmux.sendBytes(x10Mouse(column: column, row: row, release: true))
        try tmux.waitForScreen("β near 1000 in the title") {
            Title($0)?.beta.flatMap(Double.init).map { $0 > 500 } ?? false
        }
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        try expectRestored(tmux)
    }

    @Test(arguments: [(SIGTERM, 143), (SIGINT, 130), (SIGHUP, 129)])
    func signalRestoresTheTerminal(signal: Int32, status: Int) throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [Self.example])
        try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        #expect(Glibc.kill(try tmux.pid(), signal) == 0)
        #expect(try tmux.exitStatus() == status)
        try expectRestored(tmux)
    }

    @Test func typedControlCQuitsLikeQ() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        try tmux.startKlscope(binary)
        try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("C-c")
        #expect(try tmux.exitStatus() == 0)
        try expectRestored(tmux)
    }

    /// Run directly as the shell's job: when a script starts klscope instead, the script's shell
    /// stops at once and the shell may print its job notice before klscope has left the
    /// alternate screen, so that notice can be hidden (the terminal works all the same).
    @Test func controlZSuspendsAndFgRedraws() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        try tmux.startKlscopeDirectly(binary, [Self.example])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        // An edit before suspending, which must survive the stop and `fg`.
        try tmux.press("Right")
        let edited = try tmux.waitForScreen("β to change") { Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        let editedTitle = try #require(Title(edited))
        try tmux.press("C-z")
        try tmux.waitForScreen("the shell's job notice") { $0.contains("Stopped") }
        #expect(try !tmux.alternateScreen())
        let modes = try tmux.terminalModes()
        #expect(modes.contains("icanon") && modes.contains("echo"), "terminal modes: \(modes.sorted())")
        try tmux.resize(width: 100, height: 30)
        try tmux.type("fg")
        let back = try tmux.waitForScreen("the explorer after fg") { fitsLayout($0, width: 100, height: 30) }
        #expect(!back.contains("Stopped"), "the whole screen is redrawn")
        #expect(try tmux.alternateScreen())
        #expect(Title(back)?.beta == editedTitle.beta, "the edit is still there after fg")
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        try tmux.waitForScreen("the shell prompt after quitting") { !$0.contains("β") && $0.contains("$ ") }
        try tmux.recordExitStatus()
        #expect(try tmux.exitStatus() == 0)
        try expectRestored(tmux)
    }

    @Test(arguments: [
        ("", " </dev/null", "needs an interactive terminal"),
        ("", " | cat", "needs an interactive terminal"),
        ("TERM=dumb", "", "cannot move the cursor"),
        ("env -u TERM", "", "TERM is not set"),
    ])
    func refusesUnusableTerminals(prefix: String, redirection: String, message: String) throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        try tmux.startKlscope(binary, [Self.example + redirection], environment: prefix)
        #expect(try tmux.exitStatus() == 2)
        try tmux.waitForScreen("the message") { $0.replacingOccurrences(of: "\n", with: "").contains(message) }
        try expectRestored(tmux)
    }

    /// After klscope ended: the shell's normal screen, canonical input and echo.
    private func expectRestored(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try !tmux.alternateScreen(), "the alternate screen was left", sourceLocation: sourceLocation)
        let modes = try tmux.terminalModes(sourceLocation: sourceLocation)
        #expect(modes.contains("icanon") && modes.contains("echo") && modes.contains("isig"),
                "terminal modes: \(modes.sorted())", sourceLocation: sourceLocation)
        try tmux.waitForScreen("the shell prompt", sourceLocation: sourceLocation) { $0.contains("$ ") }
    }
}

/// The title line's `β` and weights, as shown (`… │ β 0.5 │ α chat 0.5 math 0.5`).
struct Title: Equatable {
    var beta: String?
    var weights: String?

    init?(_ screen: String) {
        guard let line = screen.split(separator: "\n", omittingEmptySubsequences: false).first else { return nil }
        let fields = line.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
        beta = fields.first { $0.hasPrefix("β ") }.map { String($0.dropFirst(2)) }
        weights = fields.first { $0.hasPrefix("α ") }.map { String($0.dropFirst(2)) }
        if beta == nil, weights == nil { return nil }
    }
}

/// Whether `screen` is the explorer laid out for `width`×`height`: that many rows, none longer
/// than the width, the title across the first row and the status bar on the last.
func fitsLayout(_ screen: String, width: Int, height: Int) -> Bool {
    var lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines.count == height && lines.allSatisfy { $0.count <= width }
        && Title(screen)?.beta != nil && lines[0].count >= width - 2 && !lines[height - 1].isEmpty
}

/// The bytes of an X10 mouse report for a left-button press or a release at a 0-based cell.
func x10Mouse(column: Int, row: Int, release: Bool) -> [UInt8] {
    [0x1B, UInt8(ascii: "["), UInt8(ascii: "M"), release ? 32 + 3 : 32, UInt8(33 + column), UInt8(33 + row)]
}
