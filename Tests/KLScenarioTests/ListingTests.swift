import Foundation
import Testing
@testable import KLScenario

/// Discovering scenario files for the file picker.
@Suite struct ListingTests {
    @Test func listsScenarioFilesSortedWithTitlesNotesAndErrors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        try write("b.yaml", validYAML(replacing: "notes: A note.", with: "notes: |\n\n  First line.\n  Second line."))
        try write("a.json", "{\"beta\": 0}")
        try write("c.YML", validYAML(replacing: "notes: A note.\n", with: ""))
        try write("readme.txt", "not a scenario")
        try write(".hidden.yaml", validYAML)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder.yaml"), withIntermediateDirectories: false)

        let listings = ScenarioLoader.list(directories: [directory, directory, directory.appendingPathComponent("missing")])
        #expect(listings.map(\.url.lastPathComponent) == ["a.json", "b.yaml", "c.YML"])
        #expect(listings.map(\.title) == ["a", "Test", "Test"])
        #expect(listings.map(\.firstNoteLine) == ["", "First line.", ""])
        #expect(listings.allSatisfy { !$0.isTour })
        #expect(listings[0].loadError?.field == "beta")
        #expect(listings[1].loadError == nil && listings[2].loadError == nil)
    }

    /// Issue 17: an installed binary, PREFIX/bin/klscope (or a link to it), finds PREFIX/share/klscope/examples.
    @Test func findsTheInstalledExamplesBesideTheBinary() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let binary = prefix.appendingPathComponent("bin/klscope")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: binary)
        #expect(ScenarioListing.installedExamples(besideExecutable: binary) == nil)
        let examples = prefix.appendingPathComponent("share/klscope/examples", isDirectory: true)
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        #expect(ScenarioListing.installedExamples(besideExecutable: binary)?.standardizedFileURL.path == examples.standardizedFileURL.path)
        let link = prefix.appendingPathComponent("elsewhere/klscope")
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: binary)
        #expect(ScenarioListing.installedExamples(besideExecutable: link)?.standardizedFileURL.path == examples.standardizedFileURL.path)
    }

    @Test func listsTheExamples() throws {
        let listings = ScenarioLoader.list(directories: [examplesDirectory])
        #expect(listings.count == (try exampleFiles()).count)
        #expect(listings.allSatisfy { $0.loadError == nil && !$0.firstNoteLine.isEmpty })
        #expect(listings.first { $0.url.lastPathComponent == "chat-vs-math.yaml" }?.title == Scenario.builtInDefault.title)
    }

    @Test func describesALargeFileFromABoundedPrefix() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let count = 400_000
        let numbers = Array(repeating: "0.5", count: count).joined(separator: ", ")
        let yaml = "# big\ntitle: Big one \u{00e9}\nnotes: |\n\n  First big line.\n  Second.\nbeta: 1\nresponses: [\(numbers)]\n"
        let json = "{\"beta\": 1, \"notes\": \"\\ud83d\\ude00 note\\nmore\", \"title\": \"Big \\\"JSON\\\"\", \"rewards\": [\(numbers)]}"
        try yaml.write(to: directory.appendingPathComponent("big.yaml"), atomically: false, encoding: .utf8)
        try json.write(to: directory.appendingPathComponent("big.json"), atomically: false, encoding: .utf8)
        try "responses: [\(numbers)]".write(to: directory.appendingPathComponent("untitled.yaml"), atomically: false, encoding: .utf8)
        #expect(yaml.utf8.count > ScenarioListing.summaryPrefixBytes)

        let listings = ScenarioLoader.list(directories: [directory])
        #expect(listings.map(\.title) == ["Big \"JSON\"", "Big one \u{00e9}", "untitled"])
        #expect(listings.map(\.firstNoteLine) == ["\u{1F600} note", "First big line.", ""])
        #expect(listings.allSatisfy { $0.loadError == nil })
    }
}
