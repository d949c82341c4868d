import Explorer
import Foundation
import KLMath
import Testing
import TestSupport
@testable import KLScenario
import TerminalUI

/// What the loader did with `bytes`: whether it accepted them, and the broken promise if any.
/// The loader promises, for any input, a `ScenarioError` with a message, or a scenario that
/// solves without NaN, with normalised policies and finite optimal values.
/// The error message (what `klscope` prints on stderr) and the solve table, CSV and JSON must
/// hold no unescaped control character; with `render`, the printed explorer screen neither.
func loaderOutcome(_ bytes: [UInt8], fileName: String = "fuzz.yaml", render: Bool = false) -> (accepted: Bool, broken: String?) {
    let scenario: Scenario
    do {
        let text = try ScenarioLoader.utf8Text(bytes, fileName: fileName)
        scenario = try ScenarioLoader.parse(text, fileName: fileName)
    } catch {
        if error.message.isEmpty { return (false, "rejected with an empty message: \(error)") }
        if error.file != fileName { return (false, "the error names \(error.file), not \(fileName)") }
        // The message is one line: not even a newline is left unescaped.
        if let control = unescapedControls(in: "\(error)", allowing: []) { return (false, "the error message holds \(control): \(error)") }
        return (false, nil)
    }
    let report = SolveReport(scenario: scenario)
    var violations = fuzzSolutionViolations(report.solution)
    var outputs = [("table", report.table()), ("CSV", report.csv()), ("JSON", report.json())]
    if render {
        let session = ExplorerSession(scenario: scenario, file: nil, options: ExplorerOptions(color: .monochrome),
                                      workingDirectory: FileManager.default.temporaryDirectory)
        outputs.append(("render", session.printableScreen(width: 100, height: 30)))
    }
    for (name, text) in outputs {
        if let control = unescapedControls(in: text, allowing: VisibleText.lineBreaks) { violations.append("the \(name) holds \(control)") }
    }
    return (true, violations.isEmpty ? nil : "accepted, but the solution breaks promises: \(violations.joined(separator: "; "))")
}

/// The first C0 control not in `allowing`, DEL or C1 control in `text`, as `U+001B`, or nil.
func unescapedControls(in text: String, allowing: Set<Unicode.Scalar>) -> String? {
    text.unicodeScalars.first { VisibleText.isControl($0) && !allowing.contains($0) }
        .map { "U+" + String(format: "%04X", $0.value) }
}

/// No NaN anywhere, every policy normalised within 1e-12 (π_A within 1e-5: the loader accepts
/// references summing to 1 within 1e-6 as they are) and finite values.
func fuzzSolutionViolations(_ solution: Solution) -> [String] {
    var problems: [String] = []
    let policies: [(String, Policy?)] = [("π_A", solution.mixture), ("π_G", solution.escort), ("π_H", solution.harmonic),
                                         ("π*_RKL", solution.reverseKL), ("π*_FKL", solution.forwardKL.policy), ("π_MRPO", solution.mrpo)]
        + (0..<solution.problem.referenceCount).flatMap { k in
            [("π*_k", solution.policy(.singleReverseKL(k))), ("π*_FKL,k", solution.policy(.singleForwardKL(k)))]
        }
    for (name, policy) in policies {
        guard let policy else { continue }
        if policy.logProbabilities.contains(where: \.isNaN) { problems.append("\(name) has NaN") }
        let sum = policy.probabilities.reduce(0, +)
        let tolerance = name == "π_A" ? 1e-5 : 1e-12
        if !isClose(sum, 1, within: tolerance) { problems.append("\(name) sums to \(sum)") }
    }
    let values: [(String, Double?)] = [("max J_RKL", solution.reverseKLValue), ("RKL bound", solution.reverseKLBound),
                                       ("max J_FKL", solution.forwardKLValue), ("FKL bound", solution.forwardKLBound),
                                       ("MRPO gap", solution.mrpoGap), ("MRPO value", solution.mrpoValue),
                                       ("λ", solution.forwardKL.lambda)]
    for (name, value) in values {
        guard let value else { continue }
        if value.isNaN { problems.append("\(name) is NaN") } else if !value.isFinite { problems.append("\(name) is \(value)") }
    }
    return problems
}

/// Byte- and token-level mutations of valid scenario files.
struct Mutator {
    var random: SplitMix64

    mutating func below(_ count: Int) -> Int { count <= 0 ? 0 : Int(random.next() % UInt64(count)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    static let interestingBytes: [UInt8] = Array("\0\u{7F}:-[]{}&*!\n #\"'|>%@`\t,?~.\\".utf8) + [0xC3, 0xE9, 0xFF, 0xFE, 0x80, 0xEF, 0xBB, 0xBF]
    static let tokens = ["&a ", "*a", "<<: *a", "!!str ", "!!float ", "!!int ", "!!binary ", "? ", "- ", ": ", "[", "]", "{", "}",
                         ", ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "\"", "'", "|\n", ">-\n", "# c\n", "\n  ",
                         "~", "null", "true", "yes", ".nan", ".inf", "-.inf", "1e999", "-1e999", "0x1F", "0o17", "1_000", "\u{FEFF}",
                         "\t", "\r\n", "\r", "!<tag:x>", "*undefined", "&a [1, 2]", "*a\n", "\\u0000", "\"\\x80\"", "\u{2028}",
                         "beta: 0.5\n", "responses: [a, b]\n", "rewards: [0, 1]\n", "normalize: true\n", "references:\n",
                         "  - name: x\n    probs: [0.5, 0.5]\n", "weight: 0\n", "logprobs: [0, -.inf]\n", "probs: []\n", "é", "😀"]
    static let numbers = ["1e308", "-1e308", "1.7976931348623157e308", "1e309", "-1e309", "5e-324", "-5e-324", "1e-400", "2.2250738585072014e-308",
                          "0", "-0", "0.0", ".nan", ".NaN", "NaN", "nan", ".inf", "-.inf", "+.inf", ".Inf", "inf", "-inf", "Infinity",
                          "-Infinity", "1e9", "-1e9", "1000000001", "-1000000001", "1e10", "1e11", "1e-10", "1e-11",
                          "99999999999999999999999", "0.0000001", "-745", "-750", "-1e5", "0x10", "-", "1.", ".5", "1e", "+1",
                          "1e-300", "1e300", "4.9e-324", "-0.0", "00", "0.3333333333333333", "1/2", "1,5", "\"1\"", "[1]", "{}"]

    /// Applies one to four random mutations.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(4)) {
            switch below(10) {
            case 0 where !bytes.isEmpty:  // flip a bit
                bytes[below(bytes.count)] ^= UInt8(1) << UInt8(below(8))
            case 1 where !bytes.isEmpty:  // an interesting or random byte
                bytes[below(bytes.count)] = below(2) == 0 ? pick(Self.interestingBytes) : UInt8(truncatingIfNeeded: random.next())
            case 2:  // truncate
                bytes = Array(bytes.prefix(below(bytes.count + 1)))
            case 3 where !bytes.isEmpty:  // duplicate a range somewhere
                let start = below(bytes.count), length = min(1 + below(200), bytes.count - start)
                let chunk = bytes[start..<(start + length)]
                bytes.insert(contentsOf: chunk, at: below(bytes.count + 1))
            case 4 where !bytes.isEmpty:  // delete a range
                let start = below(bytes.count), length = min(1 + below(40), bytes.count - start)
                bytes.removeSubrange(start..<(start + length))
            case 5:  // insert a YAML token
                bytes.insert(contentsOf: Array(pick(Self.tokens).utf8), at: below(bytes.count + 1))
            case 6, 7:  // replace a number with an extreme one
                bytes = replaceNumber(bytes)
            case 8:  // swap two lines
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                if lines.count > 1 {
                    lines.swapAt(below(lines.count), below(lines.count))
                    bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
                }
            default:  // repeat a line many times
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                if let line = lines.isEmpty ? nil : lines[below(lines.count)] {
                    let copies = Array(repeating: Array(line) + [UInt8(ascii: "\n")], count: 1 + below(100)).flatMap { $0 }
                    bytes.insert(contentsOf: copies, at: below(bytes.count + 1))
                }
            }
        }
        return bytes
    }

    /// Replaces the digits of a randomly chosen number with an extreme or odd value.
    mutating func replaceNumber(_ bytes: [UInt8]) -> [UInt8] {
        let isNumberByte: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "e") }
        let digitPositions = bytes.indices.filter { bytes[$0] >= 48 && bytes[$0] <= 57 }
        guard !digitPositions.isEmpty else { return bytes }
        var start = pick(digitPositions), end = start
        while start > 0 && isNumberByte(bytes[start - 1]) { start -= 1 }
        while end < bytes.count && isNumberByte(bytes[end]) { end += 1 }
        var result = bytes
        result.replaceSubrange(start..<end, with: Array(pick(Self.numbers).utf8))
        return result
    }

    /// A random document of tokens, numbers and bytes.
    mutating func randomInput() -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<below(60) {
            switch below(3) {
            case 0: bytes += Array(pick(Self.tokens).utf8)
            case 1: bytes += Array(pick(Self.numbers).utf8)
            default: bytes.append(below(4) == 0 ? UInt8(truncatingIfNeeded: random.next()) : pick(Self.interestingBytes))
            }
        }
        return bytes
    }
}

/// Long-running (about two minutes in a debug build): `swift test --skip LongRunning` leaves it out.
@Suite(.tags(.longRunning)) struct LongRunningFuzzTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    /// Seeds: every example, the test scenario, a JSON scenario and a hostile scenario (terminal
    /// escapes, DEL and C1 controls in its title, notes, labels and names).
    static func seeds() throws -> [[UInt8]] {
        let json = #"{"beta": 0.5, "responses": ["a", "b", "c"], "rewards": [1, 0, -1], "references": [{"name": "p", "probs": [0.5, 0.25, 0.25]}, {"name": "q", "weight": 2, "logprobs": [-0.1053605156578263, "-inf", -2.3025850929940455]}]}"#
        let hostile = try Data(contentsOf: corpusDirectory.appendingPathComponent("terminal-escapes.yaml"))
        return try exampleFiles().map { Array(try Data(contentsOf: $0)) } + [Array(validYAML.utf8), Array(json.utf8), Array(hostile)]
    }

    /// One reproducible stream of fuzz cases.
    struct Batch: Sendable {
        var tried = 0, accepted = 0
        var slowest: Duration = .zero
        var failures: [String] = []
    }

    static func runBatch(seed: UInt64, cases: Int, seeds: [[UInt8]]) -> Batch {
        var mutator = Mutator(random: SplitMix64(seed: seed))
        var batch = Batch()
        for index in 0..<cases {
            let input = mutator.below(10) == 0 ? mutator.randomInput() : mutator.mutate(mutator.pick(seeds))
            let start = ContinuousClock.now
            // Every 16th case also renders the explorer's screen (a view costs more than a solve).
            let outcome = loaderOutcome(input, render: index % 16 == 0)
            let elapsed = ContinuousClock.now - start
            batch.tried += 1
            batch.slowest = max(batch.slowest, elapsed)
            if outcome.accepted { batch.accepted += 1 }
            if let broken = outcome.broken, batch.failures.count < 5 {
                batch.failures.append("seed \(seed) case \(index): \(broken)\ninput (base64): \(Data(input).base64EncodedString())")
            }
        }
        return batch
    }

    @Test func hundredThousandMutatedAndRandomInputsAreRejectedOrSolved() async throws {
        let seeds = try Self.seeds()
        let batches = 4, casesPerBatch = 25_000
        let start = ContinuousClock.now
        let results = await withTaskGroup(of: Batch.self) { group in
            for batch in 0..<batches {
                group.addTask { Self.runBatch(seed: 0xF022_2026 &+ UInt64(batch), cases: casesPerBatch, seeds: seeds) }
            }
            return await group.reduce(into: [Batch]()) { $0.append($1) }
        }
        let total = ContinuousClock.now - start
        let tried = results.reduce(0) { $0 + $1.tried }
        let accepted = results.reduce(0) { $0 + $1.accepted }
        let slowest = results.map(\.slowest).max() ?? .zero
        print("LongRunningFuzzTests: \(tried) inputs in \(total) (slowest \(slowest)); \(accepted) accepted and solved")
        #expect(tried == 100_000)
        let failures = results.flatMap(\.failures)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Every file in FuzzCorpus/ (inputs that once crashed, hung or broke a promise) keeps the promise.
    @Test func corpusInputsAreRejectedOrSolved() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpusDirectory.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let bytes = Array(try Data(contentsOf: Self.corpusDirectory.appendingPathComponent(name)))
            #expect(loaderOutcome(bytes, fileName: name, render: true).broken == nil, "\(name)")
        }
    }
}
