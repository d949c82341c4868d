import Foundation
import Testing

/// The DPO view's table in a real terminal: PgDn, End, Home, ↓ and the mouse wheel come through
/// ncurses and scroll it, and the footer says which rows are shown.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct DPOViewTerminalTests {
    /// A scenario of `count` responses `y0 … y{count−1}` with rewards and two references.
    static func scenario(count: Int) -> String {
        let labels = (0..<count).map { "y\($0)" }.joined(separator: ", ")
        let rewards = (0..<count).map { String(Double($0 % 7) / 7) }.joined(separator: ", ")
        let uniform = Array(repeating: "1", count: count).joined(separator: ", ")
        let tilted = (0..<count).map { String(1 + $0 % 3) }.joined(separator: ", ")
        return """
            title: A long table
            beta: 0.5
            normalize: true
            responses: [\(labels)]
            rewards: [\(rewards)]
            references:
              - name: flat
                weight: 0.5
                probs: [\(uniform)]
              - name: tilted
                weight: 0.5
                probs: [\(tilted)]

            """
    }

    /// The rows the footer says are shown, e.g. (14, 23) for "rows 14-23 of 300".
    static func shownRows(_ screen: String) -> (first: Int, last: Int)? {
        guard let match = screen.firstMatch(of: /rows (\d+)-(\d+) of 300/), let first = Int(match.1), let last = Int(match.2) else { return nil }
        return (first, last)
    }

    @Test func keysAndTheWheelScrollTheTable() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 100, height: 30)
        defer { tmux.kill() }
        let file = tmux.directory.appendingPathComponent("long.yaml")
        try Self.scenario(count: 300).write(to: file, atomically: true, encoding: .utf8)
        try tmux.startKlscope(binary, [file.path])
        try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("d")
        let opened = try tmux.waitForScreen("the DPO view") { Self.shownRows($0) != nil }
        let page = try #require(Self.shownRows(opened)).last
        #expect(Self.shownRows(opened)?.first == 1 && opened.contains(" y0 ") && opened.contains("outside: the policy"))

        try tmux.press("NPage")
        try tmux.waitForScreen("the next page") { Self.shownRows($0)?.first == page + 1 }
        try tmux.press("End")
        let end = try tmux.waitForScreen("the last page") { Self.shownRows($0)?.last == 300 }
        #expect(end.contains(" y299 "))
        try tmux.press("Home")
        try tmux.waitForScreen("the first page") { Self.shownRows($0)?.first == 1 }
        try tmux.press("Down")
        try tmux.waitForScreen("a row down") { Self.shownRows($0)?.first == 2 }
        // X10 wheel reports: button 64 up, 65 down; each scrolls 3 rows.
        try tmux.sendBytes([0x1B, UInt8(ascii: "["), UInt8(ascii: "M"), 32 + 65, 33 + 50, 33 + 15])
        try tmux.waitForScreen("the wheel down") { Self.shownRows($0)?.first == 5 }
        try tmux.sendBytes([0x1B, UInt8(ascii: "["), UInt8(ascii: "M"), 32 + 64, 33 + 50, 33 + 15])
        try tmux.waitForScreen("the wheel up") { Self.shownRows($0)?.first == 2 }

        try tmux.press("Escape")
        try tmux.waitForScreen("the view closed") { Self.shownRows($0) == nil && Title($0)?.beta != nil }
        try tmux.press("q")
        #expect(try tmux.exitStatus() == 0)
    }
}
