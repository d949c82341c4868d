import Foundation
import Testing

/// `klscope solve` as a user runs it: `--top`/`--by`, their mistakes, and the streamed JSON.
struct SolveCommandTests {
    let example = Paths.packageRoot.appendingPathComponent("examples/three-references.yaml").path

    @Test func topListsTheLargestRowsAndSumsTheRest() throws {
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["solve", example, "--top", "2", "--by", "reward"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("detailed answer") && lines[2].hasPrefix("short answer"), "\(lines.prefix(4))")
        #expect(lines[3].hasPrefix("rest (3 more)"))
        let csv = try runWithoutTerminal(try Paths.requireBinary(), ["solve", example, "--top", "2", "--format", "csv"])
        let blocks = csv.output.components(separatedBy: "\n\n")
        #expect(csv.status == 0 && blocks[0].split(separator: "\n").count == 3, "header and two rows: \(csv.output)")
        #expect(blocks.count == 2 && blocks[1].hasPrefix("quantity,value\nbeta,"), "then the summary block: \(csv.output)")
    }

    @Test func mistakesInTopAndByExitWithStatusTwo() throws {
        for (arguments, message) in [(["--top", "0"], "--top must be at least 1"),
                                     (["--by", "nope"], "--by nope: no such column; use one of reward, helpful"),
                                     (["--top", "2", "--format", "json"], "--top and --by apply to the table and CSV")] {
            let result = try runWithoutTerminal(try Paths.requireBinary(), ["solve", example] + arguments)
            #expect(result.status == 2 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
        let disjoint = Paths.packageRoot.appendingPathComponent("examples/disjoint.yaml").path
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["solve", disjoint, "--top", "2"])
        #expect(result.status == 2 && result.errors.contains("the policy does not exist"), "\(result.errors)")
    }

    /// Issue 11, item 5: an override is checked by the file's rules; an infinite weight sum is
    /// an input error in every command that takes `--weights`.
    @Test func overridesOutsideTheRulesExitWithStatusTwo() throws {
        let agree = Paths.packageRoot.appendingPathComponent("examples/agree.yaml").path
        for command in ["solve", "sweep", "lab"] {
            let result = try runWithoutTerminal(try Paths.requireBinary(), [command, agree, "--weights", "1e308,1e308"])
            #expect(result.status == 2 && result.errors.contains("their sum is infinite"), "\(command): \(result.errors)")
        }
        for (arguments, message) in [(["--weights", "1,-1"], "negative weight -1"), (["--weights", "0,0"], "every reference has weight 0"),
                                     (["--weights", "1,x"], "The value '1,x' is invalid for '--weights"), (["--beta", "1e12"], "β must lie between 1e-10 and 1e10")] {
            let result = try runWithoutTerminal(try Paths.requireBinary(), ["solve", agree] + arguments)
            #expect(result.status == 2 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
    }

    /// Mistakes the argument parser finds (an unknown option, a value of the wrong form) are
    /// input errors like the rest: status 2, the option named, the command line's control
    /// characters shown escaped; help and the version still exit with 0.
    @Test func parserMistakesExitWithStatusTwoAndEscapedText() throws {
        let agree = Paths.packageRoot.appendingPathComponent("examples/agree.yaml").path
        for (arguments, message) in [(["solve", agree, "--bogus"], "Unknown option '--bogus'"),
                                     (["solve", agree, "--beta", "\u{1B}[31m\u{07}"], "The value '\\e[31m\\x07' is invalid for '--beta"),
                                     (["render", agree, "--size", "3"], "The value '3' is invalid for '--size <WxH>'"),
                                     (["render", agree, "--size", "1001x5"], "The value '1001x5' is invalid for '--size"),
                                     (["lab", agree, "--pairs", "9..3"], "The value '9..3' is invalid for '--pairs"),
                                     (["lab", agree, "--pairs", "0..5"], "--pairs needs 1 ≤ LOW ≤ HIGH ≤ 1000000, got 0..5"),
                                     (["lab", agree, "--over", "beta", "--beta-range", "1e-20..1"], "--beta-range: β must lie between 1e-10 and 1e10")] {
            let result = try runWithoutTerminal(try Paths.requireBinary(), arguments)
            #expect(result.status == 2 && result.errors.contains(message), "\(arguments): \(result.errors)")
            #expect(!result.errors.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(arguments): a raw control character")
        }
        for arguments in [["--help"], ["--version"], ["solve", "--help"]] {
            #expect(try runWithoutTerminal(try Paths.requireBinary(), arguments).status == 0, "\(arguments)")
        }
    }

    /// Issue 11, item 4: a `.npy` whose shape overflows the byte count is a located error, exit 2.
    @Test func aHugeNumPyShapeExitsWithStatusTwo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        let n = dict.utf8.count
        let bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(n % 256), UInt8(n / 256)] + Array(dict.utf8)
        try Data(bytes).write(to: folder.appendingPathComponent("huge.npy"))
        let scenario = folder.appendingPathComponent("s.yaml")
        try "beta: 1\nresponses: [a, b]\nrewards: [1, 0]\nreferences:\n  - name: p\n    probs: huge.npy\n".write(to: scenario, atomically: true, encoding: .utf8)
        for command in ["solve", "render"] {
            let result = try runWithoutTerminal(try Paths.requireBinary(), [command, scenario.path])
            #expect(result.status == 2 && result.errors.contains("huge.npy") && result.errors.contains("s.yaml:6"), "\(command): \(result.errors)")
        }
    }

    @Test func streamedJSONIsOneValidDocument() throws {
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["solve", example, "--format", "json"])
        #expect(result.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let policies = try #require(document?["policies"] as? [String: Any])
        #expect((policies["rkl"] as? [Double])?.count == 5)
    }
}

/// `klscope --version` as a user runs it.
struct VersionTests {
    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["--version"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.10.0")
    }
}
