import Foundation
import KLMath
import Testing
@testable import KLScenario

extension Tag {
    /// Tests whose case count grows with `KLSCOPE_PROPERTY_CASES` (CI runs them in release).
    @Tag static var longRunning: Self
}

/// Issue 11, the numeric property: random scenarios with log-probabilities down to −3.4e38,
/// probabilities down to 1e-320, β over the whole range and rewards up to ±1e9 load, and every
/// policy of their solve is finite, non-negative, sums to 1 within 1e-12 and has the support
/// the zero rule gives. The case count is `KLSCOPE_PROPERTY_CASES` (default 2,000).
@Suite struct NumericPropertyTests {
    static let cases = ProcessInfo.processInfo.environment["KLSCOPE_PROPERTY_CASES"].flatMap(Int.init) ?? 2_000

    private static func number(_ random: inout SplitMix64, logProbability: Bool) -> String {
        switch random.next() % 6 {
        case 0: return logProbability ? "-3.4e38" : "0"
        case 1: return logProbability ? "-1e20" : "1e-320"
        case 2: return logProbability ? "\(-700 - 100 * random.nextUnit())" : "\(pow(10, -300 * random.nextUnit()))"
        default: return logProbability ? "\(-20 * random.nextUnit())" : "\(random.nextUnit())"
        }
    }

    @Test(.tags(.longRunning)) func everyPolicyIsADistributionWithTheZeroRulesSupport() throws {
        var random = SplitMix64(seed: 11)
        for index in 0..<Self.cases {
            let n = 2 + Int(random.next() % 5), k = 1 + Int(random.next() % 3)
            let beta = ScenarioRules.clampedBeta(pow(10, -10 + 20 * random.nextUnit()))
            let rewards = (0..<n).map { _ in String(-1e9 + 2e9 * random.nextUnit()) }
            var text = "beta: \(beta)\nresponses: [\((0..<n).map { "y\($0)" }.joined(separator: ", "))]\n"
                + "rewards: [\(rewards.joined(separator: ", "))]\nnormalize: true\nreferences:\n"
            for r in 0..<k {
                let logs = random.next() % 2 == 0
                var values = (0..<n).map { _ in Self.number(&random, logProbability: logs) }
                values[Int(random.next() % UInt64(n))] = logs ? "0" : "0.5" // some support
                text += "  - {name: r\(r), weight: \(random.nextUnit() + 1e-300), \(logs ? "logprobs" : "probs"): [\(values.joined(separator: ", "))]}\n"
            }
            let scenario = try ScenarioLoader.parse(text, fileName: "case\(index).yaml")
            for logs in scenario.references.map(\.logProbabilities) {
                #expect(logs.allSatisfy { $0 == -.infinity || ($0 >= LogSpace.logSmallestPositive && $0 <= 0) }, "\(text)")
            }
            let solution = SolveReport(scenario: scenario).solution
            let policies = [solution.escort, solution.harmonic, solution.reverseKL, solution.mrpo, solution.mixture,
                            solution.forwardKL.policy].compactMap { $0 }
            for policy in policies {
                let p = policy.probabilities
                guard p.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(p.reduce(0, +) - 1) < 1e-12 else {
                    Issue.record("case \(index): \(p)\n\(text)")
                    return
                }
            }
        }
    }
}
