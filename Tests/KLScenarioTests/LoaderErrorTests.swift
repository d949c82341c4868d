import Foundation
import Testing
@testable import KLScenario
import TerminalUI

/// One test per way a scenario file can be malformed: each checks the file, line, column,
/// field and the words of the message.
@Suite struct LoaderErrorTests {
    @Test func theValidBaseLoads() throws {
        let scenario = try ScenarioLoader.parse(validYAML, fileName: "test.yaml")
        #expect(scenario.title == "Test")
        #expect(scenario.references.map(\.name) == ["p", "q"])
        #expect(scenario.references[1].logProbabilities[2] == -.infinity)
    }

    @Test func yamlSyntaxErrorUsesTheYamsMark() {
        // The flow list is never closed; libyaml notices at the next line's key.
        expectError(validYAML(replacing: "rewards: [1.0, 0.5, 0.0, -1.0]", with: "rewards: [1.0, 0.5, 0.0, -1.0"),
                    line: 6, column: 11, field: "", says: "YAML syntax error", "flow sequence", "line 5")
    }

    @Test func tabIndentationIsASyntaxError() {
        expectError(validYAML(replacing: "    weight: 0.6", with: "\tweight: 0.6"),
                    line: 8, column: 1, field: "", says: "YAML syntax error", "tab")
    }

    @Test func duplicateKeyIsLocatedAtItsFirstUse() {
        expectError(validYAML(replacing: "beta: 0.5\n", with: "beta: 0.5\nbeta: 0.7\n"),
                    line: 3, column: 1, field: "", says: "\"beta\"", "more than once")
    }

    /// Issue 11, item 9: a repeated key that is a list or a mapping (here repeated by an alias)
    /// is named in words and quoted from the file, never as Yams's `<uncovertable>`.
    @Test func aRepeatedListKeyIsNamedInWords() {
        let text = validYAML + "? &k [x]\n: 1\n? *k\n: 2\n"
        expectError(text, line: 13, column: 3, field: "",
                    says: "a key that is a list or a mapping (&k [x]) appears more than once in the same mapping; keys must be names")
        #expect(loadError(text).map { !"\($0)".contains("uncovertable") } == true)
        let mixed = validYAML(replacing: "beta: 0.5\n", with: "beta: 0.5\nbeta: 0.7\n") + "? &k {a: 1}\n: 1\n? *k\n: 2\n"
        #expect(loadError(mixed)?.message.contains("key \"beta\" and a key that is a list or a mapping each appear more than once") == true,
                "\(loadError(mixed).map { "\($0)" } ?? "loaded")")
        // A scalar key repeated through an alias is named by its text.
        expectError(validYAML(replacing: "beta: 0.5\n", with: "x: &b beta\n*b : 0.5\n*b : 0.7\n"),
                    line: 3, column: 4, field: "", says: "key \"beta\" appears more than once")
    }

    /// Issue 11, item 10: a newline (or any control) in a data file's name is shown escaped,
    /// and the error stays one line.
    @Test func aNewlineInADataFileNameIsEscaped() throws {
        let text = validYAML(replacing: "probs: [0.4, 0.3, 0.2, 0.1]", with: #"probs: "chat\n\e[2J.npy""#)
        let error = try #require(loadError(text))
        #expect(error.line == 9 && error.field == "references[0].probs", "\(error)")
        #expect("\(error)".hasSuffix(#"chat\n\e[2J.npy: data file not found"#), "\(error)")
        #expect(!"\(error)".unicodeScalars.contains { VisibleText.isControl($0) }, "\(error)")
    }

    @Test func notANumber() {
        expectError(validYAML(replacing: "rewards: [1.0, 0.5,", with: "rewards: [1.0, lots,"),
                    line: 5, column: 16, field: "rewards[1]", says: "expected a reward (a number), got lots")
    }

    @Test func quotedNumberIsText() {
        expectError(validYAML(replacing: "beta: 0.5", with: "beta: \"0.5\""),
                    line: 3, column: 7, field: "beta", says: "expected β (a number), got the text \"0.5\"")
    }

    @Test func listWhereANumberBelongs() {
        expectError(validYAML(replacing: "    weight: 0.6", with: "    weight: [0.6]"),
                    line: 8, column: 13, field: "references[0].weight", says: "expected a weight (a number), got a list")
    }

    @Test func emptyValueWhereANumberBelongs() {
        expectError(validYAML(replacing: "beta: 0.5", with: "beta:"),
                    line: 3, column: 6, field: "beta", says: "missing value", "β")
    }

    @Test func nanIsRejected() {
        expectError(validYAML(replacing: "0.3, 0.2, 0.1]", with: ".nan, 0.2, 0.1]"),
                    line: 9, column: 18, field: "references[0].probs[1]", says: "a probability cannot be NaN")
    }

    @Test func positiveInfinityIsRejectedInLogprobs() {
        expectError(validYAML(replacing: "-.inf, -.inf]", with: ".inf, -.inf]"),
                    line: 12, column: 58, field: "references[1].logprobs[2]", says: "cannot be +infinity")
    }

    @Test func negativeInfinityIsRejectedInProbs() {
        expectError(validYAML(replacing: "0.2, 0.1]", with: "-inf, 0.1]"),
                    line: 9, column: 23, field: "references[0].probs[2]",
                    says: "a probability cannot be infinite, got -inf", "write 0 for a zero probability")
    }

    @Test func negativeInfinityIsRejectedInRewards() {
        expectError(validYAML(replacing: "0.0, -1.0]", with: "0.0, -Infinity]"),
                    line: 5, column: 26, field: "rewards[3]", says: "a reward cannot be infinite, got -Infinity")
    }

    @Test func infiniteBetaIsRejected() {
        expectError(validYAML(replacing: "beta: 0.5", with: "beta: -.inf"),
                    line: 3, column: 7, field: "beta", says: "β cannot be infinite")
    }

    @Test func infiniteWeightIsRejected() {
        expectError(validYAML(replacing: "weight: 0.4", with: "weight: .inf"),
                    line: 11, column: 13, field: "references[1].weight", says: "a weight cannot be infinite")
    }

    @Test func overflowingNumberIsTooLarge() {
        expectError(validYAML(replacing: "rewards: [1.0,", with: "rewards: [1e400,"),
                    line: 5, column: 11, field: "rewards[0]", says: "a reward is too large: 1e400")
    }

    @Test func negativeProbability() throws {
        let text = validYAML(replacing: "logprobs: [-0.6931471805599453, -0.6931471805599453, -.inf, -.inf]",
                             with: "probs: [0.5, 0.3, 0.4, -0.2]")
        expectError(text, line: 12, column: 28, field: "references[1].probs[3]", says: "negative probability -0.2")
        let error = try #require(loadError(text, fileName: "examples/x.yaml"))
        #expect(error.description == "examples/x.yaml:12:28: references[1].probs[3]: negative probability -0.2")
    }

    @Test func wrongNumberOfRewards() {
        expectError(validYAML(replacing: "rewards: [1.0, 0.5, 0.0, -1.0]", with: "rewards: [1.0, 0.5, 0.0]"),
                    line: 5, column: 10, field: "rewards", says: "expected 4 rewards", "got 3")
    }

    @Test func wrongNumberOfProbabilities() {
        expectError(validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0.4, 0.3, 0.2, 0.05, 0.05]"),
                    line: 9, column: 12, field: "references[0].probs", says: "expected 4 probabilities", "got 5")
    }

    @Test func missingTopLevelKey() {
        expectError(validYAML(replacing: "beta: 0.5\n", with: ""),
                    line: 1, column: 1, field: "beta", says: "missing required key \"beta\"")
    }

    @Test func missingReferenceName() {
        expectError(validYAML(replacing: "  - name: q\n    weight: 0.4", with: "  - weight: 0.4"),
                    line: 10, column: 5, field: "references[1].name", says: "missing required key \"name\"")
    }

    @Test func unknownKeySuggestsTheNearestKnownKey() {
        expectError(validYAML(replacing: "    weight: 0.6", with: "    wieght: 0.6"),
                    line: 8, column: 5, field: "references[0].wieght", says: "unknown key \"wieght\"", "did you mean \"weight\"?")
    }

    @Test func unknownKeyFarFromAnyKnownKeyListsTheKeys() {
        expectError(validYAML(replacing: "notes: A note.", with: "temperature: 0.7"),
                    line: 2, column: 1, field: "temperature", says: "unknown key \"temperature\"", "title, notes, generate, beta")
    }

    @Test func referenceKeyAtTheTopLevelIsMisplaced() {
        expectError(validYAML(replacing: "notes: A note.", with: "weight: 2"),
                    line: 2, column: 1, field: "weight", says: "unknown key \"weight\"", "inside an entry of references")
    }

    @Test func bothProbsAndLogprobs() {
        expectError(validYAML(replacing: "    weight: 0.6\n", with: "    weight: 0.6\n    logprobs: [0, -.inf, -.inf, -.inf]\n"),
                    line: 9, column: 5, field: "references[0]", says: "exactly one of probs, logprobs or topk", "not both probs and logprobs")
    }

    @Test func neitherProbsNorLogprobs() {
        expectError(validYAML(replacing: "    probs: [0.4, 0.3, 0.2, 0.1]\n", with: ""),
                    line: 7, column: 5, field: "references[0]", says: "probs, logprobs or topk", "none is present")
    }

    @Test func duplicateReferenceNames() {
        expectError(validYAML(replacing: "name: q", with: "name: p"),
                    line: 10, column: 11, field: "references[1].name", says: "duplicate reference name \"p\"", "references[0]")
    }

    @Test func emptyReferenceName() {
        expectError(validYAML(replacing: "name: q", with: "name: \"  \""),
                    line: 10, column: 11, field: "references[1].name", says: "reference name is empty")
    }

    @Test func betaZeroIsNotPositive() {
        expectError(validYAML(replacing: "beta: 0.5", with: "beta: 0"),
                    line: 3, column: 7, field: "beta", says: "β must be positive, got 0")
    }

    @Test func negativeBetaIsNotPositive() {
        expectError(validYAML(replacing: "beta: 0.5", with: "beta: -0.5"),
                    line: 3, column: 7, field: "beta", says: "β must be positive, got -0.5")
    }

    @Test func fewerThanTwoResponses() {
        expectError(validYAML(replacing: "responses: [a, b, c, d]", with: "responses: [a]"),
                    line: 4, column: 12, field: "responses", says: "at least two responses, got 1")
    }

    @Test func duplicateResponseLabels() {
        expectError(validYAML(replacing: "responses: [a, b, c, d]", with: "responses: [a, b, a, d]"),
                    line: 4, column: 19, field: "responses[2]", says: "duplicate response \"a\"", "responses[0]")
    }

    @Test func emptyResponseLabel() {
        expectError(validYAML(replacing: "responses: [a, b, c, d]", with: "responses: [a, b, \"\", d]"),
                    line: 4, column: 19, field: "responses[2]", says: "response label is empty")
    }

    @Test func responsesNotAList() {
        expectError(validYAML(replacing: "responses: [a, b, c, d]", with: "responses: a b c d"),
                    line: 4, column: 12, field: "responses", says: "expected a list", "got a b c d")
    }

    @Test func noReferences() {
        let text = validYAML.components(separatedBy: "references:")[0] + "references: []\n"
        expectError(text, line: 6, column: 13, field: "references", says: "no references")
    }

    @Test func allWeightsZero() {
        expectError(validYAML(replacing: "weight: 0.6", with: "weight: 0").replacingOccurrences(of: "weight: 0.4", with: "weight: 0.0"),
                    line: 7, column: 3, field: "references", says: "every reference has weight 0")
    }

    @Test func weightsWhoseSumOverflows() {
        expectError(validYAML(replacing: "weight: 0.6", with: "weight: 1e308").replacingOccurrences(of: "weight: 0.4", with: "weight: 1e308"),
                    line: 7, column: 3, field: "references", says: "too large")
    }

    @Test func negativeWeight() {
        expectError(validYAML(replacing: "weight: 0.4", with: "weight: -0.4"),
                    line: 11, column: 13, field: "references[1].weight", says: "negative weight -0.4")
    }

    @Test func probabilitiesThatDoNotSumToOne() {
        expectError(validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0.4, 0.3, 0.2, 0.08]"),
                    line: 9, column: 12, field: "references[0].probs", says: "sum to 0.98, not 1", "normalize: true")
    }

    @Test func logprobsThatDoNotSumToOne() {
        expectError(validYAML(replacing: "-0.6931471805599453, -.inf, -.inf]", with: "-0.6931471805599453, -2, -.inf]"),
                    line: 12, column: 15, field: "references[1].logprobs", says: "sum to 1.135335283, not 1", "normalize: true")
    }

    @Test func sumJustOutsideTheToleranceIsNeverPrintedAsOne() {
        expectError(validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0.4, 0.3, 0.2, 0.0999985]"),
                    line: 9, column: 12, field: "references[0].probs", says: "sum to 0.9999985, not 1")
    }

    @Test func sumWithinTheToleranceIsAccepted() {
        #expect(loadError(validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0.4, 0.3, 0.2, 0.1000005]")) == nil)
    }

    @Test func referenceWithoutAnySupport() {
        expectError(validYAML(replacing: "[0.4, 0.3, 0.2, 0.1]", with: "[0, 0, 0, 0]") + "normalize: true\n",
                    line: 9, column: 12, field: "references[0].probs", says: "every probability is zero")
    }

    @Test func normalizeMustBeABoolean() {
        expectError(validYAML + "normalize: yes please\n",
                    line: 13, column: 12, field: "normalize", says: "expected true or false, got yes please")
    }

    @Test func titleMustBeText() {
        expectError(validYAML(replacing: "title: Test", with: "title: [Test]"),
                    line: 1, column: 8, field: "title", says: "expected text, got a list")
    }

    @Test func topLevelNotAMapping() {
        expectError("- beta: 0.5\n- responses: [a, b]\n", line: 1, column: 1, field: "", says: "mapping", "got a list")
    }

    @Test func emptyFile() throws {
        let error = try #require(loadError("# nothing but a comment\n"))
        #expect(error.line == 0)
        #expect(error.field == "")
        #expect(error.message.contains("the file is empty"))
    }

    @Test func referenceNotAMapping() {
        expectError(validYAML(replacing: "  - name: q\n    weight: 0.4\n", with: "  - q\n  - name: r\n    weight: 0.4\n"),
                    line: 10, column: 5, field: "references[1]", says: "expected a reference", "got q")
    }

    @Test func fileThatDoesNotExist() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("missing.yaml")
        #expect(throws: ScenarioError(file: url.path, message: "file does not exist")) {
            try ScenarioLoader.load(contentsOf: url)
        }
    }

    @Test func fileThatIsAFolder() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("folder.yaml")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect(throws: ScenarioError(file: url.path, message: "is a folder, not a scenario file")) {
            try ScenarioLoader.load(contentsOf: url)
        }
    }

    @Test func fileThatIsNotUTF8() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("latin1.yaml")
        // "title: Café" in Latin-1 on line 2: é is the single byte 0xE9.
        try Data("beta: 0.5\ntitle: Caf".utf8 + [0xE9] + Data("\n".utf8)).write(to: url)
        do {
            _ = try ScenarioLoader.load(contentsOf: url)
            Issue.record("loaded a Latin-1 file")
        } catch {
            #expect(error.file == url.path)
            #expect(error.line == 2)
            #expect(error.column == 11)
            #expect(error.message.contains("not UTF-8"))
            #expect(error.message.contains("0xE9"))
        }
    }

    @Test func controlCharacterIsLocated() {
        expectError(validYAML(replacing: "title: Test", with: "title: Te\u{7}st"),
                    line: 1, column: 10, field: "", says: "YAML syntax error", "control characters")
    }

    @Test func errorsInRelativeFilesNameTheFileAsGiven() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "beta: 0\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let url = URL(fileURLWithPath: "bad.yaml", relativeTo: directory)
        do {
            _ = try ScenarioLoader.load(contentsOf: url)
            Issue.record("loaded a file without responses")
        } catch {
            #expect(error.file == "bad.yaml")
        }
    }

    @Test func descriptionLeavesOutUnknownParts() {
        #expect(ScenarioError(file: "a.yaml", message: "file does not exist").description == "a.yaml: file does not exist")
        #expect(ScenarioError(file: "a.yaml", line: 3, column: 1, message: "YAML syntax error: x").description
                == "a.yaml:3:1: YAML syntax error: x")
    }

    @Test func nearestKeyNeedsToBeClose() {
        #expect(ScenarioParser.nearest(to: "reward", among: ScenarioParser.topLevelKeys) == "rewards")
        #expect(ScenarioParser.nearest(to: "Beta", among: ScenarioParser.topLevelKeys) == "beta")
        #expect(ScenarioParser.nearest(to: "probabilities", among: ScenarioParser.referenceKeys) == "probs")
        #expect(ScenarioParser.nearest(to: "colour", among: ScenarioParser.referenceKeys) == nil)
    }

    /// Random damage to a valid file must give a `ScenarioError` or a valid scenario, never a crash.
    @Test func damagedFilesNeverCrash() {
        let alphabet = Array("[]{}:,-#&*!|>'\"%@`0123456789.eEinfa \n\t")
        var generator = SplitMix64(seed: 7)
        let original = Array(validYAML)
        for _ in 0..<3000 {
            var text = original
            for _ in 0...Int(generator.next() % 3) {
                let position = Int(generator.next() % UInt64(text.count))
                switch generator.next() % 3 {
                case 0: text.remove(at: position)
                case 1: text.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                default: text[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }
            }
            if let error = loadError(String(text)) {
                #expect(!error.message.isEmpty)
                #expect(error.line >= 0 && error.column >= 0)
            }
        }
    }
}
