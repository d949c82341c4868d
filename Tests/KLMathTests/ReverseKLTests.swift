import Foundation
import Testing
@testable import KLMath
import TestSupport

@Suite("Reverse KL: π* ∝ π_G exp(r/β) on the intersection")
struct ReverseKLTests {
    @Test("Stationarity: log π* − log π_G − r/β is constant on I")
    func stationarity() throws {
        var random = TestRandom(21)
        for _ in 0..<200 {
            let problem = random.problem(n: 8, k: 1 + random.index(4))
            let solution = Solution(problem)
            guard let policy = solution.reverseKL, let escort = solution.escort else { continue }
            let residuals = (0..<8).filter { solution.supports.intersection[$0] }.map {
                policy.logProbabilities[$0] - escort.logProbabilities[$0] - problem.rewards[$0] / problem.beta
            }
            let spread = (residuals.max() ?? 0) - (residuals.min() ?? 0)
            #expect(spread < 1e-9)
            #expect(isClose(total(policy), 1, within: 1e-12))
            for y in 0..<8 where !solution.supports.intersection[y] { #expect(policy.logProbabilities[y] == -.infinity) }
        }
    }

    @Test("max J_RKL equals J_RKL(π*) computed from the definition, and J(π) = max J − β KL(π‖π*)")
    func valueAndIdentity() throws {
        var random = TestRandom(22)
        for _ in 0..<100 {
            let problem = random.problem(n: 7, k: 1 + random.index(3))
            let solution = Solution(problem)
            guard let optimum = solution.reverseKL, let value = solution.reverseKLValue else { continue }
            #expect(isClose(Objective.reverseKL(optimum, problem), value, within: 1e-10, relative: true))
            for _ in 0..<10 {
                let other = random.policy(on: solution.supports.intersection)
                let direct = Objective.reverseKL(other, problem)
                let viaIdentity = value - problem.beta * Divergence.kl(other.logProbabilities, optimum.logProbabilities)
                #expect(isClose(viaIdentity, direct, within: 1e-10, relative: true))
            }
            // A policy with mass outside I has J_RKL = −∞.
            if let outside = (0..<7).first(where: { !solution.supports.intersection[$0] }) {
                var logs = optimum.logProbabilities
                logs[outside] = log(0.01)
                #expect(Objective.reverseKL(Policy(logProbabilities: logs), problem) == -.infinity)
            }
        }
    }

    @Test("No nearby feasible policy beats π*_RKL")
    func perturbation() {
        var random = TestRandom(23)
        for _ in 0..<100 {
            let problem = random.problem(n: 6, k: 2)
            let solution = Solution(problem)
            guard let optimum = solution.reverseKL, let value = solution.reverseKLValue else { continue }
            for step in [1e-1, 1e-3, 1e-6] {
                let nearby = blend(optimum, random.policy(on: solution.supports.intersection), weight: step)
                #expect(Objective.reverseKL(nearby, problem) <= value + 1e-12 * max(1, abs(value)))
            }
        }
    }

    @Test("Hölder's bound: max J_RKL ≤ Σ α_k max J_k")
    func upperBound() {
        var random = TestRandom(24)
        for _ in 0..<300 {
            let problem = random.problem(n: 6, k: 2 + random.index(3))
            let solution = Solution(problem)
            guard let value = solution.reverseKLValue else { continue }
            #expect(value <= solution.reverseKLBound + 1e-12 * max(1, abs(value)))
        }
    }

    @Test("β → ∞ gives π_G; β → 0 gives the best responses of I in proportion to π_G")
    func betaLimits() throws {
        let problem = chatMath
        var large = problem
        large.beta = 1e9
        let solution = Solution(large)
        let escort = try #require(solution.escort)
        #expect(maxAbsDifference(try #require(solution.reverseKL).probabilities, escort.probabilities) < 1e-8)

        // Ties at the top: responses 0 and 2 share the highest reward on I.
        var tied = problem
        tied.rewards = [1.0, -0.3, 1.0, 5.0, -1.0]  // response 3 is outside I
        tied.beta = 1e-9
        let tiedSolution = Solution(tied)
        let limit = try #require(tiedSolution.reverseKL).probabilities
        let g = try #require(tiedSolution.escort).probabilities
        #expect(isClose(limit[0], g[0] / (g[0] + g[2]), within: 1e-12))
        #expect(isClose(limit[2], g[2] / (g[0] + g[2]), within: 1e-12))
        #expect(limit[1] == 0 && limit[3] == 0 && limit[4] == 0)
    }

    @Test("Adding a constant to r leaves π*_RKL unchanged and shifts max J by it")
    func shiftInvariance() throws {
        var random = TestRandom(25)
        for _ in 0..<50 {
            let problem = random.problem(n: 6, k: 3, zeroChance: 0.1)
            guard let base = Solution(problem).reverseKL else { continue }
            var shifted = problem
            shifted.rewards = problem.rewards.map { $0 + 123.5 }
            let moved = Solution(shifted)
            #expect(maxAbsDifference(try #require(moved.reverseKL).probabilities, base.probabilities) < 1e-12)
            #expect(isClose(try #require(moved.reverseKLValue), (try #require(Solution(problem).reverseKLValue) + 123.5), within: 1e-9))
        }
    }

    /// MATH.md's degenerate case: the multi-reference results are that reference's own, and both
    /// bounds hold with equality, at every β (at β = 10^9 the values computed apart differed by
    /// 10^-7 and the bounds fell below the values).
    @Test("All weight on one reference gives that reference's single-reference answer",
          arguments: [1e-9, 0.5, 1e3, 2.3e7, 1e9, 1e10])
    func allWeightOnOne(beta: Double) throws {
        var problem = chatMath
        problem.setWeights([0, 1])
        problem.beta = beta
        let solution = Solution(problem)
        #expect(maxAbsDifference(try #require(solution.reverseKL).probabilities, try #require(solution.policy(.singleReverseKL(1))).probabilities) < 1e-14)
        #expect(try #require(solution.reverseKLValue) == solution.singleReverseKLValues[1])
        #expect(solution.reverseKLBound == solution.singleReverseKLValues[1])
        #expect(maxAbsDifference(solution.forwardKL.policy.probabilities, try #require(solution.policy(.singleForwardKL(1))).probabilities) < 1e-14)
        #expect(solution.forwardKLValue == solution.forwardKLBound)
        #expect(solution.singleForwardKLValues[1] == solution.forwardKLValue)
    }

    @Test("MRPO: π ∝ π_H exp(r/β) and its gap is max J_RKL − J_RKL(π_MRPO) ≥ 0")
    func mrpoGap() throws {
        var random = TestRandom(26)
        for _ in 0..<200 {
            let problem = random.problem(n: 6, k: 2 + random.index(2))
            let solution = Solution(problem)
            guard let mrpo = solution.mrpo, let gap = solution.mrpoGap, let value = solution.reverseKLValue,
                  let harmonic = solution.harmonic else { continue }
            #expect(gap >= 0)
            #expect(abs(gap - (value - Objective.reverseKL(mrpo, problem))) < 1e-9 * max(1, abs(value)))
            let residuals = (0..<6).filter { solution.supports.intersection[$0] }.map {
                mrpo.logProbabilities[$0] - harmonic.logProbabilities[$0] - problem.rewards[$0] / problem.beta
            }
            #expect((residuals.max() ?? 0) - (residuals.min() ?? 0) < 1e-9)
        }
        // With one reference the harmonic, geometric and arithmetic means coincide: no gap.
        var single = chatMath
        single.setWeights([1, 0])
        #expect(try #require(Solution(single).mrpoGap) < 1e-14)
    }

    @Test("Empty intersection: RKL, π_G, π_H and MRPO do not exist; FKL still does")
    func emptyIntersection() {
        let problem = Problem(
            rewards: [1, 0, 2, -1],
            logReferences: [LogSpace.logs(of: [0.5, 0.5, 0, 0]), LogSpace.logs(of: [0, 0, 0.3, 0.7])],
            weights: [1, 1], beta: 1)
        let solution = Solution(problem)
        #expect(solution.supports.intersectionIsEmpty)
        #expect(solution.escort == nil && solution.harmonic == nil && solution.reverseKL == nil && solution.mrpo == nil)
        #expect(solution.reverseKLValue == nil && solution.mrpoGap == nil && solution.logEscortNormaliser == nil)
        #expect(isClose(total(solution.forwardKL.policy), 1, within: 1e-12))
        #expect(Objective.reverseKL(solution.forwardKL.policy, problem) == -.infinity)
        #expect(solution.reverseKLBound.isFinite)
    }

    @Test("DPO view: the implied reward of π*_RKL is r up to a constant on I")
    func impliedReward() throws {
        let solution = Solution(chatMath)
        let implied = ImpliedReward.reverseKL(try #require(solution.reverseKL), escort: try #require(solution.escort), beta: chatMath.beta)
        let offsets = (0..<5).compactMap { y in implied[y].map { $0 - chatMath.rewards[y] } }
        #expect(offsets.count == solution.supports.intersectionSize)
        #expect((offsets.max() ?? 0) - (offsets.min() ?? 0) < 1e-12)
    }
}
