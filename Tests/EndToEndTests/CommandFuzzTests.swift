import Foundation
import Testing

/// Issue 11, "Done when": the fuzz test's promise that no output holds an unescaped control byte,
/// kept by the real binary. The fuzz corpus, the examples and mutations of them that plant
/// terminal escapes (raw bytes, and YAML escapes that load) go through `solve` (table and CSV)
/// and `render`; standard output may hold newlines and tabs, standard error only line ends, and
/// every run ends with status 0 (solved) or 2 (refused). Counted, not timed.
struct LongRunningCommandFuzzTests {
    /// What a mutation plants: raw controls (ESC, BEL, DEL, NUL, CR, C1 CSI) and YAML escapes for them.
    static let plants: [[UInt8]] = [[0x1B], [0x07], [0x7F], [0x00], [0x0D], [0xC2, 0x9B], Array("\\e[2J".utf8), Array("\\x9b".utf8),
                                    Array("\\a".utf8), Array("\\e]0;pwned\\a".utf8), Array("\\u001b".utf8)]

    @Test func fuzzedScenariosPrintNoControlBytes() throws {
        let binary = try Paths.requireBinary()
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = Paths.packageRoot.appendingPathComponent("Tests/KLScenarioTests/FuzzCorpus")
        let examples = Paths.packageRoot.appendingPathComponent("examples")
        let seeds = try [corpus, examples].flatMap { directory in
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
                .map { Array(try Data(contentsOf: directory.appendingPathComponent($0))) }
        }
        #expect(seeds.count >= 15)
        var state: UInt64 = 0x11_2026
        func random(_ count: Int) -> Int { // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(count))
        }
        var inputs = seeds
        for _ in 0..<60 {
            var bytes = seeds[random(seeds.count)]
            for _ in 0...random(3) {
                // Inside a double-quoted string when there is one, so that escapes load.
                let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
                let at = quotes.isEmpty || random(4) == 0 ? random(bytes.count + 1) : quotes[random(quotes.count)] + 1
                bytes.insert(contentsOf: Self.plants[random(Self.plants.count)], at: min(at, bytes.count))
            }
            inputs.append(bytes)
        }
        var runs = 0, solved = 0
        for (index, input) in inputs.enumerated() {
            let file = folder.appendingPathComponent("fuzz-\(index).yaml")
            try Data(input).write(to: file)
            for arguments in [["solve", file.path], ["solve", file.path, "--format", "csv"], ["render", file.path, "--size", "80x24"]] {
                let result = try runWithoutTerminal(binary, arguments)
                runs += 1
                if result.status == 0 { solved += 1 }
                let what = "\(arguments[0]) of input \(index) (base64 \(Data(input).base64EncodedString()))"
                #expect(result.status == 0 || result.status == 2, "\(what): status \(result.status)")
                #expect(HostileInputTests.controls(in: result.output).isEmpty, "\(what): stdout holds \(HostileInputTests.controls(in: result.output))")
                #expect(HostileInputTests.controls(in: result.errors).isEmpty && !result.errors.contains("\t"),
                        "\(what): stderr holds \(HostileInputTests.controls(in: result.errors))")
            }
        }
        #expect(runs == 3 * inputs.count && solved > 0 && solved < runs, "\(solved) of \(runs) solved")
    }
}
