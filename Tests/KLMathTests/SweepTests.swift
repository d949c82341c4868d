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
            Self.expectAgrees(point, problem.withFirstWeight(point.parameter))
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
}
