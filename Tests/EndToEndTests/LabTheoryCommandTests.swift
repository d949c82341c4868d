import Foundation
import Testing

/// `klscope lab --format json` carries the coverage coefficients and the large-m constants (issue 15).
struct LabTheoryCommandTests {
    @Test func jsonHasCoverageAndTheory() throws {
        let file = Paths.packageRoot.appendingPathComponent("examples/partial-overlap.yaml").path
        let result = try runWithoutTerminal(try Paths.requireBinary(),
                                            ["lab", file, "--format", "json", "--pairs", "50", "--steps", "1", "--seeds", "2"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let theory = try #require(object["theory"] as? [String: [String: Any]])
        // The figure: the RKL constant is 3.96 at β = 0.5 on partial-overlap.
        let rkl = try #require(theory["rkl"]?["suboptimality_constant"] as? Double)
        #expect(abs(rkl - 3.96) < 0.01, "\(rkl)")
        #expect(theory["mrpo"]?["suboptimality_constant"] is NSNull && theory["mrpo"]?["reason"] is String)
        let coverage = try #require(object["coverage"] as? [String: [String: Any]])
        #expect(coverage["fkl"]?["sampler"] as? String == "π_A")
    }
}
