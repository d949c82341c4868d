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
        #expect(csv.status == 0 && csv.output.split(separator: "\n").count == 3, "header and two rows: \(csv.output)")
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
