import Foundation
import Testing
@testable import KLMath
import TestSupport

@Suite("Aggregated references")
struct AggregatesTests {
    @Test("π_G, π_A and π_H match direct linear-space formulas")
    func matchesLinearSpace() throws {
        var random = TestRandom(11)
        for _ in 0..<50 {
            let problem = random.problem(n: 7, k: 3, zeroChance: 0.15)
            let supports = Supports(problem)
            let probabilities = problem.logReferences.map(LogSpace.exps)
            let alpha = problem.weights
            let mixture = Aggregates.mixture(problem).probabilities
            for y in 0..<7 {
                let direct = (0..<3).reduce(0.0) { $0 + alpha[$1] * probabilities[$1][y] }
                #expect(isClose(mixture[y], direct, within: 1e-14))
            }
            guard !supports.intersectionIsEmpty else { continue }
            let geometric = (0..<7).map { y in (0..<3).reduce(1.0) { $0 * pow(probabilities[$1][y], alpha[$1]) } }
            let harmonic = (0..<7).map { y in supports.intersection[y] ? 1 / (0..<3).reduce(0.0) { $0 + alpha[$1] / probabilities[$1][y] } : 0 }
            let f = geometric.reduce(0, +)
            let (escort, logF) = try #require(Aggregates.generalizedEscort(problem, supports: supports))
            #expect(isClose(exp(logF), f, within: 1e-13))
            #expect(maxAbsDifference(escort.probabilities, geometric.map { $0 / f }) < 1e-13)
            let h = try #require(Aggregates.harmonicMean(problem, supports: supports))
            let hTotal = harmonic.reduce(0, +)
            #expect(maxAbsDifference(h.probabilities, harmonic.map { $0 / hTotal }) < 1e-13)
        }
    }

    @Test("With one active reference π_G, π_A and π_H are it exactly, and its divergences from them are exactly 0")
    func oneActiveReferenceIsExact() throws {
        var random = TestRandom(5)
        for _ in 0..<20 {
            var problem = random.problem(n: 9, k: 2, zeroChance: 0.1)
            problem = Problem(rewards: problem.rewards, logReferences: problem.logReferences.map { logs in
                var normalised = logs
                LogSpace.normalize(&normalised)
                return normalised
            }, weights: [0, 1], beta: problem.beta)
            let supports = Supports(problem)
            let reference = problem.logReferences[1]
            let (escort, logF) = try #require(Aggregates.generalizedEscort(problem, supports: supports))
            let harmonic = try #require(Aggregates.harmonicMean(problem, supports: supports))
            for policy in [escort, Aggregates.mixture(problem), harmonic] {
                #expect(Divergence.kl(reference, policy.logProbabilities) == 0)
                #expect(Divergence.kl(policy.logProbabilities, reference) == 0)
            }
            #expect(logF == 0)
        }
    }

    @Test("Power means are ordered H ≤ G ≤ A pointwise, and Hölder gives 0 < F ≤ 1")
    func powerMeanOrder() {
        var random = TestRandom(12)
        for _ in 0..<200 {
            let problem = random.problem(n: 6, k: 1 + random.index(4), zeroChance: 0.1)
            let supports = Supports(problem)
            let logA = Aggregates.mixture(problem).logProbabilities
            let logG = Aggregates.logGeometricMean(problem, on: supports.intersection)
            for y in 0..<6 where supports.intersection[y] {
                let terms = problem.activeReferences.map { log(problem.weights[$0]) - problem.logReferences[$0][y] }
                let logH = -LogSpace.logSumExp(terms)
                #expect(logH <= logG[y] + 1e-12)
                #expect(logG[y] <= logA[y] + 1e-12)
            }
            let logF = LogSpace.logSumExp(logG)
            if !supports.intersectionIsEmpty { #expect(logF <= 1e-12 && logF > -.infinity) }
        }
    }

    @Test("The escort of one policy raises it to a power and renormalises")
    func singleEscort() {
        let policy = Policy(probabilities: [0.5, 0.25, 0.25, 0])
        let escort = Aggregates.escort(policy, exponent: 2).probabilities
        #expect(maxAbsDifference(escort, [0.25 / 0.375, 0.0625 / 0.375, 0.0625 / 0.375, 0]) < 1e-15)
    }

    @Test("Supports: a reference with weight zero is off")
    func inactiveReferenceIsIgnored() {
        var problem = chatMath
        problem.setWeights([1, 0])
        let supports = Supports(problem)
        #expect(supports.intersection == [true, true, true, false, true])
        #expect(supports.union == supports.intersection)
        problem.setWeights([0.5, 0.5])
        #expect(Supports(problem).intersection == [true, false, true, false, true])
        #expect(Supports(problem).union == [true, true, true, true, true])
    }

    @Test("log-sum-exp survives huge, tiny and infinite inputs")
    func logSumExpIsStable() {
        #expect(LogSpace.logSumExp([1000, 1000]) == 1000 + log(2))
        #expect(LogSpace.logSumExp([-1000, -.infinity]) == -1000)
        #expect(LogSpace.logSumExp([-.infinity, -.infinity]) == -.infinity)
        #expect(LogSpace.logSumExp([]) == -.infinity)
        #expect(!LogSpace.logSumExp([1e308, 1e308]).isNaN)
    }
}
