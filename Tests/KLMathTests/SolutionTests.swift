import Foundation
import Testing
@testable import KLMath
import TestSupport

@Suite("Solution: reuse, parallel pieces and diagnostics")
struct SolutionTests {
    @Test("Re-solving with reused reference aggregates gives the same answer as a fresh solve")
    func reuseMatchesFreshSolve() throws {
        var random = TestRandom(51)
        var problem = random.problem(n: 9, k: 3, zeroChance: 0.1)
        let first = Solution(problem)
        problem.beta *= 3.7
        problem.rewards[2] += 1
        let reused = Solution(problem, reusing: first)
        let fresh = Solution(problem)
        #expect(reused.aggregates.matches(problem))
        #expect(reused.forwardKL == fresh.forwardKL)
        #expect(reused.reverseKL == fresh.reverseKL)
        #expect(reused.forwardKLBound == fresh.forwardKLBound && reused.reverseKLValue == fresh.reverseKLValue)
        // New weights must not reuse stale aggregates.
        problem.setWeights([1, 0, 0])
        let reweighted = Solution(problem, reusing: first)
        #expect(reweighted.mixture == Solution(problem).mixture)
        #expect(!first.aggregates.matches(problem))
    }

    @Test("A solve computes the reference aggregates only when the references or weights changed")
    func aggregatesAreComputedOnlyWhenNeeded() {
        var random = TestRandom(53)
        var problem = random.problem(n: 9, k: 3, zeroChance: 0.1)
        let first = Solution(problem)
        #expect(first.computedAggregates)
        problem.beta *= 2
        problem.rewards[0] -= 1
        #expect(!Solution(problem, reusing: first).computedAggregates)
        problem.setWeights([1, 2, 3])
        #expect(Solution(problem, reusing: first).computedAggregates)
    }

    @Test("The kept diagnostics of π*_FKL are those computed afresh")
    func keptForwardMetrics() throws {
        var random = TestRandom(54)
        let problem = random.problem(n: 12, k: 3, zeroChance: 0.15)
        let solution = Solution(problem)
        let kept = try #require(solution.metrics([.forwardKL])[0])
        #expect(kept == PolicyMetrics(solution.forwardKL.policy, in: problem))
        #expect(kept.forwardKLObjective == solution.forwardKLValue)
    }

    @Test("max J_k from one shared array of exponentials equals the log-space tilt value, also where it falls back")
    func singleReverseValues() throws {
        var random = TestRandom(55)
        for (beta, scale) in [(0.5, 2.0), (1e-9, 1e6), (1e9, 1.0), (1e-3, 1e3)] {
            for _ in 0..<20 {
                let problem = random.problem(n: 40, k: 3, zeroChance: 0.3, beta: beta, rewardScale: scale)
                let probabilities = problem.logReferences.map(LogSpace.exps)
                let values = ReverseKL.singleValues(problem, probabilities: probabilities)
                for k in 0..<3 {
                    let logSpace = try #require(ReverseKL.tiltValue(logReference: problem.logReferences[k], rewards: problem.rewards, beta: beta))
                    // Both forms round the sum to ~n ulps before β multiplies its logarithm.
                    #expect(isClose(values[k], logSpace, within: 1e-12 + beta * 1e-14, relative: true), "β \(beta), reference \(k)")
                }
            }
        }
        // The top reward only where reference 1 has no mass and β tiny: its shared-weight sum
        // underflows, and the log-space fallback still gives its own best reward.
        let problem = Problem(rewards: [10, 0, -1], logReferences: [[0, -.infinity, -.infinity], [-.infinity, log(0.5), log(0.5)]],
                              weights: [1, 1], beta: 1e-9)
        let values = ReverseKL.singleValues(problem, probabilities: problem.logReferences.map(LogSpace.exps))
        #expect(values[0] == 10)
        #expect(isClose(values[1], 1e-9 * log(0.5), within: 1e-20))
    }

    @Test("A large problem (solved in parallel pieces) satisfies the same optimality conditions")
    func largeProblem() throws {
        var random = TestRandom(52)
        let problem = random.problem(n: 30_000, k: 3, zeroChance: 0.05)
        let solution = Solution(problem)
        #expect(problem.responseCount >= Parallel.threshold)
        let fkl = solution.forwardKL
        #expect(isClose(total(fkl.policy), 1, within: 1e-12))
        #expect(fkl.iterations <= ForwardKL.maximumIterations)
        let rkl = try #require(solution.reverseKL)
        #expect(isClose(total(rkl), 1, within: 1e-12))
        let value = try #require(solution.reverseKLValue)
        #expect(isClose(Objective.reverseKL(rkl, problem), value, within: 1e-9))
        #expect(solution.singleForwardKLValues.count == 3 && solution.singleReverseKLValues.count == 3)
        for k in 0..<3 {
            // The values a solution streams (no stored policy) equal the objective at the stored optimum.
            let forward = ForwardKL.solveSingle(problem, reference: k).policy
            let forwardValue = Divergence.expectation(forward.logProbabilities, of: problem.rewards)
                - problem.beta * Divergence.kl(problem.logReferences[k], forward.logProbabilities)
            #expect(isClose(solution.singleForwardKLValues[k], forwardValue, within: 1e-12, relative: true))
            let reverse = ReverseKL.solveSingle(problem, reference: k)
            #expect(isClose(solution.singleReverseKLValues[k], reverse.value, within: 1e-12, relative: true))
        }
    }

    @Test("PolicyMetrics agree with the definitions computed one divergence at a time")
    func metricsMatchDefinitions() throws {
        var random = TestRandom(53)
        for _ in 0..<50 {
            let problem = random.problem(n: 7, k: 3)
            let solution = Solution(problem)
            let ids: [PolicyID] = [.mixture, .forwardKL, .reverseKL, .reference(0), .singleReverseKL(1)]
            for (id, metrics) in zip(ids, solution.metrics(ids)) {
                guard let policy = solution.policy(id) else { #expect(metrics == nil); continue }
                let m = try #require(metrics)
                let logP = policy.logProbabilities
                #expect(isClose(m.expectedReward, Divergence.expectation(logP, of: problem.rewards), within: 1e-12))
                #expect(isClose(m.entropy, Divergence.entropy(logP), within: 1e-12))
                for k in 0..<3 {
                    let to = Divergence.kl(logP, problem.logReferences[k])
                    let from = Divergence.kl(problem.logReferences[k], logP)
                    #expect(to.isInfinite ? m.klTo[k] == to : isClose(m.klTo[k], to, within: 1e-12))
                    #expect(from.isInfinite ? m.klFrom[k] == from : isClose(m.klFrom[k], from, within: 1e-12))
                    let coverage = Divergence.coverage(logP, over: problem.logReferences[k])
                    #expect(coverage.isInfinite ? m.coverage[k] == coverage : isClose(m.coverage[k] / coverage, 1, within: 1e-12))
                }
                let rkl = Objective.reverseKL(policy, problem), fkl = Objective.forwardKL(policy, problem)
                #expect(rkl.isInfinite ? m.reverseKLObjective == rkl : isClose(m.reverseKLObjective, rkl, within: 1e-10))
                #expect(fkl.isInfinite ? m.forwardKLObjective == fkl : isClose(m.forwardKLObjective, fkl, within: 1e-10))
            }
        }
    }

    @Test("Coverage is infinite exactly when the policy leaves the reference's support")
    func coverageInfinity() {
        let solution = Solution(chatMath)
        let metrics = PolicyMetrics(solution.forwardKL.policy, in: solution)
        // FKL* covers the union, which includes "derive", where the chat reference is zero.
        #expect(metrics.coverage[0] == .infinity && metrics.klTo[0] == .infinity)
        #expect(metrics.klFrom.allSatisfy { $0.isFinite })
        #expect(metrics.reverseKLObjective == -.infinity)
    }
}
