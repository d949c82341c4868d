import Foundation
import KLMath
import Testing
@testable import KLScenario
import TestSupport

/// What counts as zero (docs/mathematics.md, Setting), issue 11 items 1–3: masked
/// log-probabilities are zeros, `normalize: true` on log-probabilities is a log-softmax done
/// first, accepted references are renormalised exactly.
@Suite struct ZeroRuleTests {
    private func solution(_ text: String, baseDirectory: URL? = nil) throws -> Solution {
        SolveReport(scenario: try ScenarioLoader.parse(text, fileName: "z.yaml", baseDirectory: baseDirectory)).solution
    }

    private func expectNormalised(_ solution: Solution, sourceLocation: SourceLocation = #_sourceLocation) {
        let policies = [solution.escort, solution.harmonic, solution.reverseKL, solution.mrpo, solution.mixture,
                        solution.forwardKL.policy].compactMap { $0 }
        for policy in policies {
            let p = policy.probabilities
            #expect(p.allSatisfy { $0.isFinite && $0 >= 0 }, sourceLocation: sourceLocation)
            #expect(isClose(p.reduce(0, +), 1, within: 1e-12), "\(p)", sourceLocation: sourceLocation)
        }
    }

    private static func masked(_ mask: String) -> String {
        "beta: 1\nresponses: [a, b, c]\nrewards: [1, 0.5, 0]\nreferences:\n"
            + "  - {name: m0, logprobs: [0, \(mask), \(mask)]}\n"
            + "  - {name: m1, logprobs: [\(mask), -0.6931471805599453, -0.6931471805599453]}\n"
    }

    @Test(arguments: ["-1e9", "-1e20", "-3.4e38", "-745"])
    func item1MaskedLogProbabilitiesAreZeros(mask: String) throws {
        let solution = try solution(Self.masked(mask))
        #expect(solution.problem.logReferences[0] == [0, -.infinity, -.infinity])
        #expect(solution.escort == nil && solution.reverseKL == nil, "the supports do not meet")
        expectNormalised(solution)
        #expect(solution.forwardKLValue.isFinite && solution.forwardKLValue <= 1)
    }

    @Test(arguments: ["-1e20", "-1e300"])
    func item2NormalizeIsALogSoftmaxFirst(value: String) throws {
        let text = "beta: 1\nresponses: [a, b, c]\nrewards: [1, 0.5, 0]\nnormalize: true\nreferences:\n"
            + "  - {name: r, logprobs: [\(value), \(value), \(value)]}\n  - {name: s, logprobs: [0, \(value), \(value)]}\n"
        let solution = try solution(text)
        for logP in solution.problem.logReferences[0] { #expect(abs(logP + log(3)) < 1e-15) }
        #expect(solution.problem.logReferences[1] == [0, -.infinity, -.infinity])
        expectNormalised(solution)
    }

    @Test func item3AcceptedReferencesAreRenormalisedExactly() throws {
        let text = "beta: 1\nresponses: [a, b]\nrewards: [1, 0]\nreferences:\n"
            + "  - {name: r, probs: [0.5000009, 0.5]}\n  - {name: s, probs: [0.3, 0.7000009]}\n"
        let solution = try solution(text)
        for reference in solution.problem.logReferences {
            #expect(isClose(LogSpace.exps(of: reference).reduce(0, +), 1, within: 1e-15))
        }
        expectNormalised(solution)
    }

    @Test func maskingInNumPyAndCSVFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-zero-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(DataFile.numPyBytes([0, -3.4e38, -1e20])).write(to: directory.appendingPathComponent("m0.npy"))
        try "-1e20\n-0.6931471805599453\n-0.6931471805599453\n".write(to: directory.appendingPathComponent("m1.csv"), atomically: true, encoding: .utf8)
        let text = "beta: 1\nresponses: [a, b, c]\nrewards: [1, 0.5, 0]\nreferences:\n"
            + "  - {name: m0, logprobs: m0.npy}\n  - {name: m1, logprobs: m1.csv}\n"
        let solution = try solution(text, baseDirectory: directory)
        #expect(solution.problem.logReferences[0] == [0, -.infinity, -.infinity])
        #expect(solution.problem.logReferences[1][0] == -.infinity)
        expectNormalised(solution)
    }

    @Test func theZeroRuleThreshold() {
        var logs = [-744.44, -744.45, -1e9, 0]
        LogSpace.applyZeroRule(&logs)
        #expect(logs == [-744.44, -.infinity, -.infinity, 0])
        #expect(exp(-744.44) > 0)
    }
}
