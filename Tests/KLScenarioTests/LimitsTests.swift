import Foundation
import Testing
@testable import KLScenario
import Yams

/// The loader's limits: every hostile or enormous input is refused quickly with a located message.
@Suite struct LimitsTests {
    /// A "billion laughs": ten levels of ten aliases each, 10^10 values when expanded.
    static let billionLaughs: String = {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text + "beta: 0.5\nresponses: *a9\n"
    }()

    /// Expanded, the document would hold 10^10 values: that this test finishes at all shows the
    /// loader refused it before expanding.
    @Test func billionLaughsIsRefusedBeforeExpanding() {
        let error = loadError(Self.billionLaughs)
        #expect(error?.message.contains("aliases expand to more than") == true, "\(String(describing: error))")
        #expect(error?.line ?? 0 > 0)
    }

    @Test func aliasesAsKeysAreRefusedBeforeHashing() {
        // Yams hashes mapping keys to find duplicates: nested aliases as keys would take exponential time.
        var text = "a0: &a0 [x, x]\n"
        for level in 1...40 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        text += "m: {*a40: 1, *a40: 2}\n"
        let error = loadError(text)
        #expect(error?.message.contains("aliases expand") == true, "\(String(describing: error))")
    }

    @Test func smallAliasUseIsAllowed() throws {
        let text = validYAML(replacing: "probs: [0.4, 0.3, 0.2, 0.1]", with: "probs: &p [0.25, 0.25, 0.25, 0.25]")
            .replacingOccurrences(of: "logprobs: [-0.6931471805599453, -0.6931471805599453, -.inf, -.inf]", with: "probs: *p")
        let scenario = try ScenarioLoader.parse(text, fileName: "alias.yaml")
        #expect(scenario.references[1].logProbabilities == scenario.references[0].logProbabilities)
    }

    @Test func deepNestingIsRefused() {
        let depth = 100_000
        let text = "beta: 0.5\nresponses: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let error = loadError(text)
        #expect(error?.message.contains("nested more than 64 deep") == true, "\(String(describing: error))")
        #expect(error?.line == 2)
    }

    @Test func deepBlockNestingIsRefused() {
        var text = "beta: 0.5\nx:\n"
        for level in 1...70 { text += String(repeating: " ", count: level) + "k:\n" }
        #expect(loadError(text)?.message.contains("nested more than 64 deep") == true)
    }

    @Test func deepNestingThroughAliasIsRefused() {
        var text = "a: &a " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
        text += "b: " + String(repeating: "[", count: 40) + "*a" + String(repeating: "]", count: 40) + "\n"
        #expect(loadError(text)?.message.contains("through the alias *a") == true)
    }

    @Test func tooManyReferences() {
        let count = ScenarioLimits.maxReferences + 1
        var text = "beta: 0.5\nresponses: [a, b]\nrewards: [0, 1]\nreferences:\n"
        for index in 0..<count { text += "  - {name: r\(index), probs: [0.5, 0.5]}\n" }
        let error = loadError(text)
        #expect(error?.field == "references")
        #expect(error?.line == 5)
        #expect(error?.message == "too many references: 65; at most 64")
        text = text.replacingOccurrences(of: "  - {name: r64, probs: [0.5, 0.5]}\n", with: "")
        #expect(loadError(text) == nil)
    }

    @Test func tooManyResponses() throws {
        // The real limit is ten million; a file that large takes half a minute to build in a debug
        // build, so the same check is exercised with a limit of 5.
        #expect(ScenarioLimits.maxResponses == 10_000_000)
        let text = "beta: 0.5\nresponses: [a, b, c, d, e, f]\n"
        let root = try Yams.compose(yaml: text)
        let parser = ScenarioParser(fileName: "many.yaml", defaultTitle: "many", maxResponses: 5)
        #expect(throws: ScenarioError(file: "many.yaml", line: 2, column: 12, field: "responses",
                                      message: "too many responses: 6; at most 5")) {
            try parser.scenario(from: root)
        }
        let five = try Yams.compose(yaml: validYAML)
        #expect(throws: Never.self) { try ScenarioParser(fileName: "t.yaml", defaultTitle: "t", maxResponses: 4).scenario(from: five) }
    }

    @Test func fileLargerThanTheLimitIsRefusedBeforeReading() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data("beta: 0.5\n".utf8)))
        // A sparse file: 1 GiB that takes no disk space; reading it would take seconds and memory.
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        #expect(throws: ScenarioError(file: url.path, message: "the file is larger than 256 MiB; a scenario file is far smaller")) {
            try ScenarioLoader.load(contentsOf: url)
        }
    }

    @Test func deviceIsRefusedWithoutReading() {
        for path in ["/dev/zero", "/dev/null", "/dev/urandom"] {
            #expect(throws: ScenarioError(file: path, message: "is not a regular file (a device, pipe or socket); give a scenario file")) {
                try ScenarioLoader.load(contentsOf: URL(fileURLWithPath: path))
            }
        }
        #expect(FileStamp.of(URL(fileURLWithPath: "/dev/zero")) == nil)
    }

    @Test func pipeWithoutWriterDoesNotHang() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(path, 0o644) == 0)
        #expect(throws: ScenarioError(file: path, message: "is not a regular file (a device, pipe or socket); give a scenario file")) {
            try ScenarioLoader.load(contentsOf: URL(fileURLWithPath: path))
        }
    }

    @Test func fileThatVanishesIsReportedAsMissing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("gone.yaml")
        try validYAML.write(to: url, atomically: true, encoding: .utf8)
        #expect(try ScenarioLoader.load(contentsOf: url).responses.count == 4)
        try FileManager.default.removeItem(at: url)
        #expect(throws: ScenarioError(file: url.path, message: "file does not exist")) {
            try ScenarioLoader.load(contentsOf: url)
        }
    }

    @Test func fileIsReadOnceSoAConcurrentRewriteNeverMixesVersions() async throws {
        // A writer replaces the file in place (truncate + write) over and over while the loader
        // reads it: every load sees one whole version or fails with a ScenarioError, never crashes.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("changing.yaml")
        let other = validYAML(replacing: "title: Test", with: "title: Other")
        try validYAML.write(to: url, atomically: false, encoding: .utf8)
        let writer = Task.detached {
            for index in 0..<400 {
                try? (index.isMultiple(of: 2) ? other : validYAML).write(to: url, atomically: false, encoding: .utf8)
            }
        }
        for _ in 0..<400 {
            do {
                let scenario = try ScenarioLoader.load(contentsOf: url)
                #expect(scenario.title == "Test" || scenario.title == "Other")
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        _ = await writer.result
    }
}
