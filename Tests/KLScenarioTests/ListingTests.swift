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

    /// The picker reads no data file: a small scenario naming one (`probs: tail.csv`, which may
    /// hold millions of numbers) is listed from its title and notes. The data file here is
    /// malformed, so reading it would show as a load error; it is found only when opened.
    @Test func listingReadsNoDataFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = "title: Tail\nnotes: |\n  Data in a file.\nbeta: 1\nresponses: [a, b]\nrewards: [1, 0]\nreferences:\n  - name: p\n    probs: tail.csv\n"
        try yaml.write(to: directory.appendingPathComponent("tail.yaml"), atomically: false, encoding: .utf8)
        try "0.5\nnot a number\n".write(to: directory.appendingPathComponent("tail.csv"), atomically: false, encoding: .utf8)
        let listing = ScenarioListing.summary(of: directory.appendingPathComponent("tail.yaml"))
        #expect(listing.title == "Tail" && listing.firstNoteLine == "Data in a file." && listing.loadError == nil)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("tail.yaml")) }
    }

    /// Issue 11 item 11: the picker reads only what it lists. A folder with a 4 MB scenario and
    /// two small ones: every file is read once, through the reader, the big one no further than
    /// the prefix (and one byte to know there is more), the small ones whole.
    @Test func listingReadsAtMostThePrefixOfEachFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let numbers = Array(repeating: "0.25", count: 800_000).joined(separator: ", ")
        let big = "title: Big\nnotes: A big one.\nbeta: 1\nresponses: [\(numbers)]\n"
        try big.write(to: directory.appendingPathComponent("big.yaml"), atomically: false, encoding: .utf8)
        try validYAML.write(to: directory.appendingPathComponent("small.yaml"), atomically: false, encoding: .utf8)
        try "{\"beta\": 0}".write(to: directory.appendingPathComponent("broken.json"), atomically: false, encoding: .utf8)
        #expect(big.utf8.count > 50 * ScenarioListing.summaryPrefixBytes)

        var reads: [String: Int] = [:]
        let listings = ScenarioLoader.list(directories: [directory], folders: true, isCancelled: { false }) { (path: String, count: Int) throws(FileSystemError) -> [UInt8] in
            let bytes = try ScenarioListing.readPrefix(path, count)
            reads[(path as NSString).lastPathComponent, default: 0] += bytes.count
            return bytes
        }
        #expect(listings.map(\.title) == ["Big", "broken", "Test"])
        #expect(listings[1].loadError?.field == "beta" && listings[0].loadError == nil)
        #expect(reads["big.yaml"] == ScenarioListing.summaryPrefixBytes + 1)
        #expect(reads["small.yaml"] == validYAML.utf8.count && reads["broken.json"] == 11)
        #expect(reads.count == 3)
        // The public listing agrees, and a cancelled one stops before reading anything.
        #expect(ScenarioLoader.list(directories: [directory]) == listings)
        var cancelledReads = 0
        let cancelled = ScenarioLoader.list(directories: [directory], folders: true, isCancelled: { true }) { (path: String, count: Int) throws(FileSystemError) -> [UInt8] in
            cancelledReads += 1
            return try ScenarioListing.readPrefix(path, count)
        }
        #expect(cancelled.isEmpty && cancelledReads == 0)
    }

    @Test func aFileThatCannotBeReadIsListedWithTheReason() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("pipe.yaml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let listing = ScenarioListing.summary(of: fifo)
        #expect(listing.title == "pipe")
        #expect(listing.loadError?.message.contains("not a regular file") == true)
    }
}
