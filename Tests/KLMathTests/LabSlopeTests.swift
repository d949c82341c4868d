import Foundation
import Testing
import TestSupport
@testable import KLMath
import KLScenario

@Suite("Slopes with bootstrap intervals, bounded rewards, and the large-m theory against measurement")
struct LabSlopeTests {
    /// Samples whose means follow `3 m^slope` exactly, spread by ±`spread` relative noise.
    private func series(_ slope: Double, spread: Double, seeds: Int = 30) -> [(pairCount: Int, samples: [Double])] {
        [100, 1_000, 10_000, 100_000].map { m in
            let centre = 3 * pow(Double(m), slope)
            return (m, (0..<seeds).map { i in centre * (1 + spread * (Double(i % 2 == 0 ? 1 : -1))) })
        }
    }

    @Test("A noiseless power law: the slope is exact and the interval collapses onto it")
    func exactPowerLaw() throws {
        let estimate = try #require(CoverageLab.slopeEstimate(series(-0.75, spread: 0), resamples: 200))
        #expect(abs(estimate.slope + 0.75) < 1e-12 && abs(estimate.lower + 0.75) < 1e-12 && abs(estimate.upper + 0.75) < 1e-12)
        #expect(estimate.pairCounts == [100, 1_000, 10_000, 100_000])
    }

    @Test("Noise widens the interval around the slope; the fit range drops the small m; the same seed repeats it")
    func noiseAndRange() throws {
        var generator = SplitMix64(seed: 7)
        let noisy = series(-1, spread: 0).map { point in
            (point.pairCount, point.samples.map { $0 * exp(0.5 * generator.nextGaussian()) })
        }
        let estimate = try #require(CoverageLab.slopeEstimate(noisy))
        #expect(estimate.lower < estimate.slope && estimate.slope < estimate.upper)
        #expect(estimate.upper - estimate.lower > 0.01 && estimate.upper - estimate.lower < 0.3)
        #expect(estimate.covers(-1))
        #expect(CoverageLab.slopeEstimate(noisy) == estimate)
        let late = try #require(CoverageLab.slopeEstimate(noisy, fitFrom: 1_000))
        #expect(late.pairCounts == [1_000, 10_000, 100_000])
        #expect(CoverageLab.slopeEstimate(noisy, fitFrom: 100_000) == nil)
    }

    @Test("At small m the optimality-gap slope is steeper than −1/2, its interval excludes −1/2, and the note blames the range of m")
    func preAsymptoticNote() throws {
        let configuration = CoverageLab.Configuration(pairCounts: [10, 20, 40], seeds: 60)
        let report = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: configuration))
        let rkl = try #require(report.slopeEstimate(.reverseKL, .optimality))
        #expect(!rkl.covers(-0.5) && rkl.upper < -0.5)
        #expect(report.findings().contains { finding in
            if case .slopeExcludesTheory(.reverseKL, .optimality, rkl, .shortOfLargeM) = finding { true } else { false }
        })
        let notes = report.notes(responseNames: LabFixtures.chatMathNames, referenceNames: ["chat", "math"]).filter { $0.contains("-gap slope") }
        #expect(notes.contains { $0.hasPrefix("RKL's optimality-gap slope") && $0.contains("short of the large-m regime") })
        // MRPO's sub-optimality gap levels off at the MRPO gap: when flagged, that is the reason given.
        for note in notes where note.hasPrefix("MRPO's sub-optimality") { #expect(note.contains("MRPO gap")) }
    }

    @Test("--reward-bound clips every fitted reward: at m = 10 the optimality gap stays within the clipped range")
    func rewardBound() throws {
        let unbounded = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: CoverageLab.Configuration(pairCounts: [10], seeds: 40)))
        let bounded = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: CoverageLab.Configuration(pairCounts: [10], seeds: 40, rewardBound: 1)))
        let free = try #require(unbounded.steps[0].method(.reverseKL)).optimality
        let clipped = try #require(bounded.steps[0].method(.reverseKL)).optimality
        // With r̂ ∈ [−1, 1] and r̂ + c matched to r ∈ [0, 2] on average, max J moves by at most the reward range.
        #expect(clipped.maximum <= 2 + 1e-9)
        #expect(clipped.mean <= free.mean)
    }

    /// The statistical test: at large m, the measured m·E[sub-optimality gap] and √m·E[optimality
    /// gap] are within 25% of the large-m constants, on two examples (fixed seed; only counts
    /// of draws and seeds, no timing).
    @Test("m·E[gap] at large m is within 25% of the prediction on chat-vs-math and a three-response case",
          arguments: [("chat-vs-math", LabFixtures.chatMath),
                      ("three", Problem(rewards: [1, 0, 0.5], logReferences: [LogSpace.logs(of: [0.5, 0.3, 0.2]), LogSpace.logs(of: [0.2, 0.5, 0.3])],
                                        weights: [0.5, 0.5], beta: 0.5))])
    func measuredMatchesTheory(_ name: String, _ problem: Problem) throws {
        let m = 20_000
        let report = try #require(CoverageLab.run(problem, configuration: CoverageLab.Configuration(pairCounts: [m], seeds: 200, baseSeed: 3)))
        let theory = CoverageLab.theory(Solution(problem))
        for method in [KLMethod.reverseKL, .forwardKL] {
            let constants = try #require(theory.first { $0.method == method })
            let step = try #require(report.steps[0].method(method))
            let sub = try #require(constants.suboptimalityConstant), opt = try #require(constants.optimalityConstant)
            let measuredSub = Double(m) * step.suboptimality.mean, measuredOpt = Double(m).squareRoot() * step.optimality.mean
            #expect(isClose(measuredSub, sub, within: 0.25 * sub), "\(name) \(method.title): m·E[sub-opt] \(measuredSub) against \(sub)")
            #expect(isClose(measuredOpt, opt, within: 0.25 * opt), "\(name) \(method.title): √m·E[opt] \(measuredOpt) against \(opt)")
        }
    }
}
