import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 11, items 7 and 10: text from a hostile scenario (terminal escapes in the title, notes,
/// labels, reference names, data-file contents and paths) never reaches standard output or
/// standard error as control bytes, through any command or any error message.
struct HostileInputTests {
    /// Sets the terminal's colour and title and clears it, when printed raw.
    static let payload = "\u{1B}[31mRED\u{1B}]0;pwned\u{07}\u{1B}[2J"

    /// The payload as a YAML double-quoted string spells it.
    static let yamlPayload = "\\e[31mRED\\e]0;pwned\\a\\e[2J"

    /// The scalars a report may not hold: C0 controls but newline and tab, DEL and C1.
    static func controls(in text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
            .map { "U+" + String($0.value, radix: 16) }
    }

    /// A scenario with the payload everywhere a file's text can be, responses and one
    /// reference's probabilities from data files; DEL and a C1 control (CSI, U+009B) too.
    static func writeScenario(in folder: URL) throws -> URL {
        try "T\(payload)\nsafe\n\u{9B}C1\n".write(to: folder.appendingPathComponent("labels.txt"), atomically: true, encoding: .utf8)
        try "label,value\nT\(payload),0.5\nsafe,0.3\n\u{9B}C1,0.2\n"
            .write(to: folder.appendingPathComponent("probs.csv"), atomically: true, encoding: .utf8)
        let scenario = folder.appendingPathComponent("hostile.yaml")
        try """
            title: "T\(yamlPayload) title"
            notes: "N\(yamlPayload) note\\x7f\\x9b end"
            beta: 0.5
            responses: labels.txt
            rewards: [0.1, 0.5, 0.9]
            references:
              - name: "R\(yamlPayload)"
                weight: 0.5
                probs: probs.csv
              - name: "S\\x9b[2Jx"
                weight: 0.5
                probs: [0.2, 0.3, 0.5]

            """.write(to: scenario, atomically: true, encoding: .utf8)
        return scenario
    }

    /// A lab run small enough for a debug build: what is checked is how names are printed.
    private static let smallLab = ["--pairs", "10..100", "--steps", "2", "--seeds", "3"]

    @Test func everyCommandShowsTheFilesControlCharactersEscaped() throws {
        let binary = try Paths.requireBinary()
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try Self.writeScenario(in: folder).path
        let svg = folder.appendingPathComponent("chart.svg")
        let runs: [[String]] = [
            ["solve", scenario], ["solve", scenario, "--format", "csv"], ["solve", scenario, "--format", "json"],
            ["render", scenario], ["render", scenario, "--styles"], ["render", scenario, "--keys", "l"],
            ["sweep", scenario], ["sweep", scenario, "--format", "json"],
            ["lab", scenario] + Self.smallLab, ["lab", scenario, "--format", "csv"] + Self.smallLab,
            ["lab", scenario, "--format", "json"] + Self.smallLab,
            ["export", scenario, "--svg", svg.path],
        ]
        for arguments in runs {
            let result = try runWithoutTerminal(binary, arguments)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            #expect(!result.output.isEmpty, "\(arguments)")
            #expect(Self.controls(in: result.output).isEmpty, "\(arguments): \(Self.controls(in: result.output))")
            #expect(Self.controls(in: result.errors).isEmpty, "\(arguments): \(Self.controls(in: result.errors))")
        }
        // Each text format shows the payload the same visible way.
        let shown = "R\\e[31mRED\\e]0;pwned\\x07\\e[2J"
        for arguments in [["solve", scenario], ["solve", scenario, "--format", "csv"], ["render", scenario], ["lab", scenario] + Self.smallLab] {
            let result = try runWithoutTerminal(binary, arguments)
            // The screen clips a long name to its column, escapes included, as the terminal does.
            let expected = arguments[0] == "render" ? String(shown.prefix(22)) : shown
            #expect(result.output.contains(expected) || arguments[0] == "lab", "\(arguments): \(result.output)")
            #expect(result.output.contains("T\\e[31mRED\\e]0;pwned\\x07\\e[2J"), "\(arguments): \(result.output)")
        }
        let json = try runWithoutTerminal(binary, ["solve", scenario, "--format", "json"]).output
        #expect(json.contains("S\\u009b[2Jx") && json.contains("R\\u001b[31mRED"), "\(json)")
        // The SVG is well-formed XML with the same visible escapes.
        let document = try String(contentsOf: svg, encoding: .utf8)
        #expect(Self.controls(in: document).isEmpty, "\(Self.controls(in: document))")
        #expect(document.contains("T\\e[31mRED\\e]0;pwned\\x07\\e[2J title"))
        #expect(try XMLDocument(data: Data(document.utf8)).rootElement()?.name == "svg")
    }

    @Test func everyErrorMessageShowsTheFilesControlCharactersEscaped() throws {
        let binary = try Paths.requireBinary()
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let p = Self.yamlPayload
        let body = "beta: 0.5\nresponses: [a, b]\nrewards: [0, 1]\n"
        try "label,value\na,0.5\(Self.payload)\nb,0.5\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let cases: [(name: String, text: String, message: String)] = [
            ("duplicate-label", "beta: 0.5\nresponses: [\"a\(p)\", \"a\(p)\"]\nrewards: [0, 1]\nreferences: [{name: m, probs: [0.5, 0.5]}]\n",
             "duplicate response \"a\\e[31mRED"),
            ("duplicate-name", body + "references: [{name: \"m\(p)\", probs: [0.5, 0.5]}, {name: \"m\(p)\", probs: [0.5, 0.5]}]\n",
             "duplicate reference name \"m\\e[31mRED"),
            ("unknown-key", "\"ti\(p)\": x\n" + body + "references: [{name: m, probs: [0.5, 0.5]}]\n", "unknown key \"ti\\e[31mRED"),
            ("bad-csv-value", body + "references: [{name: m, probs: bad.csv}]\n", "got \"0.5\\e[31mRED"),
            ("data-file-path", body + "references: [{name: m, probs: \"no\(p)\\nfile.csv\"}]\n",
             "no\\e[31mRED\\e]0;pwned\\x07\\e[2J\\nfile.csv: data file not found"),
            ("top-k-label", body + "references: [{name: m, topk: {\"z\(p)\": 0.5}}]\n", "\"z\\e[31mRED"),
            ("bad-value", "beta: \"x\(p)\"\nresponses: [a, b]\nrewards: [0, 1]\nreferences: [{name: m, probs: [0.5, 0.5]}]\n", "beta:"),
            ("json-key", "{\"beta\": 0.5, \"responses\": [\"a\", \"b\"], \"rewards\": [0, 1], \"references\": [{\"name\": \"m\", \"probs\": [0.5, 0.5]}], \"x\\u001b\": 1}",
             "unknown key \"x\\e\""),
            ("syntax", "beta: 0.5\nresponses: [a, \u{1B}[2J\u{07} b]\n", "syntax.yaml:2"),
        ]
        for entry in cases {
            let file = folder.appendingPathComponent("\(entry.name == "syntax" ? "syntax" : entry.name).yaml")
            try entry.text.write(to: file, atomically: true, encoding: .utf8)
            for command in ["solve", "render", "lab"] {
                let result = try runWithoutTerminal(binary, [command, file.path])
                #expect(result.status == 2, "\(entry.name), \(command): \(result.errors)")
                #expect(result.errors.contains(entry.message), "\(entry.name), \(command): \(result.errors)")
                #expect(Self.controls(in: result.errors).isEmpty, "\(entry.name), \(command): \(Self.controls(in: result.errors))")
                #expect(result.errors.split(separator: "\n").count == 1, "\(entry.name), \(command): one line: \(result.errors)")
            }
        }
        // A command-line name that the scenario lacks is quoted escaped, and so are the names it lists.
        let scenario = try Self.writeScenario(in: folder).path
        let result = try runWithoutTerminal(binary, ["lab", scenario, "--sampler", "x\u{1B}[2J"])
        #expect(result.status == 2 && result.errors.contains("--sampler \"x\\e[2J\""), "\(result.errors)")
        #expect(Self.controls(in: result.errors).isEmpty, "\(Self.controls(in: result.errors))")
        let missing = try runWithoutTerminal(binary, ["solve", folder.appendingPathComponent("no\u{1B}[2J\nfile.yaml").path])
        #expect(missing.status == 2 && missing.errors.contains("no\\e[2J\\nfile.yaml"), "\(missing.errors)")
        #expect(missing.errors.split(separator: "\n").count == 1, "\(missing.errors)")
    }

    /// Issue 11: swift-argument-parser's own messages quote the command line; they are printed
    /// escaped, with its exit statuses (2 for a usage error, 0 for help and version).
    @Test func commandLineErrorsShowControlCharactersEscaped() throws {
        let binary = try Paths.requireBinary()
        let example = Paths.packageRoot.appendingPathComponent("examples/agree.yaml").path
        let runs: [(arguments: [String], shown: String)] = [
            (["solve", example, "--beta", "\u{1B}[31m"], "\\e[31m"),
            (["solve", example, "--no-such\u{1B}]0;pwned\u{07}"], "--no-such\\e]0;pwned\\x07"),
            (["solve", example, "--format", "8\u{9B}2J"], "8\\u009b2J"),
        ]
        for run in runs {
            let result = try runWithoutTerminal(binary, run.arguments)
            #expect(result.status == 2, "\(run.arguments): \(result.errors)")
            #expect(result.errors.contains(run.shown), "\(run.arguments): \(result.errors)")
            #expect(Self.controls(in: result.errors).isEmpty, "\(run.arguments): \(Self.controls(in: result.errors))")
            #expect(result.output.isEmpty)
        }
        for arguments in [["--help"], ["solve", "--help"], ["--version"]] {
            let result = try runWithoutTerminal(binary, arguments)
            #expect(result.status == 0 && result.errors.isEmpty, "\(arguments): \(result.errors)")
            #expect(result.output.contains(arguments == ["--version"] ? "0." : "USAGE:"), "\(arguments): \(result.output)")
        }
    }
}
