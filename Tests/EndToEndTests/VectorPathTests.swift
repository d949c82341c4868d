import Foundation
import Testing

/// The narrower paths of the vector routines and solver kernels (`KLSCOPE_LANES=2`: SSE2 and the
/// baseline build of the kernels; `KLSCOPE_LANES=1`: libm one element at a time), which a
/// processor with AVX2 would otherwise never run, give the answers of the widest path.
struct VectorPathTests {
    /// A scenario of 3,001 responses (several blocks of the kernels, and a partial vector at the
    /// end) with zeros in every reference, a response only one reference supports at the top reward,
    /// and ties at the top reward.
    static func scenario(in folder: URL) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let n = 3_001
        var rewards = (0..<n).map { _ in Double.random(in: -2...2, using: &generator) }
        rewards[17] = 3
        rewards[2_999] = 2.5
        rewards[3_000] = 2.5
        func reference(zeroEvery stride: Int, offset: Int) -> String {
            let logs = (0..<n).map { y -> String in
                if y % stride == offset || (y == 17 && offset != 0) { return "-.inf" }
                return "\(log(Double.random(in: 0.001...1, using: &generator)))"
            }
            return "[" + logs.joined(separator: ", ") + "]"
        }
        let text = """
            beta: 0.3
            normalize: true
            responses: [\((0..<n).map { "r\($0)" }.joined(separator: ", "))]
            rewards: [\(rewards.map { "\($0)" }.joined(separator: ", "))]
            references:
              - name: a
                weight: 0.5
                logprobs: \(reference(zeroEvery: 7, offset: 0))
              - name: b
                weight: 0.3
                logprobs: \(reference(zeroEvery: 11, offset: 3))
              - name: c
                weight: 0.2
                logprobs: \(reference(zeroEvery: 13, offset: 5))

            """
        let file = folder.appendingPathComponent("lanes.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Relative agreement to 1e-12, absolute below 1 (implied rewards are differences of logarithms).
    @Test(arguments: ["2", "1"])
    func narrowerLanesGiveTheSameSolution(lanes: String) throws {
        let binary = try Paths.requireBinary()
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.scenario(in: folder)
        let widest = try runWithoutTerminal(binary, ["solve", file, "--format", "json"])
        let narrower = try runWithoutTerminal(binary, ["solve", file, "--format", "json"], environment: ["KLSCOPE_LANES": lanes])
        #expect(widest.status == 0 && narrower.status == 0, "\(widest.errors) \(narrower.errors)")
        let expected = try #require(JSONSerialization.jsonObject(with: Data(widest.output.utf8)) as? [String: Any])
        let actual = try #require(JSONSerialization.jsonObject(with: Data(narrower.output.utf8)) as? [String: Any])
        var compared = 0
        var differences: [String] = []
        func compare(_ left: Any, _ right: Any, at path: String) {
            switch (left, right) {
            case let (left as [String: Any], right as [String: Any]):
                if Set(left.keys) != Set(right.keys) { differences.append("\(path): keys differ") }
                for (key, value) in left { if let other = right[key] { compare(value, other, at: path + "." + key) } }
            case let (left as [Any], right as [Any]):
                if left.count != right.count { differences.append("\(path): \(left.count) against \(right.count) entries") }
                for (index, pair) in zip(left, right).enumerated() { compare(pair.0, pair.1, at: "\(path)[\(index)]") }
            case let (a as Double, b as Double):
                compared += 1
                if !(a == b || abs(a - b) <= 1e-12 * max(1, abs(a), abs(b))) { differences.append("\(path): \(a) against \(b)") }
            default:
                if "\(left)" != "\(right)" { differences.append("\(path): \(left) against \(right)") }
            }
        }
        compare(expected, actual, at: "")
        #expect(compared > 3 * 3_001, "every policy's numbers were compared: \(compared)")
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }
}
