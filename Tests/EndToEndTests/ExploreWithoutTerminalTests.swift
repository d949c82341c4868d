import Foundation
import Testing

/// `klscope` (the explorer) started where it cannot run: these need no tmux.
struct ExploreWithoutTerminalTests {
    @Test func refusesToRunWithoutATerminal() throws {
        let result = try runWithoutTerminal(try Paths.requireBinary(), [Paths.packageRoot.appendingPathComponent("examples/chat-vs-math.yaml").path])
        #expect(result.status == 2)
        #expect(result.errors.contains("klscope: the explorer needs an interactive terminal (stdin and stdout must be a TTY)"))
        #expect(result.errors.contains("klscope solve FILE") && result.errors.contains("klscope render FILE"))
        #expect(result.output.isEmpty, "no escape codes on stdout")
    }

    @Test func reportsAnUnreadableScenarioWithItsPlace() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml")
        try "title: broken\nbeta: [1, 2\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try runWithoutTerminal(try Paths.requireBinary(), [file.path])
        #expect(result.status == 2)
        #expect(result.errors.hasPrefix("klscope: \(file.path):"), "stderr: \(result.errors)")
        #expect(result.errors.contains(try Regex(#":\d+:\d+: "#)), "the error names line and column: \(result.errors)")
    }
}
