import Foundation
import Testing
@testable import KLScenario

/// A fresh folder with `files` (name: bytes) and `scenario.yaml` holding `yaml`.
private func folder(_ files: [String: [UInt8]], yaml: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
    try yaml.write(to: directory.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
    return directory
}

/// Lines: 1 title, 2 beta, 3 responses, 4 rewards, 5 references, 6–7 chat, 8–9 math.
private func scenarioYAML(responses: String = "[a, b, c, d]", rewards: String = "[1.0, 0.5, 0.0, -1.0]",
                          chat: String = "probs: chat.npy", math: String = "logprobs: [-0.6931471805599453, -0.6931471805599453, -.inf, -.inf]") -> String {
    """
    title: Files
    beta: 0.5
    responses: \(responses)
    rewards: \(rewards)
    references:
      - name: chat
        \(chat)
      - name: math
        \(math)

    """
}

private let chat = [0.4, 0.3, 0.2, 0.1]

/// The error loading the scenario in `directory`, or nil.
private func loadError(in directory: URL) -> ScenarioError? {
    do {
        _ = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("scenario.yaml"))
        return nil
    } catch {
        return error
    }
}

/// The `.npy` header numpy.save writes, spelled out by hand (not by the code under test).
private func handHeader(_ descr: String, _ count: Int, version: UInt8) -> [UInt8] {
    var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(count),), }"
    let preamble = version == 1 ? 10 : 12
    while (preamble + dict.utf8.count + 1) % 64 != 0 { dict += " " }
    dict += "\n"
    let n = dict.utf8.count
    let length: [UInt8] = version == 1 ? [UInt8(n % 256), UInt8(n / 256)] : [UInt8(n % 256), UInt8(n / 256), 0, 0]
    return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0] + length + Array(dict.utf8)
}

@Suite struct DataFileTests {
    /// Issue 11, item 4: a shape whose byte count overflows an Int is an input error, not a trap.
    @Test(arguments: [2_305_843_009_213_693_952, Int.max])
    func aHugeShapeIsABadHeaderNotACrash(count: Int) {
        #expect(throws: DataFileError.self) { try DataFile.numPy(handHeader("<f8", count, version: 1)) }
        do { _ = try DataFile.numPy(handHeader("<f4", count, version: 1)) } catch {
            #expect(error.message.contains("shape (\(count),)"), "\(error.message)")
        }
    }

    @Test(arguments: [(UInt8(1), false), (1, true), (2, false), (2, true)])
    func npyHeaderIsNumpysExactly(version: UInt8, float32: Bool) throws {
        let values = [0.25, 0.5, 0.125, 0.125]
        var expected = handHeader(float32 ? "<f4" : "<f8", values.count, version: version)
        #expect(expected.count % 64 == 0)
        for value in values {
            if float32 { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { expected += $0 } }
            else { withUnsafeBytes(of: value.bitPattern.littleEndian) { expected += $0 } }
        }
        #expect(DataFile.numPyBytes(values, float32: float32, version: version) == expected)
        let column = try DataFile.numPy(expected)
        #expect(column.values == values)
        #expect(column.itemSize == (float32 ? 4 : 8))
        #expect(column.dataOffset == (version == 1 ? 128 : 128))
    }

    @Test func realNumpySaveOutputReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-numpy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = """
            import numpy as np
            a = np.array([0.4, 0.3, 0.2, 0.1])
            np.save('f8.npy', a); np.save('f4.npy', a.astype(np.float32))
            np.lib.format.write_array(open('v2.npy', 'wb'), a, version=(2, 0))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.currentDirectoryURL = directory
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
        // Skipped: python3 with numpy is not installed (`python3 -c "import numpy"` fails).
        guard process.terminationStatus == 0 else {
            print("realNumpySaveOutputReadsBack skipped: python3 with numpy is not available")
            return
        }
        for (name, float32, version) in [("f8.npy", false, UInt8(1)), ("f4.npy", true, 1), ("v2.npy", false, 2)] {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            #expect(bytes == DataFile.numPyBytes(chat, float32: float32, version: version), "\(name)")
            let values = try DataFile.numPy(bytes).values
            #expect(values == chat.map { float32 ? Double(Float($0)) : $0 }, "\(name)")
        }
    }

    @Test func everyFieldCanComeFromFiles() throws {
        let directory = try folder([
            "chat.npy": DataFile.numPyBytes(chat),
            "math.npy": DataFile.numPyBytes([0.5, 0.5, 0, 0], float32: true, version: 2),
            "labels.txt": Array("a\nb\nc, with comma\nd\n".utf8),
            "rewards.csv": Array("label,reward\na,1\nb,0.5\n\"c, with comma\",0\nd,-1\n".utf8),
        ], yaml: scenarioYAML(responses: "labels.txt", rewards: "rewards.csv", math: "probs: math.npy"))
        let scenario = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("scenario.yaml"))
        #expect(scenario.responses == ["a", "b", "c, with comma", "d"])
        #expect(scenario.rewards == [1, 0.5, 0, -1])
        #expect(scenario.references[0].logProbabilities == chat.map(log))
        #expect(scenario.references[1].logProbabilities[2] == -.infinity)
    }

    @Test func logprobsFromAFileAndOneColumnCSVAndTSV() throws {
        let directory = try folder([
            "chat.csv": Array("0.4\n0.3\n0.2\n0.1\n".utf8),
            "math.tsv": Array("label\tlogp\na\t-0.6931471805599453\nb\t-0.6931471805599453\nc\t-inf\nd\t-inf\n".utf8),
            "rewards.npy": DataFile.numPyBytes([1, 0.5, 0, -1]),
        ], yaml: scenarioYAML(rewards: "rewards.npy", chat: "probs: chat.csv", math: "logprobs: math.tsv"))
        let scenario = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("scenario.yaml"))
        #expect(scenario.references[0].logProbabilities == chat.map(log))
        #expect(scenario.references[1].logProbabilities == [-0.6931471805599453, -0.6931471805599453, -.infinity, -.infinity])
    }

    @Test func savingWritesTheNumbersInline() throws {
        let directory = try folder(["chat.npy": DataFile.numPyBytes(chat)], yaml: scenarioYAML())
        let scenario = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("scenario.yaml"))
        let text = ScenarioWriter.yaml(scenario)
        #expect(!text.contains("chat.npy"))
        #expect(try ScenarioLoader.parse(text, fileName: "saved.yaml") == scenario)
    }

    /// examples/vocab/vocab.yaml names data files that are generated, not committed.
    static let vocabExample = examplesDirectory.appendingPathComponent("vocab/vocab.yaml")
    static let vocabDataPresent = ["vocab.txt", "chat.npy", "math.npy", "code.npy", "rewards.npy"].allSatisfy {
        FileManager.default.fileExists(atPath: examplesDirectory.appendingPathComponent("vocab/" + $0).path)
    }

    @Test(.enabled(if: vocabDataPresent, "examples/vocab has no data: run python3 examples/vocab/make_vocab.py (numpy) first"))
    func vocabExampleLoadsAndSolves() throws {
        let scenario = try ScenarioLoader.load(contentsOf: Self.vocabExample)
        #expect(scenario.responses.count == 150_000)
        #expect(scenario.references.map(\.name) == ["chat", "math", "code"])
        #expect(scenario.references[1].logProbabilities.contains(-.infinity))
        #expect(!scenario.notes.isEmpty)
    }

    @Test func vocabExampleWithoutDataSaysWhichFileIsMissing() throws {
        let directory = try folder([:], yaml: try String(contentsOf: Self.vocabExample, encoding: .utf8))
        let error = try #require(loadError(in: directory))
        #expect(error.field == "responses"
                && error.message.hasSuffix("vocab.txt: data file not found; to make it: python3 examples/vocab/make_vocab.py"), "\(error)")
    }

    @Test func generateHintIsAddedOnlyToAMissingFile() throws {
        let hinted = "generate: make data\n" + scenarioYAML()
        let missing = try #require(loadError(in: try folder([:], yaml: hinted)))
        #expect(missing.message.hasSuffix("chat.npy: data file not found; to make it: make data"), "\(missing)")
        let bad = try #require(loadError(in: try folder(["chat.npy": [1, 2, 3]], yaml: hinted)))
        #expect(!bad.message.contains("to make it"), "\(bad)")
        let plain = try #require(loadError(in: try folder([:], yaml: scenarioYAML())))
        #expect(plain.message.hasSuffix("data file not found"), "\(plain)")
    }

    // MARK: One test per error

    /// Expects the scenario to be rejected at line 7 (`probs: chat.npy`), field references[0].probs,
    /// naming the data file and saying `words`.
    private func expectChatError(_ bytes: [UInt8], name: String = "chat.npy", says words: String...,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try folder([name: bytes], yaml: scenarioYAML())
        guard let error = loadError(in: directory) else {
            Issue.record("loaded without error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.file.hasSuffix("scenario.yaml"), sourceLocation: sourceLocation)
        #expect(error.line == 7 && error.column == 12, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == "references[0].probs", "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(directory.path + "/chat.npy"), "\(error)", sourceLocation: sourceLocation)
        for word in words { #expect(error.message.contains(word), "\(error)", sourceLocation: sourceLocation) }
    }

    @Test func notFound() throws {
        try expectChatError([], name: "other.npy", says: "chat.npy: data file not found")
    }

    @Test func wrongDtype() throws {
        var bytes = DataFile.numPyBytes(chat)
        let header = String(decoding: bytes[10..<128], as: UTF8.self).replacingOccurrences(of: "<f8", with: "<i8")
        bytes.replaceSubrange(10..<128, with: Array(header.utf8))
        try expectChatError(bytes, says: "offset 10: wrong dtype '<i8'", "float64 '<f8'")
    }

    @Test func bigEndianIsAWrongDtype() throws {
        var bytes = DataFile.numPyBytes(chat)
        let header = String(decoding: bytes[10..<128], as: UTF8.self).replacingOccurrences(of: "<f8", with: ">f8")
        bytes.replaceSubrange(10..<128, with: Array(header.utf8))
        try expectChatError(bytes, says: "wrong dtype '>f8'")
    }

    @Test func wrongLength() throws {
        try expectChatError(DataFile.numPyBytes([0.5, 0.5]), says: "wrong length: expected 4 values (one per response), got 2")
    }

    @Test func notFinite() throws {
        try expectChatError(DataFile.numPyBytes([0.4, .nan, 0.2, 0.1]), says: "offset 136: not finite: nan (value 1, response \"b\")")
    }

    @Test func negative() throws {
        try expectChatError(DataFile.numPyBytes([0.4, 0.3, -0.2, 0.1]), says: "offset 144: negative probability -0.2 (value 2, response \"c\")")
    }

    @Test func truncated() throws {
        try expectChatError(Array(DataFile.numPyBytes(chat).dropLast(3)), says: "offset 157: truncated", "needs 32 bytes", "has 29")
    }

    @Test func badMagic() throws {
        try expectChatError(Array("not numpy at all".utf8), says: "offset 0: bad header", "magic")
    }

    @Test func badHeaderShape() throws {
        var bytes = DataFile.numPyBytes(chat)
        let header = String(decoding: bytes[10..<128], as: UTF8.self).replacingOccurrences(of: "(4,), ", with: "(2,2),")
        bytes.replaceSubrange(10..<128, with: Array(header.utf8))
        try expectChatError(bytes, says: "one-dimensional", "(2,2)")
    }

    @Test func unsupportedVersion() throws {
        var bytes = DataFile.numPyBytes(chat)
        bytes[6] = 9
        try expectChatError(bytes, says: "offset 6: bad header: unsupported .npy version 9.0")
    }

    @Test func csvBadNumberNamesTheLine() throws {
        try expectChatError(Array("p\n0.4\n0.3\nzero\n0.1\n".utf8), name: "chat.npy.csv", says: "not found")
        let directory = try folder(["chat.csv": Array("p\n0.4\n0.3\nzero\n0.1\n".utf8)], yaml: scenarioYAML(chat: "probs: chat.csv"))
        let error = try #require(loadError(in: directory))
        #expect(error.message.hasSuffix("chat.csv: line 4: expected a number, got \"zero\""), "\(error)")
    }

    @Test func csvLabelsMustMatchTheResponses() throws {
        let directory = try folder(["chat.csv": Array("a,0.4\nb,0.3\nx,0.2\nd,0.1\n".utf8)], yaml: scenarioYAML(chat: "probs: chat.csv"))
        let error = try #require(loadError(in: directory))
        #expect(error.message.hasSuffix("chat.csv: line 3: label \"x\" but responses[2] is \"c\""), "\(error)")
    }

    @Test func labelsFileDuplicatesAndEmptyLines() throws {
        let duplicate = try folder(["chat.npy": DataFile.numPyBytes(chat), "v.txt": Array("a\nb\na\nd\n".utf8)],
                                   yaml: scenarioYAML(responses: "v.txt"))
        let error = try #require(loadError(in: duplicate))
        #expect(error.line == 3 && error.field == "responses", "\(error)")
        #expect(error.message.hasSuffix("v.txt: line 3: duplicate response \"a\" (line 1 has it too)"), "\(error)")
        let empty = try folder(["chat.npy": DataFile.numPyBytes(chat), "v.txt": Array("a\n\nc\nd\n".utf8)],
                               yaml: scenarioYAML(responses: "v.txt"))
        #expect(try #require(loadError(in: empty)).message.hasSuffix("v.txt: line 2: response label is empty"))
    }

    @Test func rewardsFileWrongLengthAndLabelsFromNpyAreRejected() throws {
        let directory = try folder(["chat.npy": DataFile.numPyBytes(chat), "r.npy": DataFile.numPyBytes([1, 2, 3])],
                                   yaml: scenarioYAML(rewards: "r.npy"))
        let error = try #require(loadError(in: directory))
        #expect(error.line == 4 && error.field == "rewards", "\(error)")
        #expect(error.message.contains("r.npy: wrong length: expected 4 values (one per response), got 3"), "\(error)")
        let labels = try folder(["chat.npy": DataFile.numPyBytes(chat)], yaml: scenarioYAML(responses: "chat.npy"))
        #expect(try #require(loadError(in: labels)).message.contains("labels cannot come from a .npy file"))
    }

    @Test func logprobsPlusInfinityIsRejected() throws {
        let directory = try folder(["chat.npy": DataFile.numPyBytes(chat), "m.npy": DataFile.numPyBytes([0, .infinity, 0, 0])],
                                   yaml: scenarioYAML(math: "logprobs: m.npy"))
        let error = try #require(loadError(in: directory))
        #expect(error.field == "references[1].logprobs", "\(error)")
        #expect(error.message.contains("m.npy: offset 136: a log-probability cannot be +infinity"), "\(error)")
    }
}
