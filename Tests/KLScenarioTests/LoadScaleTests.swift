import Foundation
import KLMath
import Testing
@testable import KLScenario

/// Big inputs within the limits: long inline lists are read without a Yams node per item, CSV
/// data files without a String per field, and a file with too many nodes is refused up front.
/// The tests count (items read by the fast path, lists found), they do not time.
@Suite struct LoadScaleTests {
    /// A scenario of `n` responses with inline lists; `bad` replaces item `index` of `key`'s list.
    static func inlineScenario(_ n: Int, bad: (key: String, index: Int, text: String)? = nil) -> String {
        func items(_ key: String, _ item: (Int) -> String) -> String {
            (0..<n).map { index in bad.map { $0.key == key && $0.index == index } == true ? bad!.text : item(index) }
                .joined(separator: ", ")
        }
        let logProbability = "\(-log(Double(n)))"
        return "beta: 0.5\nresponses: [" + items("responses") { "r\($0)" } + "]\n"
            + "rewards: [" + items("rewards") { "\(Double($0 % 7) / 7)" } + "]\n"
            + "references:\n  - name: a\n    logprobs: [\n      " + items("logprobs") { _ in logProbability } + "]\n"
            + "  - name: b\n    probs: [" + items("probs") { _ in "\(1 / Double(n))" } + "]\n"
    }

    @Test func longInlineListsLoadThroughTheFastPath() throws {
        let n = 100_000
        let text = Self.inlineScenario(n)
        let lists = try YAMLStructureCheck.check(text, fileName: "big.yaml")
        #expect(lists.lists.count == 4)
        #expect(lists.lists.values.map(\.count) == [n, n, n, n])
        #expect(lists.yaml.utf8.count == text.utf8.count) // blanked in place: lines and columns unchanged
        let scenario = try ScenarioLoader.parse(text, fileName: "big.yaml")
        #expect(scenario.responses.count == n && scenario.responses[n - 1] == "r\(n - 1)")
        #expect(scenario.rewards[8] == 1.0 / 7)
        #expect(scenario.references.map(\.logProbabilities.count) == [n, n])
    }

    @Test func theFastPathReadsWhatTheNodesRead() throws {
        let n = InlineList.minimumCount
        var text = Self.inlineScenario(n, bad: (key: "logprobs", index: 3, text: "-.inf"))
        text = text.replacingOccurrences(of: "r5,", with: "\"r 5\",").replacingOccurrences(of: "beta: 0.5\n", with: "beta: 0.5\nnormalize: true\n")
        let fast = try ScenarioLoader.parse(text, fileName: "fast.yaml")
        #expect(try YAMLStructureCheck.check(text, fileName: "fast.yaml").lists.count == 4)
        #expect(fast.responses[5] == "r 5")
        #expect(fast.references[0].logProbabilities[3] == -.infinity)
        #expect(fast.references[1].logProbabilities.allSatisfy { abs($0 + log(Double(n))) < 1e-9 })
    }

    /// The same text through the fast path and through Yams nodes gives the same scenario, bit
    /// for bit: every spelling of a number the fast path reads (and those it hands back), labels
    /// quoted and plain, in YAML and in JSON.
    @Test(arguments: [false, true])
    func theFastPathAndTheSlowPathGiveIdenticalScenarios(json: Bool) throws {
        var generator = SplitMix64(seed: 11)
        let n = 1_500
        let spellings: [(Double) -> String] = [
            { "\($0)" }, { String(format: "%.17g", $0) }, { String(format: "%.3e", $0) }, { String(format: "%.15g", $0) },
            { String(format: "%.25f", $0) }, { "\($0)".replacingOccurrences(of: "e-", with: "E-") },
        ]
        func number(_ value: Double) -> String { spellings[Int(generator.next() % UInt64(spellings.count))](value) }
        let labels = (0..<n).map { index -> String in
            let plain = index % 3 == 0 ? "r\(index)" : index % 3 == 1 ? "ответ \(index)" : "x\(index) y"
            return json || index % 2 == 0 ? "\"\(plain)\"" : plain
        }
        let rewards = (0..<n).map { _ in number((Double(generator.next() % 2_000_001) / 1e6 - 1) * pow(10, Double(generator.next() % 7))) }
        var logs = (0..<n).map { _ in number(-Double(generator.next() % 10_000_000) / 1e5 - 1) }
        logs[3] = json ? "\"-inf\"" : "-.inf"
        logs[4] = json ? "null" : "-.Inf"
        let probs = (0..<n).map { index in index == 7 ? "0" : number(Double(generator.next() % 1000 + 1) / 1e3) }
        let text = json
            ? "{\"beta\": 0.5, \"normalize\": true, \"responses\": [\(labels.joined(separator: ", "))], \"rewards\": [\(rewards.joined(separator: ", "))],"
                + " \"references\": [{\"name\": \"a\", \"logprobs\": [\(logs.joined(separator: ","))]}, {\"name\": \"b\", \"probs\": [\(probs.joined(separator: ", "))]}]}"
            : "beta: 0.5\nnormalize: true\nresponses: [\(labels.joined(separator: ", "))]\nrewards: [\n  \(rewards.joined(separator: ",\n  "))]\n"
                + "references:\n  - name: a\n    logprobs: [\(logs.joined(separator: ", "))]\n  - name: b\n    probs: [\(probs.joined(separator: ", "))]\n"
        #expect(try YAMLStructureCheck.check(text, fileName: "same").lists.count == 4)
        #expect(try YAMLStructureCheck.check(text, fileName: "same", minimumInlineCount: .max).lists.isEmpty)
        let fast = try ScenarioLoader.parse(text, fileName: "same.yaml", baseDirectory: nil, minimumInlineCount: InlineList.minimumCount)
        let slow = try ScenarioLoader.parse(text, fileName: "same.yaml", baseDirectory: nil, minimumInlineCount: .max)
        #expect(fast.responses == slow.responses && fast.responses.count == n)
        #expect(fast.rewards.map(\.bitPattern) == slow.rewards.map(\.bitPattern))
        for (f, s) in zip(fast.references, slow.references) {
            #expect(f.name == s.name && f.weight.bitPattern == s.weight.bitPattern)
            #expect(f.logProbabilities.map(\.bitPattern) == s.logProbabilities.map(\.bitPattern))
        }
        #expect(fast == slow)
        #expect(fast.references[0].logProbabilities[3] == -.infinity && fast.references[1].logProbabilities[7] == -.infinity)
    }

    @Test(arguments: [
        ("rewards", 300, "x", "rewards[300]", "expected a reward (a number), got x"),
        ("rewards", 10, "1e10", "rewards[10]", "1e10"),
        ("probs", 257, "-0.5", "references[1].probs[257]", "negative probability -0.5"),
        ("logprobs", 499, "+.inf", "references[0].logprobs[499]", "cannot be +infinity"),
        ("responses", 400, "r3", "responses[400]", "duplicate response \"r3\" (responses[3] has it too)"),
    ])
    func aBadItemInALongInlineListIsLocated(key: String, index: Int, text: String, field: String, words: String) {
        let scenario = Self.inlineScenario(500, bad: (key: key, index: index, text: text))
        let error = loadError(scenario)
        #expect(error?.field == field, "\(String(describing: error))")
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
        // The item's own line and column.
        let lines = scenario.split(separator: "\n", omittingEmptySubsequences: false)
        let line = lines.firstIndex { $0.hasPrefix(key == "responses" || key == "rewards" ? key + ":" : "    " + key + ":") }! + (key == "logprobs" ? 2 : 1)
        #expect(error?.line == line)
        let items = lines[line - 1]
        let prefix = items.components(separatedBy: ", ").prefix(index).joined(separator: ", ")
        let column = (index == 0 ? items.firstIndex(of: "[").map { items.distance(from: items.startIndex, to: $0) + 1 }! : prefix.count + 2) + 1
        #expect(error?.column == column, "\(String(describing: error))")
    }

    @Test func aLongInlineListOfTheWrongLengthIsRefusedAtTheList() {
        let text = Self.inlineScenario(300).replacingOccurrences(of: "rewards: [0.0, ", with: "rewards: [")
        let error = loadError(text)
        #expect(error?.field == "rewards" && error?.line == 3 && error?.column == 10, "\(String(describing: error))")
        #expect(error?.message == "expected 300 rewards (one per response), got 299")
    }

    @Test func anInlineListLongerThanAScenarioCanBeIsRefusedAtTheFirstItemTooMany() throws {
        let text = "beta: 0.5\nrewards: [" + (0..<1_500).map { "\($0)" }.joined(separator: ", ") + "]\n"
        #expect(throws: ScenarioError(file: "long.yaml", line: 2, column: 11 + (0..<1_000).map { "\($0), ".count }.reduce(0, +),
                                      message: "a list of more than 1000 items; a scenario has at most 1000 responses")) {
            try YAMLStructureCheck.check(text, fileName: "long.yaml", maxInlineItems: 1_000)
        }
        #expect(try YAMLStructureCheck.check(text, fileName: "long.yaml", maxInlineItems: 1_500).lists.first?.value.count == 1_500)
    }

    @Test func tooManyNodesAreRefusedBeforeTheTreeIsBuilt() {
        // A million and one empty lists: each is a node, none a scalar an inline list could hold.
        let text = "beta: 0.5\nresponses: [" + Array(repeating: "[]", count: ScenarioLimits.maxNodes + 1).joined(separator: ",") + "]\n"
        let error = loadError(text)
        #expect(error?.message.contains("more than 1000000 YAML nodes") == true, "\(String(describing: error))")
        #expect(error?.line == 2)
    }

    /// `text` written to a new temporary file, read by `body`, then removed.
    static func withFile<T>(_ text: String, extension ext: String = "csv", _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-scale-\(UInt64.random(in: 0...UInt64.max)).\(ext)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func csvValuesAreScannedWithTheirLines() throws {
        let rows = (0..<1000).map { "r\($0),\(Double($0) / 1000)" }
        let column = try Self.withFile("label,p\n" + rows.joined(separator: "\r\n") + "\n\n") { try DataFile.textNumbers(atPath: $0, tabSeparated: false) }
        #expect(column.values.count == 1000 && column.values[999] == 0.999)
        #expect(column.labels?[999] == "r999")
        #expect(column.location(of: 999) == "line 1001")
        let bad = rows.enumerated().map { $0.offset == 700 ? "r700, 0.7x" : $0.element }.joined(separator: "\n")
        #expect(throws: DataFileError(location: "line 701", message: "expected a number, got \"0.7x\"")) {
            try Self.withFile(bad) { try DataFile.textNumbers(atPath: $0, tabSeparated: false) }
        }
        let quoted = try Self.withFile("\"a, b\",1\n  c\t, 2 \nd,-.inf\n") { try DataFile.textNumbers(atPath: $0, tabSeparated: false) }
        #expect(quoted.labels == ["a, b", "c", "d"] && quoted.values == [1, 2, -.infinity])
    }

    /// Rows are cut in place eight bytes at a time: in rows of every length up to 42 bytes, a
    /// separator, a quote or a byte that is not ASCII is found wherever it is, so each row is
    /// cut where `splitRow` cuts it.
    @Test(arguments: [false, true])
    func rowsOfEveryLengthAreCutWhereTheSeparatorsAre(tabSeparated: Bool) throws {
        let separator = tabSeparated ? "\t" : ","
        func xs(_ count: Int) -> String { String(repeating: "x", count: count) }
        func read(_ rows: [String]) throws -> DataColumn {
            try Self.withFile(rows.joined(separator: "\n")) { try DataFile.textNumbers(atPath: $0, tabSeparated: tabSeparated) }
        }
        let labels = (0...22).map { xs($0) + "y" }
        let values = (0...22).map { (index: Int) -> Double in index % 2 == 0 ? Double(index) : Double(index) / 7 } // short and 17-digit texts
        let rows = labels.indices.map { (index: Int) -> String in
            let label = index % 3 == 0 ? " " + labels[index] + " " : labels[index]
            return label + separator + "\(values[index])"
        }
        let column = try read(rows)
        #expect(column.labels == labels && column.values == values)
        let labelsRead = try Self.withFile(rows.joined(separator: "\n"), extension: tabSeparated ? "tsv" : "csv") { try DataFile.labels(atPath: $0) }
        #expect(labelsRead == labels)
        for length in 0...17 {
            #expect(throws: DataFileError(location: "line 2", message: "3 columns; expected one value, or label\(separator)value")) {
                try read(["a" + separator + "1", xs(length) + separator + "b" + separator + "2"])
            }
        }
        #expect(throws: DataFileError(location: "line 2", message: "1 columns, but earlier rows have 2")) { try read(["a" + separator + "1", "5"]) }
        // A quote or a byte past ASCII anywhere sends the row to `splitRow`: the separator between
        // quotes is text, and an ideographic space at the cell's end is trimmed like a space.
        let quoted = (0...17).map { "\"" + xs($0) + separator + " y\"" + separator + "1" }
        let accented = (0...17).map { xs($0) + "é\u{3000}" + separator + "1" }
        let expected = (0...17).map { xs($0) + separator + " y" } + (0...17).map { xs($0) + "é" }
        #expect(try read(quoted + accented).labels == expected)
    }

    /// A text data file is read in chunks: what is held stays within the chunk and one line,
    /// however long the file, and lines cut by a chunk's end read as whole lines.
    @Test(arguments: [16, 17, 64, 1 << 20])
    func csvIsReadInChunksWithBoundedMemory(chunkBytes: Int) throws {
        let n = 20_000
        let rows = (0..<n).map { "r\($0),\(Double($0) / Double(n))" }
        let text = "\u{FEFF}label,p\r\n" + rows.joined(separator: "\r\n") + "\r\n\r\n\n"
        let reader = LineReader(chunkBytes: chunkBytes)
        let column = try Self.withFile(text) { try DataFile.textNumbers(atPath: $0, tabSeparated: false, reader: reader) }
        #expect(column.values == (0..<n).map { Double($0) / Double(n) })
        #expect(column.labels == (0..<n).map { "r\($0)" })
        #expect(column.location(of: n - 1) == "line \(n + 1)")
        // The chunk and the carried start of a line, never the whole file (here over 200 kB).
        #expect(text.utf8.count > 200_000)
        #expect(reader.peakHeldBytes <= chunkBytes + max(2 * chunkBytes, 64), "\(reader.peakHeldBytes)")
        let labels = try Self.withFile(text) { try DataFile.labels(atPath: $0, reader: reader) }
        #expect(labels.count == n + 1 && labels[n] == "r\(n - 1)")
    }

    @Test func aLineLongerThanTheChunkIsRefusedWithTheLimit() throws {
        let reader = LineReader(chunkBytes: 64)
        let text = "a,1\nb,2\n" + String(repeating: "x", count: 200) + ",3\n"
        #expect(throws: DataFileError(location: "line 3", message: "the line is longer than 64 bytes, the longest a text data file may have")) {
            try Self.withFile(text) { try DataFile.textNumbers(atPath: $0, tabSeparated: false, reader: reader) }
        }
        #expect(LineReader.describe(bytes: LineReader.defaultChunkBytes) == "1 MiB")
    }

    @Test func blankLinesInsideAreKeptAndAtTheEndDropped() throws {
        var lines: [(Int, String)] = []
        try Self.withFile("a\n\n\r\nb\r\n\r\n\n\r") { path in
            try LineReader(chunkBytes: 3).forEachLine(atPath: path) { number, line in
                lines.append((number, String(decoding: line, as: UTF8.self)))
                return true
            }
        }
        #expect(lines.map(\.0) == [1, 2, 3, 4] && lines.map(\.1) == ["a", "", "", "b"])
    }

    /// A CSV's labels are checked against the responses as it is read, quoted rows too, and
    /// reading stops one value past the responses.
    @Test func csvLabelsAreComparedAsTheyAreReadAndReadingStopsAtOneTooMany() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-expected-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func load(_ csv: String) -> ScenarioError? {
            do {
                try Data(csv.utf8).write(to: folder.appendingPathComponent("r.csv"))
                let yaml = folder.appendingPathComponent("s.yaml")
                try Data("beta: 1\nresponses: [a, \"b, c\", d]\nrewards: r.csv\nreferences: [{name: m, probs: [0.5, 0.25, 0.25]}]\n".utf8).write(to: yaml)
                _ = try ScenarioLoader.load(contentsOf: yaml)
                return nil
            } catch let error as ScenarioError {
                return error
            } catch {
                return nil
            }
        }
        #expect(load("a,1\n\"b, c\",2\nd,3\n") == nil)
        #expect(load("a,1\n\"b, x\",2\nd,3\n")?.message.hasSuffix("r.csv: line 2: label \"b, x\" but responses[1] is \"b, c\"") == true)
        #expect(load("a,1\n\"b, c\",2\ne,3\n")?.message.hasSuffix("r.csv: line 3: label \"e\" but responses[2] is \"d\"") == true)
        // Ten million lines after the fourth are not read.
        let long = "1\n2\n3\n4\n" + String(repeating: "x\n", count: 10_000_000)
        #expect(load(long)?.message.hasSuffix("r.csv: wrong length: expected 3 values (one per response), got more") == true)
        #expect(load("1\n2\n")?.message.hasSuffix("got 2") == true)
    }

    @Test func aRepeatedLabelIsFoundWithItsFirstIndex() {
        let labels = (0..<50_000).map { "r\($0)" }
        #expect(ScenarioParser.firstLabelProblem(labels) == nil)
        #expect(ScenarioParser.firstLabelProblem(labels + ["r7", "r9"])! == (50_000, 7))
        #expect(ScenarioParser.firstLabelProblem(["a", " \t", "a"])! == (1, nil))
        #expect(ScenarioParser.firstLabelProblem(["a", "\u{3000}"])! == (1, nil)) // ideographic space
        #expect(ScenarioParser.firstLabelProblem(["a", "b\u{3000}"]) == nil)
    }

    @Test func numberScannerReadsDecimalsOnly() {
        func scan(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer(NumberScanner.decimal) }
        #expect(scan("-0.6931471805599453") == -0.6931471805599453)
        #expect(scan(".5") == 0.5 && scan("1e-05") == 1e-05 && scan("+3") == 3)
        #expect(scan("0x10") == nil && scan("1_000") == nil && scan(".inf") == nil && scan("1e") == nil && scan("") == nil)
    }

    @Test func numberScannerRoundsLikeTheStandardLibrary() {
        func scan(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer(NumberScanner.decimal) }
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<20_000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...19, using: &generator))
            let point = Int.random(in: 0...digits.count, using: &generator)
            let exponent = Bool.random(using: &generator) ? "" : "e\(Int.random(in: -330...310, using: &generator))"
            let text = (Bool.random(using: &generator) ? "-" : "") + digits.prefix(point) + "." + digits.dropFirst(point) + exponent
            #expect(scan(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
            checked += 1
        }
        // Halfway cases and the edges of the exact path: 15 and 16 significant digits, 10^±22 and 10^±23.
        for text in ["9007199254740993", "999999999999999e22", "999999999999999e23", "1e-22", "1e-23", "123456789012345e-22",
                     "0.000000000000000000000000123", "2.2250738585072011e-308", "-0", "0e400", "1.7976931348623157e308"] {
            #expect(scan(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        #expect(checked == 20_000)
    }

    @Test func csvLabelsAreCutFromTheBytesWithTheirLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-labels-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("r.csv").path
        try Data("\u{FEFF}label,p\r\n  a ,1\r\n\"b, c\",2\nd\u{e9},3\n\n".utf8).write(to: URL(fileURLWithPath: csv))
        let read = try DataFile.labels(atPath: csv)
        #expect(read == ["label", "a", "b, c", "d\u{e9}"])
        let txt = folder.appendingPathComponent("r.txt").path
        try Data("x, y\r\nz\nw\n".utf8).write(to: URL(fileURLWithPath: txt))
        #expect(try DataFile.labels(atPath: txt) == ["x, y", "z", "w"])
        #expect(try DataFile.labels(atPath: txt, most: 1) == ["x, y", "z"]) // one past the most, then no further
        try Data([0x62, 0x0A, 0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: txt))
        #expect(throws: DataFileError(location: "line 2", message: "not UTF-8 text; a text data file must be UTF-8")) {
            try DataFile.labels(atPath: txt)
        }
    }
}
