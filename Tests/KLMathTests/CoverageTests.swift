import Foundation
import Testing
import TestSupport
@testable import KLMath

@Suite("Coverage coefficients")
struct CoverageTests {
    /// ρ = (1/2, 1/4, 1/4), π* = (0.2, 0.6, 0.2): every coefficient by hand.
    @Test func smallCaseByHand() {
        let rho = Policy(probabilities: [0.5, 0.25, 0.25]), target = Policy(probabilities: [0.2, 0.6, 0.2])
        let c = CoverageCoefficients(sampler: rho, target: target, ball: .reverseKL)
        let epsilon = 0.2 * log(0.2 / 0.5) + 0.6 * log(0.6 / 0.25) + 0.2 * log(0.2 / 0.25)
        #expect(isClose(c.global, 4, within: 1e-12))
        #expect(isClose(c.single, 2.4, within: 1e-12))
        #expect(isClose(c.epsilon, epsilon, within: 1e-12))
        // The ball's most mass on the second response solves t log(t/ρ) + (1−t) log((1−t)/(1−ρ)) = ε.
        let t = CoverageCoefficients.largestMass(0.25, within: epsilon, .reverseKL)
        #expect(abs(CoverageCoefficients.binaryKL(t, 0.25) - epsilon) < 1e-9)
        #expect(isClose(c.local, t / 0.25, within: 1e-12))
        #expect(c.single <= c.local + 1e-9 && c.local <= c.global)
    }

    /// The forward ball: the constraint ρ log(ρ/t) + (1−ρ) log((1−ρ)/(1−t)) ≤ ε, never reaching t = 1.
    @Test func forwardBall() {
        let t = CoverageCoefficients.largestMass(0.3, within: 0.1, .forwardKL)
        #expect(abs(0.3 * log(0.3 / t) + 0.7 * log(0.7 / (1 - t)) - 0.1) < 1e-9)
        #expect(t > 0.3 && t < 1)
        #expect(CoverageCoefficients.largestMass(0.3, within: 10, .reverseKL) == 1)
    }

    /// An optimum with mass outside the sampler's support has infinite single-policy coverage.
    @Test func missedOptimumIsInfinite() {
        let c = CoverageCoefficients(sampler: Policy(probabilities: [0.5, 0.5, 0]), target: Policy(probabilities: [0.4, 0.4, 0.2]), ball: .reverseKL)
        #expect(c.single == .infinity && c.epsilon == .infinity)
        #expect(isClose(c.global, 2, within: 1e-12) && isClose(c.local, 2, within: 1e-12))
    }

    /// C* ≤ C_ε ≤ C_glob for every method's default sampler and ε on the examples.
    @Test(arguments: [LabFixtures.chatMath, LabFixtures.escape])
    func chain(_ problem: Problem) {
        let coverage = CoverageLab.coverage(Solution(problem))
        #expect(coverage.count == 3)
        for entry in coverage where entry.coefficients.single.isFinite {
            let c = entry.coefficients
            #expect(c.single <= c.local * (1 + 1e-9), "\(entry.method)")
            #expect(c.local <= c.global * (1 + 1e-12), "\(entry.method)")
        }
    }

    /// App. G on chat-vs-math: both sides from the raw numbers, and left ≤ right.
    @Test func escortRelation() throws {
        let problem = LabFixtures.chatMath
        let relation = try #require(EscortCoverageBound(problem, aggregates: ReferenceAggregates(problem)))
        // I = {greet, answer, refuse}.
        let a = [0.35, 0.30, 0.10], b = [0.10, 0.50, 0.05]
        let products = zip(a, b).map { pow($0, 0.6) * pow($1, 0.4) }
        let f = products.reduce(0, +)
        #expect(isClose(relation.normaliser, f, within: 1e-12))
        #expect(abs(relation.escortGlobal - f / products.min()!) < 1e-9)
        #expect(abs(relation.bound - f * pow(1 / 0.10, 0.6) * pow(1 / 0.05, 0.4)) < 1e-9)
        #expect(relation.escortGlobal <= relation.bound)
        #expect(EscortCoverageBound(LabFixtures.disjoint, aggregates: ReferenceAggregates(LabFixtures.disjoint)) == nil)
    }
}

@Suite("Large-m theory of the lab")
struct LabTheoryTests {
    /// Two responses, ρ = (p, 1−p): 𝓘 = a·[[1,−1],[−1,1]] with a = 2p(1−p)σ(d)σ(−d), so
    /// Σ = [[1,−1],[−1,1]]/(4a), RKL constant π₀π₁/(2βa), optimality √(2/π)·|π₀−π₁|/(2√a).
    @Test func twoResponsesByHand() throws {
        let problem = Problem(rewards: [1, 0], logReferences: [LogSpace.logs(of: [0.3, 0.7])], weights: [1], beta: 0.5)
        let solution = Solution(problem)
        let theory = CoverageLab.theory(solution)
        let rkl = try #require(theory.first { $0.method == .reverseKL })
        let pi = try #require(solution.reverseKL).probabilities
        let s = BradleyTerry.sigmoid(1)
        let a = 2 * 0.3 * 0.7 * s * (1 - s)
        let sub = try #require(rkl.suboptimalityConstant), opt = try #require(rkl.optimalityConstant)
        #expect(abs(sub - pi[0] * pi[1] / (2 * 0.5 * a)) < 1e-12)
        #expect(abs(opt - (2 / Double.pi).squareRoot() * abs(pi[0] - pi[1]) / (2 * a.squareRoot())) < 1e-12)
        // FKL with one reference: w = π*²/(β ρ), W = (w₀w₁/Σw)·[[1,−1],[−1,1]], so tr(WΣ)/2 = w₀w₁/(2aΣw).
        let fkl = try #require(theory.first { $0.method == .forwardKL })
        let q = solution.forwardKL.policy.probabilities
        let w = [q[0] * q[0] / (0.5 * 0.3), q[1] * q[1] / (0.5 * 0.7)]
        #expect(abs(try #require(fkl.suboptimalityConstant) - w[0] * w[1] / (w[0] + w[1]) / a / 2) < 1e-12)
        let mrpo = try #require(theory.first { $0.method == .mrpo })
        #expect(mrpo.suboptimalityConstant == nil && mrpo.reason != nil)
    }

    /// The lines the lab view draws: the constant over m (or √m), MRPO's sub-optimality flat at the
    /// MRPO gap, none where the sampler misses part of the optimum.
    @Test func linesAreTheConstantsOrTheLimit() throws {
        let solution = Solution(LabFixtures.chatMath)
        let gap = try #require(solution.mrpoGap)
        #expect(gap > 0)
        let theory = CoverageLab.theory(solution, samplers: [.forwardKL: .reference(0)])
        let mrpo = try #require(theory.first { $0.method == .mrpo })
        #expect(mrpo.suboptimalityLimit == gap)
        #expect(mrpo.line(.suboptimality, pairs: 10) == gap && mrpo.line(.suboptimality, pairs: 10_000) == gap)
        #expect(mrpo.prediction(.suboptimality, pairs: 10) == nil, "the CLI's predictions stay the constants' only")
        #expect(mrpo.line(.optimality, pairs: 100) == mrpo.optimalityConstant.map { $0 / 10 })
        let rkl = try #require(theory.first { $0.method == .reverseKL })
        #expect(rkl.suboptimalityLimit == nil && rkl.line(.suboptimality, pairs: 100) == rkl.suboptimalityConstant.map { $0 / 100 })
        #expect(theory.first { $0.method == .forwardKL }?.line(.suboptimality, pairs: 100) == nil)
    }

    /// A sampler that misses part of the optimum has no 1/m limit.
    @Test func missedOptimumHasNoLimit() throws {
        let theory = CoverageLab.theory(Solution(LabFixtures.chatMath), samplers: [.forwardKL: .reference(0)])
        let fkl = try #require(theory.first { $0.method == .forwardKL })
        #expect(fkl.suboptimalityConstant == nil && fkl.optimalityConstant == nil)
        #expect(fkl.reason?.contains("never draws") == true)
        #expect(fkl.missed == [3], "derive, which the math reference never writes")
    }
}
