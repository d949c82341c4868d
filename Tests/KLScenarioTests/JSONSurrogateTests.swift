import Foundation
import Testing
@testable import KLScenario

/// Issue 11, item 8: JSON that spells a character outside the Basic Multilingual Plane as a
/// UTF-16 surrogate pair (as Python's `json.dump` does) loads; a lone surrogate is a located error.
@Suite struct JSONSurrogateTests {
    static let scenario = #"""
        {"title": "smile \ud83d\ude00", "notes": "\uD83C\uDF89 party",
         "beta": 0.5, "responses": ["a\ud83d\ude00", "\"\\ud83d", "c"], "rewards": [0, 1, 2],
         "references": [{"name": "m\ud83e\udd16", "probs": [0.5, 0.25, 0.25]}]}
        """#

    @Test func surrogatePairsLoadAsTheirCharacters() throws {
        let loaded = try ScenarioLoader.parse(Self.scenario, fileName: "s.json")
        #expect(loaded.title == "smile 😀")
        #expect(loaded.notes == "🎉 party")
        // An escaped backslash before "ud83d" is text, not an escape.
        #expect(loaded.responses == ["a😀", "\"\\ud83d", "c"])
        #expect(loaded.references.map(\.name) == ["m🤖"])
        // What Python writes (ensure_ascii) and what it means load alike.
        let plain = try ScenarioLoader.parse(Self.scenario.replacingOccurrences(of: #"\ud83d\ude00"#, with: "😀")
            .replacingOccurrences(of: #"\uD83C\uDF89"#, with: "🎉").replacingOccurrences(of: #"\ud83e\udd16"#, with: "🤖"), fileName: "s.json")
        #expect(plain.responses == loaded.responses && plain.title == loaded.title)
    }

    @Test func aLoneSurrogateIsALocatedError() {
        for (text, column, says) in [(#"{"beta": 0.5,\n "title": "x\ud83d y"}"#, 13, "a high surrogate must be followed by a low one"),
                                     (#"{"beta": 0.5,\n "title": "x\ude00\ud83d"}"#, 13, "a low surrogate must follow a high one"),
                                     (#"{"beta": 0.5,\n "title": "é\ud83d\u0041"}"#, 13, "\\ud83d")] {
            let error = loadError(text.replacingOccurrences(of: #"\n"#, with: "\n"), fileName: "s.json")
            #expect(error?.line == 2 && error?.column == column, "\(String(describing: error))")
            #expect(error?.message.contains("lone UTF-16 surrogate") == true && error?.message.contains(says) == true, "\(String(describing: error))")
        }
    }

    @Test func yamlAndStringsOutsideQuotesAreLeftToYAML() throws {
        // Not JSON-looking: YAML's own rules apply (it refuses surrogates in its escapes).
        #expect(loadError(validYAML(replacing: "title: Test", with: #"title: "\ud83d\ude00""#))?.message.contains("YAML syntax error") == true)
        #expect(try JSONSurrogates.decoded(#"title: "\ud83d\ude00""#, fileName: "t.yaml") == #"title: "\ud83d\ude00""#)
        // A single-quoted YAML string inside flow JSON-like text keeps its backslashes.
        #expect(try JSONSurrogates.decoded(#"{a: 'x\ud83d'}"#, fileName: "t.json") == #"{a: 'x\ud83d'}"#)
    }

    @Test func importedJSONLinesWithSurrogatePairsLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-surrogates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("s.jsonl")
        try #"""
            {"response": "yes \ud83d\udc4d", "reward": 1.0, "logprobs": {"chat": -1.0}}
            {"response": "no", "reward": 0.0, "logprobs": {"chat": -2.0}}
            """#.write(to: file, atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.parse(try ScoresImport.scenarioYAML(path: file.path), fileName: "imported.yaml")
        #expect(scenario.responses == ["yes 👍", "no"])
    }
}
