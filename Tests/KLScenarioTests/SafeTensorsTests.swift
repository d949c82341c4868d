import Foundation
import Testing
@testable import KLScenario
import TestSupport

/// A safetensors file spelled out by hand: the 8-byte little-endian length of `header`, the
/// header, then `data`.
private func safeTensorsFile(_ header: String, _ data: [UInt8]) -> [UInt8] {
    let n = header.utf8.count
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + Array(header.utf8) + data
}

/// [0.5, 0.25, 0.125, 0.125] in each dtype, little-endian bytes written out by hand.
private let quarterBytes: [String: [UInt8]] = [
    "F16": [0x00, 0x38, 0x00, 0x34, 0x00, 0x30, 0x00, 0x30],
    "BF16": [0x00, 0x3F, 0x80, 0x3E, 0x00, 0x3E, 0x00, 0x3E],
    "F32": [0, 0, 0, 0x3F, 0, 0, 0x80, 0x3E, 0, 0, 0, 0x3E, 0, 0, 0, 0x3E],
    "F64": [0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0, 0, 0, 0xD0, 0x3F,
            0, 0, 0, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0, 0xC0, 0x3F],
]

/// The error reading tensor `name` from `bytes`, or nil.
private func readError(_ bytes: [UInt8], _ name: String = "chat") -> DataFileError? {
    do {
        _ = try DataFile.safeTensors(bytes, tensor: name)
        return nil
    } catch {
        return error
    }
}

@Suite struct SafeTensorsTests {
    @Test(arguments: ["F16", "BF16", "F32", "F64"])
    func eachDtypeReadsTheHandWrittenValues(dtype: String) throws {
        let data = quarterBytes[dtype]!
        let header = #"{"__metadata__":{"format":"pt"},"chat":{"dtype":"\#(dtype)","shape":[4],"data_offsets":[0,\#(data.count)]}}"#
        let column = try DataFile.safeTensors(safeTensorsFile(header, data), tensor: "chat")
        #expect(column.values == [0.5, 0.25, 0.125, 0.125])
        #expect(column.dataOffset == 8 + header.utf8.count)
        #expect(column.itemSize == data.count / 4)
    }

    @Test func halfFloatSpecialValues() {
        #expect(FloatEncoding.half(0x3E00) == 1.5)
        #expect(FloatEncoding.half(0x0001) == 0x1p-24) // the smallest subnormal
        #expect(FloatEncoding.half(0x7BFF) == 65504) // the largest finite
        #expect(FloatEncoding.half(0xFC00) == -.infinity)
        #expect(FloatEncoding.half(0x7E00).isNaN)
        #expect(FloatEncoding.half(0x8000) == 0 && FloatEncoding.half(0x8000).sign == .minus)
    }

    @Test func aScenarioTakesProbsAndLogprobsFromNamedTensors() throws {
        // chat: F16 [0.5, 0.25, 0.125, 0.125] at 0..<8; math: F32 log-probs [ln 0.5, ln 0.5, -inf, -inf] at 8..<24.
        let ln2 = Float(-0.6931471805599453).bitPattern.littleEndian
        var math: [UInt8] = []
        for bits in [ln2, ln2, Float(-Float.infinity).bitPattern, Float(-Float.infinity).bitPattern] {
            withUnsafeBytes(of: bits.littleEndian) { math += $0 }
        }
        let header = #"{"chat":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"math":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(safeTensorsFile(header, quarterBytes["F16"]! + math)).write(to: directory.appendingPathComponent("logits.safetensors"))
        let yaml = """
        title: Tensors
        beta: 0.5
        responses: [a, b, c, d]
        rewards: [1.0, 0.5, 0.0, -1.0]
        references:
          - {name: chat, probs: logits.safetensors#chat}
          - {name: math, logprobs: logits.safetensors#math}

        """
        try yaml.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("s.yaml"))
        #expect(scenario.references[0].logProbabilities == [0.5, 0.25, 0.125, 0.125].map { log($0) })
        let mathLogs = scenario.references[1].logProbabilities
        // Float(ln 0.5) is not exactly ln 0.5; the zero rule renormalises the accepted reference exactly.
        #expect(mathLogs[0] == mathLogs[1] && isClose(mathLogs[0], log(0.5), within: 1e-7) && mathLogs[2] == -.infinity && mathLogs[3] == -.infinity)
        #expect(isClose(mathLogs.map { exp($0) }.reduce(0, +), 1, within: 1e-15))

        try yaml.replacingOccurrences(of: "#chat", with: "#code").write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("s.yaml")) }
        do {
            _ = try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("s.yaml"))
        } catch {
            #expect(error.line == 6 && error.field == "references[0].probs", "\(error)")
            #expect(error.message.contains("logits.safetensors#code: no tensor \"code\"; the file has \"chat\", \"math\""), "\(error)")
        }
    }

    /// Each malformed file, what the error says, and where.
    @Test(arguments: [
        (safeTensorsFile("", []).prefix(5).map { $0 }, "offset 0", "truncated: a safetensors file starts with an 8-byte header length"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B, 0x7D], "offset 0", "the header length is 18446744073709551615 bytes, the file has 2"),
        (safeTensorsFile("[1,2]", []), "offset 8", "bad header: not a JSON object"),
        (safeTensorsFile("{not json", []), "offset 8", "bad header: not a JSON object"),
        (safeTensorsFile(#"{"math":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#, []), "", "no tensor \"chat\"; the file has \"math\""),
        (safeTensorsFile(#"{"chat":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8)), "offset 8", "wrong dtype I32: expected F16, BF16, F32 or F64"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8)), "offset 8", "expected a one-dimensional tensor"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#, Array(repeating: 0, count: 8)), "offset 8", "data_offsets [0, 16] outside the 8 bytes of data"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, Array(repeating: 0, count: 8)), "offset 8", "data_offsets [8, 0] outside"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}}"#, Array(repeating: 0, count: 8)), "offset 8", "no data_offsets [begin, end] of whole numbers"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"math":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, Array(repeating: 0, count: 8)), "offset 125", "tensors \"chat\" and \"math\" overlap"),
        (safeTensorsFile(#"{"chat":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8)), "offset 65", "shape [3] of F32 needs 12 bytes, data_offsets give 8"),
        (safeTensorsFile(#"{"chat":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8)), "offset 8", "expected a one-dimensional tensor"),
        (safeTensorsFile(#"{"chat":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8)), "offset 83", "needs more bytes"),
    ])
    func malformedFilesAreLocatedErrorsNotTraps(bytes: [UInt8], location: String, words: String) {
        let error = readError(bytes)
        #expect(error?.location == location, "\(String(describing: error))")
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
    }

    @Test func labelsCannotComeFromATensor() {
        #expect(throws: DataFileError.self) { try DataFile.labels(atPath: "/nonexistent/x.safetensors#chat") }
        #expect(DataFile.isDataFile("a/logits.safetensors#chat") && !DataFile.isDataFile("a/logits.safetensors") && !DataFile.isDataFile("x.json#chat"))
    }
}
