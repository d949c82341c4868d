import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// What `keys`, `sweep`, `lab`, `render`, `export` and `tour` print or write, read as a user (or a
/// script consuming the output) would: the shape of the output and values checked against the
/// scenario, not against the code that printed them.
@Suite struct CommandOutputTests {
    private func run(_ arguments: [String]) throws -> Completed {
        let result = try runWithoutTerminal(try Paths.requireBinary(), arguments)
        #expect(result.status == 0, "klscope \(arguments.joined(separator: " ")): \(result.errors)")
        return result
    }

    private func example(_ name: String) -> String {
        Paths.packageRoot.appendingPathComponent("examples").appendingPathComponent(name).path
    }

    @Test func keysPrintsAMarkdownTableWithEveryMainKey() throws {
        let lines = try run(["keys"]).output.split(separator: "\n")
        #expect(lines.first == "| Key | Action |")
        #expect(lines.dropFirst(2).allSatisfy { $0.hasPrefix("| `") && $0.hasSuffix("|") })
        for key in ["`q`", "`?`", "`s S`", "`u Ctrl-R`", "`o`"] {
            #expect(lines.contains { $0.hasPrefix("| \(key) |") }, "no row for \(key)")
        }
    }

    /// agree.yaml has β-independent references, so as β falls every optimum's expected reward
    /// rises towards the largest reward and as β grows it falls back to its reference's.
    @Test func sweepCSVRunsOverBetaWithTheExpectedRewardFallingAsBetaGrows() throws {
        let lines = try run(["sweep", example("agree.yaml"), "--format", "csv"]).output.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.first == "beta")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.count >= 10)
        #expect(rows.allSatisfy { $0.count == header.count && $0.allSatisfy(\.isFinite) })
        let betas = rows.map { $0[0] }
        #expect(zip(betas, betas.dropFirst()).allSatisfy { $0 < $1 })
        let reward = try #require(header.firstIndex(of: "rkl_expected_reward"))
        #expect(rows.first![reward] > rows.last![reward])
        #expect(rows.first![reward] <= 1 + 1e-12)  // the largest reward in agree.yaml is 1
    }

    /// Every JSON report opens with the same description of the scenario (with the overrides
    /// applied): title, responses, rewards, β, reference names and normalised weights.
    @Test func everyJSONReportOpensWithTheSameScenario() throws {
        let file = example("three-references.yaml")
        let overrides = ["--weights", "1,1,2", "--beta", "0.5"]
        let commands = [["solve", file], ["sweep", file, "--steps", "3"], ["sweep", file, "--over", "weight", "--reference", "terse", "--steps", "3"],
                        ["lab", file, "--over", "beta", "--steps", "2"],
                        ["lab", file, "--pairs", "10", "--steps", "1", "--seeds", "2"]]
        var headers: [NSDictionary] = []
        for command in commands {
            let output = try run(command + overrides + ["--format", "json"]).output
            let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(command)")
            let keys = ["title", "responses", "rewards", "beta", "references", "weights"]
            #expect(keys.allSatisfy { document[$0] != nil }, "\(command): \(document.keys.sorted())")
            headers.append(NSDictionary(dictionary: document.filter { keys.contains($0.key) }))
        }
        let first = try #require(headers.first)
        #expect(first["beta"] as? Double == 0.5)
        #expect(first["weights"] as? [Double] == [0.25, 0.25, 0.5])
        for (command, header) in zip(commands, headers) { #expect(header == first, "\(command) disagrees") }
    }

    /// The CSV's columns: per method its four values, for RKL and FKL then the bound on the
    /// objective, which is never below the objective (MATH.md: max J ≤ Σα max J_k).
    @Test func sweepCSVHasTheBoundsBesideTheObjectives() throws {
        let lines = try run(["sweep", example("partial-overlap.yaml"), "--steps", "13"]).output.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        let fields = ["expected_reward", "entropy", "own_kl", "objective"]
        #expect(header == ["beta"] + fields.map { "rkl_" + $0 } + ["rkl_bound"] + fields.map { "fkl_" + $0 } + ["fkl_bound"]
                + fields.map { "mrpo_" + $0 } + ["mrpo_gap"])
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.count == 13)
        let column = { (name: String) in header.firstIndex(of: name)! }
        for row in rows {
            #expect(row[column("rkl_objective")] <= row[column("rkl_bound")] + 1e-12, "β \(row[0])")
            #expect(row[column("fkl_objective")] <= row[column("fkl_bound")] + 1e-12, "β \(row[0])")
        }
        // Large β: the objective falls with β log F, the bound stays near the references' E[r].
        #expect(rows.last![column("rkl_bound")] - rows.last![column("rkl_objective")] > 100)
    }

    /// A weight sweep of the second of three references: the JSON names it, its weight runs
    /// from 0 to 1, and each method object carries the bound where there is one.
    @Test func sweepOverTheWeightOfOneOfThreeReferences() throws {
        let output = try run(["sweep", example("three-references.yaml"), "--over", "weight", "--reference", "harmless",
                              "--steps", "5", "--format", "json"]).output
        let value = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(value["reference"] as? String == "harmless")
        let points = try #require(value["points"] as? [[String: Any]])
        #expect(points.compactMap { $0["weight_harmless"] as? Double } == [0, 0.25, 0.5, 0.75, 1])
        for point in points {
            let rkl = try #require(point["rkl"] as? [String: Any]), fkl = try #require(point["fkl"] as? [String: Any])
            let mrpo = try #require(point["mrpo"] as? [String: Any])
            #expect(rkl["bound"] is Double && fkl["bound"] is Double && mrpo["bound"] == nil)
        }
        // At weight 1 only harmless is on: the bound is its own optimum, equal to the objective.
        let last = try #require(points.last?["rkl"] as? [String: Any])
        #expect(abs((last["bound"] as! Double) - (last["objective"] as! Double)) < 1e-12)
    }

    @Test func sweepOverWeightSaysWhatIsWrongOrWhatHappens() throws {
        let binary = try Paths.requireBinary()
        let unknown = try runWithoutTerminal(binary, ["sweep", example("three-references.yaml"), "--over", "weight", "--reference", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("--reference nobody: no such reference") && unknown.errors.contains("helpful, harmless, terse"))
        let single = try runWithoutTerminal(binary, ["sweep", example("single-reference.yaml"), "--over", "weight"])
        #expect(single.status == 2 && single.errors.contains("needs two references or more"))
        let beta = try runWithoutTerminal(binary, ["sweep", example("three-references.yaml"), "--reference", "terse"])
        #expect(beta.status == 2 && beta.errors.contains("--reference applies to --over weight only"))
        // The others all at 0: they share the rest equally, and it is said.
        let off = try run(["sweep", example("three-references.yaml"), "--over", "weight", "--reference", "terse",
                           "--weights", "0,0,1", "--steps", "3"])
        #expect(off.errors.contains("the references other than terse all have weight 0: they share the rest of the weight equally"))
        #expect(off.output.split(separator: "\n").count == 4)
    }

    /// A small lab run: its table names the scenario and every method, its CSV has one row per
    /// m, method and gap with quartiles in order.
    @Test func labPrintsEveryMethodAndOrderedQuartiles() throws {
        let common = [example("partial-overlap.yaml"), "--pairs", "10..100", "--steps", "2", "--seeds", "3"]
        let table = try run(["lab"] + common).output
        #expect(table.hasPrefix("Coverage lab: "))
        for method in ["RKL", "FKL", "MRPO"] { #expect(table.contains("\n\(method) "), "no row for \(method)") }
        let csv = try run(["lab"] + common + ["--format", "csv"]).output.split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let column = { (name: String) in header.firstIndex(of: name)! }
        let rows = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2 * 3 * 2)  // m, method, gap
        for row in rows {
            let q = ["min", "q1", "median", "q3", "max"].map { Double(row[column($0)])! }
            #expect(zip(q, q.dropFirst()).allSatisfy { $0 <= $1 }, "quartiles out of order: \(row)")
            #expect(Double(row[column("mean")])! >= 0)
        }
        #expect(Set(rows.map { $0[column("pairs")] }) == ["10", "100"])
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func renderFillsExactlyTheRequestedSize(width: Int, height: Int) throws {
        let output = try run(["render", example("chat-vs-math.yaml"), "--size", "\(width)x\(height)"]).output
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.count <= width })
        #expect(lines.first?.contains("Chat") == true)
    }

    @Test func exportWritesWellFormedSVGOfTheChartOnScreen() throws {
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for view in ["bars", "sweep"] {
            let out = folder.appendingPathComponent("\(view).svg")
            _ = try run(["export", example("chat-vs-math.yaml"), "--view", view, "--svg", out.path])
            let svg = try String(contentsOf: out, encoding: .utf8)
            #expect(svg.contains("<svg"))
            #expect(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
            #expect(svg.contains("RKL*"))
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "\(view).svg is not well-formed XML: \(String(describing: parser.parserError))")
        }
    }

    /// `--view lab` opens the lab view and runs its lab first, over the m and seeds asked for: the
    /// picture has a whisker per method and m and the theory's lines. On a scenario too large for
    /// the lab the picture says so, well-formed even with markup in the title. (The plot's numbers
    /// are checked against the report in LabSVGTests.)
    @Test func exportViewLabWritesTheLabPicture() throws {
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.svg")
        _ = try run(["export", example("partial-overlap.yaml"), "--view", "lab", "--pairs", "100..1000", "--steps", "3", "--seeds", "5", "--svg", small.path])
        let plot = try String(contentsOf: small, encoding: .utf8)
        #expect(plot.components(separatedBy: "<g class=\"interval\"").count - 1 == 3 * 3, "3 methods × 3 values of m")
        #expect(plot.components(separatedBy: "<polyline class=\"theory\"").count - 1 == 2, "RKL and FKL; MRPO's line is its limit")
        #expect(plot.contains("<polyline class=\"limit\" data-series=\"MRPO\""))
        #expect(plot.contains("5 seeds") && plot.contains("data-m=\"1000\""))
        let plotParser = XMLParser(data: Data(plot.utf8))
        #expect(plotParser.parse(), "small.svg is not well-formed XML: \(String(describing: plotParser.parserError))")
        #expect(try runWithoutTerminal(try Paths.requireBinary(), ["export", example("agree.yaml"), "--view", "lab", "--pairs", "0..10", "--svg", small.path]).errors
                    .contains("--pairs needs 1 ≤ LOW ≤ HIGH"))
        let count = 201
        let scenario = folder.appendingPathComponent("big.yaml")
        try """
            title: "<big> & \\"wide\\""
            beta: 0.5
            responses: [\((0..<count).map { "r\($0)" }.joined(separator: ", "))]
            rewards: [\((0..<count).map { "\(Double($0) / Double(count))" }.joined(separator: ", "))]
            references:
              - name: flat
                weight: 1
                probs: [\(Array(repeating: "\(1.0 / Double(count))", count: count).joined(separator: ", "))]
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("lab.svg")
        let result = try run(["export", scenario.path, "--view", "lab", "--svg", out.path])
        #expect(result.output.contains("wrote \(out.path)"))
        let svg = try String(contentsOf: out, encoding: .utf8)
        #expect(svg.contains("the coverage lab takes at most 200 responses; this scenario has 201"))
        #expect(svg.contains("&lt;big&gt; &amp; &quot;wide&quot;"))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "lab.svg is not well-formed XML: \(String(describing: parser.parserError))")
    }

    /// Two presses of ] reach the lesson's third step: its caption and its β (0.05) are on screen.
    @Test func tourRenderShowsTheStepAfterTheKeys() throws {
        let screen = try run(["tour", example("tours/lesson.yaml"), "--render", "--keys", "] ]", "--size", "120x40"]).output
        #expect(screen.contains("Step 3 of"))
        #expect(screen.contains("A small β lets the reward dominate"))
        #expect(screen.contains("β 0.05"))
    }

    /// Each command's overview reads as prose: no run of spaces inside a sentence (a string
    /// continued with `\` keeps the next line's indentation if the backslash is missing).
    @Test(arguments: ["explore", "solve", "render", "keys", "bench", "lab", "sweep", "export", "tour", "import"])
    func helpOverviewHasNoRunsOfSpaces(command: String) throws {
        let help = try run(["help", command]).output
        let overview = try #require(help.components(separatedBy: "USAGE:").first)
        for line in overview.split(separator: "\n") {
            #expect(!line.trimmingCharacters(in: .whitespaces).contains("   "), "\(command): \(line)")
        }
    }
}
