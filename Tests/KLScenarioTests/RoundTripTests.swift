import Foundation
import KLMath
import Testing
@testable import KLScenario

/// `ScenarioWriter.yaml` followed by `ScenarioLoader.parse` gives back an equal scenario.
@Suite struct RoundTripTests {
    func roundTrip(_ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws -> Scenario {
        try ScenarioLoader.parse(ScenarioWriter.yaml(scenario), fileName: "round-trip.yaml")
    }

    @Test(arguments: try exampleFiles())
    func everyExampleRoundTrips(_ url: URL) throws {
        let scenario = try ScenarioLoader.load(contentsOf: url)
        let text = ScenarioWriter.yaml(scenario)
        let again = try ScenarioLoader.parse(text, fileName: url.lastPathComponent)
        #expect(again == scenario)
        #expect(ScenarioWriter.yaml(again) == text)
    }

    @Test func builtInDefaultIsTheChatVsMathExample() throws {
        let file = try ScenarioLoader.load(contentsOf: examplesDirectory.appendingPathComponent("chat-vs-math.yaml"))
        #expect(file == Scenario.builtInDefault)
    }

    @Test func builtInDefaultIsValidAndRoundTrips() throws {
        let scenario = Scenario.builtInDefault
        #expect(try roundTrip(scenario) == scenario)
        for reference in scenario.references {
            #expect(abs(LogSpace.logSumExp(reference.logProbabilities)) < 1e-9)
        }
        // derive is supported by math only: the point of the default.
        let supports = Supports(scenario.problem)
        #expect(supports.union == [true, true, true, true, true])
        #expect(supports.intersection == [true, false, true, false, true])
    }

    @Test func shortProbabilitiesAreWrittenAsProbs() {
        let text = ScenarioWriter.yaml(Scenario.builtInDefault)
        #expect(text.contains("    probs: [0.35, 0.25, 0.3, 0, 0.1]\n"))
        // The math reference is given as logprobs, but they are logs of short decimals.
        #expect(text.contains("    probs: [0.1, 0, 0.5, 0.35, 0.05]\n"))
    }

    @Test func arbitraryLogProbabilitiesRoundTripExactly() throws {
        for seed in 1...5 as ClosedRange<UInt64> {
            let scenario = SyntheticScenario.make(responses: 300, references: 3, seed: seed, zeroFraction: 0.1)
            #expect(scenario.references.allSatisfy { $0.logProbabilities.contains(-.infinity) })
            let text = ScenarioWriter.yaml(scenario)
            #expect(text.contains("logprobs: ["))
            #expect(try roundTrip(scenario) == scenario)
        }
    }

    @Test func tinyAndExtremeNumbersRoundTrip() throws {
        let scenario = Scenario(
            title: "extremes", beta: 1e-9, responses: ["a", "b", "c"], rewards: [1e6, -1e6, .leastNonzeroMagnitude],
            references: [
                .init(name: "tiny", weight: 1e-300, logProbabilities: LogSpace.logs(of: [1e-300, 0, 1 - 1e-300])),
                .init(name: "log", weight: 3, logProbabilities: [-690.7755278982137, 0, -.infinity]),
            ])
        #expect(try roundTrip(scenario) == scenario)
        #expect(ScenarioWriter.yaml(scenario).contains("probs: [1e-300, 0, 1.0]"))
    }

    @Test func normalizeFlagRoundTrips() throws {
        var scenario = Scenario.builtInDefault
        scenario.normalize = true
        let text = ScenarioWriter.yaml(scenario)
        #expect(text.contains("normalize: true\n"))
        #expect(try roundTrip(scenario) == scenario)
    }

    static let awkwardTexts = [
        "", "plain", "two words", "yes", "NULL", "~", "-inf", "12", "42 (correct)", "a: b", "a #b", "#hash",
        "- dash", "[list]", "{map}", "quote \" inside", "back\\slash", "it's", " leading", "trailing ",
        "tab\there", "line\nbreak", "crlf\r\nline", "\u{0}nul", "bell\u{7}", "é ü 漢字 🙂", "\u{85}next",
        "sep\u{2028}arator", "mid\u{FEFF}bom", "&anchor", "*alias", "!tag", "|pipe", ">fold", "%percent", "@at", "`tick`",
    ]

    static let awkwardNotes = awkwardTexts + [
        "one line", "line\n", "two\nlines\n", "keep\n\n", "keep many\n\n\n", "inner\n\nblank", "inner\n   \nspaces",
        "ends in spaces  ", "last line spaces\n   ", "\nstarts with a break", "  indented first line\nsecond",
        "first\n  indented second", "- a\n- b\n", "key: value\n# not a comment\n", "tab\tafter\n\tleading tab",
        "---\n...\n", "trailing space \nline", "é\n漢字\n",
    ]

    @Test(arguments: awkwardTexts)
    func awkwardLabelsNamesAndTitlesRoundTrip(_ text: String) throws {
        var scenario = Scenario.builtInDefault
        scenario.title = text.isEmpty ? "untitled" : text
        if !text.allSatisfy(\.isWhitespace) {
            scenario.responses[0] = text
            scenario.references[0].name = text
        }
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test(arguments: awkwardNotes)
    func awkwardNotesRoundTrip(_ notes: String) throws {
        var scenario = Scenario.builtInDefault
        scenario.notes = notes
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test func multiLineNotesAreWrittenAsALiteralBlock() {
        var scenario = Scenario.builtInDefault
        scenario.notes = "First line.\nSecond line.\n"
        #expect(ScenarioWriter.yaml(scenario).contains("notes: |\n  First line.\n  Second line.\nbeta: 0.5\n"))
    }

    @Test func emptyTitleFallsBackToTheFileName() throws {
        var scenario = Scenario.builtInDefault
        scenario.title = ""
        let loaded = try ScenarioLoader.parse(ScenarioWriter.yaml(scenario), fileName: "folder/lesson-3.yaml")
        #expect(loaded.title == "lesson-3")
        let untitled = try ScenarioLoader.parse(validYAML(replacing: "title: Test\n", with: ""), fileName: "x/agree.yml")
        #expect(untitled.title == "agree")
        #expect(untitled.notes == "A note.")
    }

    @Test func jsonIsAccepted() throws {
        let json = """
            {"title": "json", "beta": 0.25, "responses": ["a", "b", "c"], "rewards": [1, 0, -1],
             "references": [
               {"name": "p", "probs": [0.5, 0.5, 0]},
               {"name": "q", "weight": 2, "logprobs": [0, null, "-inf"]},
               {"name": "r", "weight": 0, "logprobs": [-Infinity, -0.6931471805599453, -0.6931471805599453]}
             ]}
            """
        let scenario = try ScenarioLoader.parse(json, fileName: "s.json")
        #expect(scenario.title == "json")
        #expect(scenario.beta == 0.25)
        #expect(scenario.references[0].weight == 1)
        #expect(Array(scenario.references[1].logProbabilities[1...]) == [-.infinity, -.infinity])
        #expect(scenario.references[2].logProbabilities[0] == -.infinity)
        #expect(scenario.normalizedWeights == [1.0 / 3, 2.0 / 3, 0])
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test func jsonErrorsAreLocated() {
        expectError("{\"beta\": 0.5,\n \"responses\": [\"a\", \"a\"]}", line: 2, column: 21, field: "responses[1]",
                    says: "duplicate response \"a\"")
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let scenario = try ScenarioLoader.parse("\u{FEFF}" + validYAML, fileName: "bom.yaml")
        #expect(scenario.title == "Test")
    }
}
