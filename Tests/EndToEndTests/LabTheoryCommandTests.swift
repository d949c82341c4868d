import Foundation
import Testing
import TestSupport

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
        #expect(isClose(rkl, 3.96, within: 0.01), "\(rkl)")
        #expect(theory["mrpo"]?["suboptimality_constant"] is NSNull && theory["mrpo"]?["reason"] is String)
        let coverage = try #require(object["coverage"] as? [String: [String: Any]])
        #expect(coverage["fkl"]?["sampler"] as? String == "π_A")
    }

    @Test func slopesWithIntervalsFitRangeAndRewardBound() throws {
        let file = Paths.packageRoot.appendingPathComponent("examples/partial-overlap.yaml").path
        let binary = try Paths.requireBinary()
        let result = try runWithoutTerminal(binary, ["lab", file, "--format", "json", "--pairs", "10..1000", "--steps", "3",
                                                     "--seeds", "4", "--fit-from", "50", "--reward-bound", "1"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let intervals = try #require(object["slope_intervals"] as? [String: [String: [String: Any]]])
        let rkl = try #require(intervals["rkl"]?["suboptimality"])
        let slope = try #require(rkl["slope"] as? Double), lower = try #require(rkl["lower"] as? Double), upper = try #require(rkl["upper"] as? Double)
        #expect(lower <= slope && slope <= upper)
        #expect(rkl["pairs"] as? [Double] == [100, 1000], "--fit-from 50 drops m = 10")
        let configuration = try #require(object["configuration"] as? [String: Any])
        #expect(configuration["reward_bound"] as? Double == 1 && configuration["fit_from"] as? Double == 50)

        let table = try runWithoutTerminal(binary, ["lab", file, "--pairs", "10..100", "--steps", "2", "--seeds", "3"])
        #expect(table.status == 0)
        #expect(table.output.contains("Large-m theory") && table.output.contains("App. G: C_glob(π_G)") && table.output.contains("95% bootstrap interval"))
        let csv = try runWithoutTerminal(binary, ["lab", file, "--pairs", "10", "--seeds", "2", "--format", "csv"])
        #expect(csv.output.hasPrefix("pairs,method,sampler,gap,mean,min,q1,median,q3,max,theory\n"))
        let refused = try runWithoutTerminal(binary, ["lab", file, "--reward-bound=0"])
        #expect(refused.status == 2 && refused.errors.contains("--reward-bound"))
    }

    /// The figures: the RKL constant is not monotone in β (0.006 at 0.05, 3.96 at 0.5, below 1 at 5).
    @Test func overBetaIsNotMonotone() throws {
        let file = Paths.packageRoot.appendingPathComponent("examples/partial-overlap.yaml").path
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["lab", file, "--over", "beta", "--beta-range", "0.05..5", "--steps", "3", "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        let rkl = points.compactMap { ($0["rkl"] as? [String: Any])?["suboptimality_constant"] as? Double }
        #expect(rkl.count == 3 && isClose(rkl[0], 0.0059, within: 0.001) && isClose(rkl[1], 3.96, within: 0.01) && rkl[2] < 1 && rkl[2] > 0.5, "\(rkl)")
        #expect(points.allSatisfy { ($0["mrpo"] as? [String: Any])?["suboptimality_constant"] is NSNull })
    }
}
