import Foundation
import KLMath
import Testing
@testable import KLScenario
import TestSupport

/// A folder of fixture files for one test, removed by the caller.
private func fixtures(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return folder
}

/// A chat-completions response whose first token has these `(token, logprob, bytes)` alternatives.
private func chat(_ entries: [(String, String, [UInt8]?)], tokens: Int = 1) -> String {
    let list = entries.map { token, logprob, bytes in
        "{\"token\": \"\(token)\", \"logprob\": \(logprob)" + (bytes.map { ", \"bytes\": \($0)" } ?? "") + "}"
    }.joined(separator: ",\n        ")
    let step = "{\"token\": \"x\", \"logprob\": -1, \"top_logprobs\": [\n        \(list)]}"
    return """
        {"object": "chat.completion", "choices": [{"index": 0, "logprobs": {"content": [
          \(Array(repeating: step, count: tokens).joined(separator: ",\n  "))
        ]}}]}

        """
}

/// The scenario an import wrote, loaded back.
private func load(_ yaml: String) throws -> Scenario { try ScenarioLoader.parse(yaml, fileName: "imported.yaml") }

/// Expects `body` to throw a `ScenarioError` at this line (and column, when given), field and message.
private func expectImportError(line: Int, column: Int? = nil, field: String, says words: String..., sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: () throws(ScenarioError) -> Void) {
    do {
        try body()
        Issue.record("imported without error", sourceLocation: sourceLocation)
    } catch {
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        if let column { #expect(error.column == column, "\(error)", sourceLocation: sourceLocation) }
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        for word in words { #expect(error.message.contains(word), "\(error)", sourceLocation: sourceLocation) }
    }
}

@Suite struct ImportTests {
    /// Log-probabilities of 1/2, 1/4, 1/8 and of 0.8, 0.6, 0.3.
    let half = "-0.6931471805599453", quarter = "-1.3862943611198906", eighth = "-2.0794415416798357"

    @Test func chatCompletionsAlignByBytesWithARestPerModel() throws {
        let folder = try fixtures([
            "a.json": chat([(" yes", half, [32, 121, 101, 115]), (" no", quarter, [32, 110, 111]), ("\\ufffd", eighth, [0xE2, 0x80])]),
            "b.json": chat([(" no", half, [32, 110, 111]), ("\\ufffd", quarter, [0xE2, 0x81])]),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try OpenAIImport.topK(path: folder.appendingPathComponent("a.json").path)
        let b = try OpenAIImport.topK(path: folder.appendingPathComponent("b.json").path)
        #expect(a.format == "chat" && a.tokens.map(\.text) == [" yes", " no", "\u{FFFD}"])
        let yaml = try OpenAIImport.scenarioYAML(models: [a, b], names: ["chat", "math"], rewards: [" yes": 1, " no": -1], position: 0)
        let scenario = try load(yaml)
        // The two U+FFFD tokens have different bytes: two responses, the second labelled by its bytes.
        #expect(scenario.responses == [" yes", " no", "\u{FFFD}", "\u{FFFD} [bytes e2 81]", "other"])
        #expect(scenario.rewards == [1, -1, 0, 0, -1])
        let chatP = scenario.references[0].logProbabilities.map(exp)
        let mathP = scenario.references[1].logProbabilities.map(exp)
        for (got, want) in zip(chatP, [0.5, 0.25, 0.125, 0, 0.125]) { #expect(isClose(got, want, within: 1e-15), "\(chatP)") }
        for (got, want) in zip(mathP, [0, 0.5, 0, 0.25, 0.25]) { #expect(isClose(got, want, within: 1e-15), "\(mathP)") }
        #expect(scenario.notes.contains("not in that model's support"))
    }

    @Test func withoutBytesTokensAlignByText() throws {
        let folder = try fixtures(["a.json": chat([(" yes", half, nil), (" ", quarter, nil)]), "b.json": chat([(" yes", quarter, [32, 121, 101, 115])])])
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = try ["a.json", "b.json"].map { try OpenAIImport.topK(path: folder.appendingPathComponent($0).path) }
        let scenario = try load(try OpenAIImport.scenarioYAML(models: models, names: ["a", "b"], rewards: [:], position: 0))
        // A space-only token is spelled out, since a label must show something.
        #expect(scenario.responses == [" yes", "␣", "other"])
        #expect(isClose(exp(scenario.references[1].logProbabilities[0]), 0.25, within: 1e-15))
        #expect(isClose(exp(scenario.references[1].logProbabilities[2]), 0.75, within: 1e-15))
    }

    @Test func legacyCompletionsAtAPosition() throws {
        let legacy = """
            {"choices": [{"text": " a b", "logprobs": {"tokens": [" a", " b"], "token_logprobs": [-0.2231435513142097, -0.5108256237659907],
              "top_logprobs": [{" a": -0.2231435513142097}, {" b": -0.5108256237659907, " c": -1.2039728043259361}]}}]}
            """
        let folder = try fixtures(["base.json": legacy])
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try OpenAIImport.topK(path: folder.appendingPathComponent("base.json").path, position: 1)
        #expect(base.format == "legacy")
        let scenario = try load(try OpenAIImport.scenarioYAML(models: [base], names: ["base"], rewards: [" c": 2], position: 1))
        #expect(scenario.responses == [" b", " c", "other"])
        let p = scenario.references[0].logProbabilities.map(exp)
        for (got, want) in zip(p, [0.6, 0.3, 0.1]) { #expect(isClose(got, want, within: 1e-12), "\(p)") }
        #expect(scenario.rewards == [0, 2, 0])
    }

    @Test func jsonLinesPickALineAndErrorsCarryIt() throws {
        let first = chat([(" yes", half, nil)]).replacingOccurrences(of: "\n", with: " ")
        let second = chat([(" no", quarter, nil)]).replacingOccurrences(of: "\n", with: " ")
        let folder = try fixtures(["batch.jsonl": first + "\n" + second + "\n", "bad.jsonl": first + "\n" + first.replacingOccurrences(of: half, with: "NaN") + "\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("batch.jsonl").path
        let model = try OpenAIImport.topK(path: path, line: 2)
        #expect(model.tokens == [OpenAIImport.Token(key: Array(" no".utf8), text: " no", logProbability: -1.3862943611198906)])
        #expect(model.source == path + " line 2")
        expectImportError(line: 0, field: "", says: "2 responses", "--line") { () throws(ScenarioError) in _ = try OpenAIImport.topK(path: path) }
        expectImportError(line: 0, field: "", says: "--line 3") { () throws(ScenarioError) in _ = try OpenAIImport.topK(path: path, line: 3) }
        let bad = folder.appendingPathComponent("bad.jsonl").path
        expectImportError(line: 2, field: "choices[0].logprobs.content[0].top_logprobs[0].logprob", says: "NaN") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: bad, line: 2)
        }
    }

    @Test func badResponsesAreLocatedErrors() throws {
        let folder = try fixtures([
            "nologprobs.json": "{\"choices\": [{\"index\": 0,\n  \"message\": {\"content\": \"hi\"}}]}",
            "positive.json": chat([(" yes", "0.1", nil)]),
            "duplicate.json": chat([(" yes", quarter, nil), (" yes", quarter, nil)]),
            "legacyduplicate.json": "{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{\"a\": -1, \"a\": -2}]}}]}",
            "mass.json": chat([(" yes", half, nil), (" no", "-0.6931", nil)]),
            "rounding.json": chat([(" yes", half, nil), (" no", "-0.6931471", nil)]),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        expectImportError(line: 1, column: 14, field: "choices[0]", says: "no \"logprobs\"", "\"logprobs\": true") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("nologprobs.json"))
        }
        expectImportError(line: 1, field: "choices[0].logprobs.content", says: "--position 2 is past the end", "1 token") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("positive.json"), position: 2)
        }
        expectImportError(line: 3, field: "choices[0].logprobs.content[0].top_logprobs[0].logprob", says: "positive log-probability 0.1") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("positive.json"))
        }
        expectImportError(line: 4, field: "choices[0].logprobs.content[0].top_logprobs[1]", says: "duplicate token \" yes\"", "top_logprobs[0]") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("duplicate.json"))
        }
        expectImportError(line: 1, field: "", says: "\"a\" appears more than once") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("legacyduplicate.json"))
        }
        expectImportError(line: 2, field: "choices[0].logprobs.content[0].top_logprobs", says: "add up to 1.0000", "more than 1") { () throws(ScenarioError) in
            _ = try OpenAIImport.topK(path: path("mass.json"))
        }
        // 1/2 + exp(-0.6931471) exceeds 1 by 4e-8: rounding, accepted with no rest.
        let rounding = try OpenAIImport.topK(path: path("rounding.json"))
        let scenario = try load(try OpenAIImport.scenarioYAML(models: [rounding], names: ["m"], rewards: [:], position: 0))
        #expect(scenario.references[0].logProbabilities[2] == -.infinity)
        expectImportError(line: 0, field: "--reward", says: "\"nope\" is not one of the imported tokens") { () throws(ScenarioError) in
            _ = try OpenAIImport.scenarioYAML(models: [rounding], names: ["m"], rewards: ["nope": 1], position: 0)
        }
    }

    @Test func rewardsFileAndControlCharactersInTokens() throws {
        let folder = try fixtures(["a.json": chat([("\\u001b[31m", half, nil), ("\\n", quarter, nil), ("408", eighth, nil)]),
                                   "rewards.csv": "token,reward\n408,1\n\"\\n\",-0.5\n", "twice.csv": "408,1\n408,2\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try OpenAIImport.topK(path: folder.appendingPathComponent("a.json").path)
        #expect(model.tokens.map(\.text) == ["\u{1B}[31m", "\n", "408"])
        let rewards = try OpenAIImport.rewards(path: folder.appendingPathComponent("rewards.csv").path)
        #expect(rewards == ["408": 1, "\\n": -0.5])
        let yaml = try OpenAIImport.scenarioYAML(models: [model], names: ["m"], rewards: rewards, position: 0)
        // The escape character is escaped in the file; a newline-only token is spelled \n.
        #expect(!yaml.contains("\u{1B}"))
        let scenario = try load(yaml)
        #expect(scenario.responses == ["\u{1B}[31m", "\\n", "408", "other"])
        #expect(scenario.rewards == [0, -0.5, 1, -0.5])
        expectImportError(line: 0, field: "", says: "line 2: \"408\" is listed twice") { () throws(ScenarioError) in
            _ = try OpenAIImport.rewards(path: folder.appendingPathComponent("twice.csv").path)
        }
    }

    @Test func scoresAreALogSoftmaxOverTheLines() throws {
        let folder = try fixtures(["scores.jsonl": """
            {"response": "72", "reward": 1, "logprobs": {"chat": -1, "math": -10}}
            {"response": "She sold 72 clips.", "reward": 1.0, "logprobs": {"chat": -2, "math": -10}}

            {"response": "62", "reward": 0, "logprobs": {"chat": -3, "math": -10}}

            """])
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try load(try ScoresImport.scenarioYAML(path: folder.appendingPathComponent("scores.jsonl").path))
        #expect(scenario.responses == ["72", "She sold 72 clips.", "62"])
        #expect(scenario.rewards == [1, 1, 0])
        #expect(scenario.references.map(\.name) == ["chat", "math"])
        // chat: e^-k / (e^-1 + e^-2 + e^-3); by hand 0.665241, 0.244728, 0.090031. math: a third each.
        let chat = scenario.references[0].logProbabilities.map(exp)
        for (got, want) in zip(chat, [0.6652409557748219, 0.24472847105479764, 0.09003057317038046]) { #expect(isClose(got, want, within: 1e-12), "\(chat)") }
        for p in scenario.references[1].logProbabilities.map(exp) { #expect(isClose(p, 1.0 / 3, within: 1e-15)) }
        #expect(scenario.notes.contains("restricted to these responses"))
    }

    @Test func badScoresAreLocatedErrors() throws {
        let good = "{\"response\": \"a\", \"reward\": 1, \"logprobs\": {\"chat\": -1, \"math\": -2}}\n"
        let cases: [(String, Int, String, String)] = [
            ("{\"response\": \"b\", \"reward\": 0, \"logprobs\": {\"chat\": 0.5, \"math\": -2}}", 2, "logprobs.chat", "positive log-probability"),
            ("{\"response\": \"b\", \"reward\": 0, \"logprobs\": {\"chat\": NaN, \"math\": -2}}", 2, "logprobs.chat", "NaN"),
            ("{\"response\": \"b\", \"reward\": 0}", 2, "", "no \"logprobs\""),
            ("{\"response\": \"a\", \"reward\": 0, \"logprobs\": {\"chat\": -1, \"math\": -2}}", 2, "response", "duplicate response (line 1"),
            ("{\"response\": \"b\", \"reward\": 0, \"logprobs\": {\"chat\": -1}}", 2, "logprobs", "every line gives the same models"),
        ]
        for (second, line, field, message) in cases {
            let folder = try fixtures(["s.jsonl": good + second + "\n"])
            defer { try? FileManager.default.removeItem(at: folder) }
            expectImportError(line: line, field: field, says: message) { () throws(ScenarioError) in
                _ = try ScoresImport.scenarioYAML(path: folder.appendingPathComponent("s.jsonl").path)
            }
        }
    }
}
