import Foundation
import Testing

/// `klscope import` as a user runs it: on the shipped examples, the result opening in the
/// explorer (`render`), and bad input exiting with status 2 and a located message.
struct ImportCommandTests {
    let folder = Paths.packageRoot.appendingPathComponent("examples/import")

    @Test func importedScenariosRender() throws {
        let binary = try Paths.requireBinary()
        let output = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let runs: [([String], String, String)] = [
            (["openai", "chat.json", "math.json", "--names", "chat,math", "--reward", "408=1"], "openai.yaml", "The (1 of 11)"),
            (["openai", "base-legacy.json"], "legacy.yaml", "base-legacy"),
            (["openai", "chat-batch.jsonl", "--line", "2", "--reward", "Canberra=1"], "batch.yaml", "Canberra"),
            (["scores", "gsm8k-scores.jsonl"], "scores.yaml", "She sold 48"),
        ]
        for (arguments, name, shown) in runs {
            let scenario = output.appendingPathComponent(name).path
            let files = arguments.map { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") ? folder.appendingPathComponent($0).path : $0 }
            let imported = try runWithoutTerminal(binary, ["import"] + files + ["-o", scenario])
            #expect(imported.status == 0 && imported.output == "wrote \(scenario)\n", "\(arguments): \(imported.errors)")
            let rendered = try runWithoutTerminal(binary, ["render", scenario, "--size", "120x40"])
            #expect(rendered.status == 0 && rendered.output.contains(shown), "\(arguments): \(rendered.output)\(rendered.errors)")
        }
    }

    @Test func badInputExitsWithStatusTwo() throws {
        let binary = try Paths.requireBinary()
        let chat = folder.appendingPathComponent("chat.json").path
        let cases: [([String], String)] = [
            (["openai", chat, "--position", "5"], "chat.json:14:20: choices[0].logprobs.content: --position 5 is past the end"),
            (["openai", folder.appendingPathComponent("chat-batch.jsonl").path], "choose one with --line N"),
            (["openai", chat, "--reward", "Paris=1"], "\"Paris\" is not one of the imported tokens"),
            (["openai", chat, "--names", "a,b"], "--names gives 2 names for 1 file"),
            (["scores", chat], "chat.json:2:1: JSON syntax error"),
        ]
        for (arguments, message) in cases {
            let result = try runWithoutTerminal(binary, ["import"] + arguments)
            #expect(result.status == 2 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
    }
}

/// `klscope import ... -o x.yaml && klscope x.yaml`, typed into a shell in tmux, opens the explorer.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct ImportThenExploreTests {
    @Test func theImportedScenarioOpensInTheExplorer() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let scenario = tmux.directory.appendingPathComponent("gsm8k.yaml").path
        try tmux.startKlscopeDirectly(binary, ["import", "scores", "examples/import/gsm8k-scores.jsonl", "-o", scenario, "&&", binary.path, scenario])
        let screen = try tmux.waitForScreen("the explorer on the imported scenario") { $0.contains("Sampled responses") && $0.contains("She sold 48") }
        #expect(screen.contains("gsm8k.yaml"))
        try tmux.press("q")
        try tmux.recordExitStatus()
        #expect(try tmux.exitStatus() == 0)
        #expect(try tmux.screen().contains("wrote \(scenario)"), "the import ran first")
    }
}
