import Foundation
import Testing
import TestSupport
@testable import KLMath

@Suite("Sweeps")
struct SweepTests {
    /// The numbers of one point computed straight from a fresh `Solution` and `PolicyMetrics`.
    static func expectAgrees(_ point: Sweep.Point, _ problem: Problem) {
        let solution = Solution(problem)
        func close(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case let (a?, b?): isClose(a, b, within: 1e-9, relative: true)
            default: false
            }
        }
        let fkl = PolicyMetrics(solution.forwardKL.policy, in: solution)
        let mixture = solution.mixture.logProbabilities
        #expect(close(point.forwardKL.expectedReward, fkl.expectedReward))
        #expect(close(point.forwardKL.entropy, fkl.entropy))
        #expect(close(point.forwardKL.objective, solution.forwardKLValue))
        #expect(close(point.forwardKL.objective, fkl.forwardKLObjective))
        #expect(close(point.forwardKL.ownKL, Divergence.kl(mixture, solution.forwardKL.policy.logProbabilities)))
        guard let rkl = solution.reverseKL, let mrpo = solution.mrpo, let escort = solution.escort else {
            #expect(point.reverseKL == .undefined)
            #expect(point.mrpo == .undefined)
            #expect(point.mrpoGap == nil)
            return
        }
        let rklMetrics = PolicyMetrics(rkl, in: solution), mrpoMetrics = PolicyMetrics(mrpo, in: solution)
        #expect(close(point.reverseKL.expectedReward, rklMetrics.expectedReward))
        #expect(close(point.reverseKL.entropy, rklMetrics.entropy))
        #expect(close(point.reverseKL.objective, solution.reverseKLValue))
        #expect(close(point.reverseKL.objective, rklMetrics.reverseKLObjective))
        #expect(close(point.reverseKL.ownKL, Divergence.kl(rkl.logProbabilities, escort.logProbabilities)))
        #expect(close(point.mrpo.expectedReward, mrpoMetrics.expectedReward))
        #expect(close(point.mrpo.entropy, mrpoMetrics.entropy))
        #expect(close(point.mrpo.objective, mrpoMetrics.reverseKLObjective))
        #expect(close(point.mrpo.ownKL, Divergence.kl(mrpo.logProbabilities, escort.logProbabilities)))
        #expect(close(point.mrpoGap, solution.mrpoGap))
    }

    /// The bounds of a point: both are there, are the weighted sums of the single-reference
    /// optimal values, and lie above the objectives (MATH.md: `max J_RKL ≤ Σ_k α_k max J_k`,
    /// `max J_FKL ≤ Σ_k α_k max J_FKL,k`).
    static func expectBounds(_ point: Sweep.Point, _ problem: Problem) {
        guard let rklBound = point.reverseKLBound, let fklBound = point.forwardKLBound else {
            Issue.record("a bound is missing at \(point.parameter)")
            return
        }
        let rklSum = problem.activeReferences.reduce(0) { $0 + problem.weights[$1] * ReverseKL.singleValue(problem, reference: $1) }
        #expect(isClose(rklBound, rklSum, within: 1e-9, relative: true))
        let slack = 1e-9 * max(1, abs(rklBound), abs(fklBound))
        if let rkl = point.reverseKL.objective { #expect(rkl <= rklBound + slack, "max J_RKL above its bound at \(point.parameter)") }
        if let fkl = point.forwardKL.objective { #expect(fkl <= fklBound + slack, "max J_FKL above its bound at \(point.parameter)") }
        // MRPO's exact objective is below max J_RKL, so below the bound too.
        if let mrpo = point.mrpo.objective { #expect(mrpo <= rklBound + slack) }
    }

    @Test("the bounds hold at every β and every weight, with a strict gap somewhere")
    func boundsHold() {
        var random = TestRandom(97)
        var strict = 0
        for _ in 0..<8 {
            let problem = random.problem(n: 7, k: 3, zeroChance: 0.15)
            for point in Sweep.beta(problem, steps: 25).points {
                var atBeta = problem
                atBeta.beta = point.parameter
                Self.expectBounds(point, atBeta)
                if let value = point.reverseKL.objective, let bound = point.reverseKLBound, bound - value > 1e-6 { strict += 1 }
            }
            for reference in 0..<3 {
                for point in Sweep.weight(problem, reference: reference, steps: 9).points {
                    Self.expectBounds(point, problem.withWeight(point.parameter, of: reference))
                }
            }
        }
        // The bound is not an equality in disguise: references that differ leave a gap.
        #expect(strict > 20)
    }

    @Test("every β point agrees with a direct solve at that β")
    func betaAgrees() {
        var random = TestRandom(41)
        for _ in 0..<6 {
            let problem = random.problem(n: 6, k: 3, zeroChance: 0.2)
            let sweep = Sweep.beta(problem, steps: 13)
            #expect(sweep.axis == .beta && sweep.points.count == 13)
            #expect(sweep.points.first?.parameter == 1e-3 && sweep.points.last?.parameter == 1e3)
            for point in sweep.points {
                var atBeta = problem
                atBeta.beta = point.parameter
                Self.expectAgrees(point, atBeta)
            }
        }
    }

    @Test("the β grid is geometric")
    func geometricGrid() {
        let grid = Sweep.grid(.beta, from: 1e-3, to: 1e3, steps: 7)
        for (value, expected) in zip(grid, [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000]) {
            #expect(isClose(value, expected, within: 1e-12 * abs(expected)))
        }
        #expect(Sweep.grid(.weight, from: 0, to: 1, steps: 5) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test("every weight point agrees with a direct solve at that weight; ends change the support")
    func weightAgrees() {
        // Partial overlap: reference 0 misses response 3, reference 1 misses response 0.
        let log = { (p: [Double]) in p.map { $0 > 0 ? Foundation.log($0) : -Double.infinity } }
        let problem = Problem(rewards: [0.1, 0.5, 1.0, 2.0],
                              logReferences: [log([0.4, 0.3, 0.3, 0]), log([0, 0.2, 0.3, 0.5])],
                              weights: [0.5, 0.5], beta: 0.7)
        let sweep = Sweep.weight(problem, steps: 11)
        #expect(sweep.points.count == 11)
        for point in sweep.points {
            Self.expectAgrees(point, problem.withWeight(point.parameter, of: 0))
        }
        // At weight 0 only reference 1 is on, and RKL may use response 3 (reward 2): the expected
        // reward jumps between the end and the first interior point.
        let end = sweep.points[0].reverseKL.expectedReward!, inside = sweep.points[1].reverseKL.expectedReward!
        #expect(end > inside + 0.3)
    }

    @Test("disjoint supports: RKL and MRPO are nil inside, defined at the weight ends")
    func disjoint() {
        let log = { (p: [Double]) in p.map { $0 > 0 ? Foundation.log($0) : -Double.infinity } }
        let problem = Problem(rewards: [1, 0, 2, -1],
                              logReferences: [log([0.5, 0.5, 0, 0]), log([0, 0, 0.5, 0.5])],
                              weights: [1, 1], beta: 1)
        let sweep = Sweep.weight(problem, steps: 5)
        #expect(sweep.points[0].reverseKL.objective != nil && sweep.points[4].mrpo.objective != nil)
        for point in sweep.points[1...3] {
            #expect(point.reverseKL == .undefined && point.mrpo == .undefined && point.mrpoGap == nil)
            #expect(point.forwardKL.objective != nil)
        }
        for point in Sweep.beta(problem, steps: 5).points {
            #expect(point.reverseKL == .undefined && point.forwardKL.expectedReward != nil)
        }
    }

    @Test("a weight sweep over any of three references: the others keep their proportions")
    func weightSweepOfThree() {
        var random = TestRandom(5)
        let problem = random.problem(n: 6, k: 3, zeroChance: 0.2)
        for reference in 0..<3 {
            let sweep = Sweep.weight(problem, reference: reference, steps: 11)
            #expect(sweep.axis == .weight && sweep.reference == reference && sweep.points.count == 11)
            for point in sweep.points {
                let moved = problem.withWeight(point.parameter, of: reference)
                #expect(isClose(moved.weights[reference], point.parameter, within: 1e-15))
                let others = (0..<3).filter { $0 != reference }
                // The others' ratio is the problem's (at weight 1 they are both 0).
                let (a, b) = (others[0], others[1])
                if point.parameter < 1 {
                    #expect(isClose(moved.weights[a] * problem.weights[b], moved.weights[b] * problem.weights[a], within: 1e-15))
                } else {
                    #expect(moved.weights[a] == 0 && moved.weights[b] == 0)
                }
                Self.expectAgrees(point, moved)
            }
        }
    }

    @Test("others all at weight 0 share the rest equally; with two references it is (w, 1 − w)")
    func othersOff() {
        var random = TestRandom(9)
        var problem = random.problem(n: 5, k: 3)
        problem.setWeights([0, 0, 1])
        #expect(problem.othersAreOff(2) && !problem.othersAreOff(0))
        let moved = problem.withWeight(0.4, of: 2)
        #expect(isClose(moved.weights[0], 0.3, within: 1e-15) && isClose(moved.weights[1], 0.3, within: 1e-15))
        var two = random.problem(n: 5, k: 2)
        two.setWeights([0.9, 0.1])
        #expect(two.withWeight(0.25, of: 0).weights == [0.25, 0.75])
        #expect(two.withWeight(0.25, of: 1).weights == [0.75, 0.25])
    }

    /// The point-by-point form reports each prefix of the sweep and stops when cancelled.
    @Test func sweepsReportProgressAndStopWhenCancelled() {
        let problem = chatMath
        var seen: [Int] = []
        let sweep = Sweep.beta(problem, steps: 7, isCancelled: { false }, progress: { seen.append($0.points.count) })
        #expect(sweep == Sweep.beta(problem, steps: 7) && seen == Array(1...7))
        var polls = 0
        let cancelled = Sweep.weight(problem, steps: 7, isCancelled: { polls += 1; return polls > 3 }, progress: { _ in })
        #expect(cancelled == nil && polls == 4)
    }
}
