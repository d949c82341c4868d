import Foundation
import Testing
@testable import KLMath
import TestSupport

@Suite("Forward KL: π* = β π_A / (λ − r) on the union")
struct ForwardKLTests {
    /// An independent root: plain bisection on λ in linear space, 200 halvings.
    func bisectedLambda(mixture: [Double], rewards: [Double], beta: Double) -> Double {
        let support = mixture.indices.filter { mixture[$0] > 0 }
        let top = support.map { rewards[$0] }.max()!
        var low = top, high = top + beta
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            let f = support.reduce(0.0) { $0 + beta * mixture[$1] / (mid - rewards[$1]) }
            if f > 1 { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    @Test("KKT: π(λ − r) = β π_A on U, π sums to one, λ matches an independent bisection")
    func stationarity() {
        var random = TestRandom(31)
        for _ in 0..<300 {
            let problem = random.problem(n: 8, k: 1 + random.index(4))
            let solution = Solution(problem)
            let fkl = solution.forwardKL
            let p = fkl.policy.probabilities, a = solution.mixture.probabilities
            #expect(isClose(total(fkl.policy), 1, within: 1e-12))
            guard fkl.escapedMass == 0 else { continue }
            for y in 0..<8 where solution.supports.union[y] {
                let residual = p[y] * (fkl.lambda - problem.rewards[y]) - problem.beta * a[y]
                #expect(abs(residual) < 1e-9 * max(1, problem.beta * a[y]))
            }
            let independent = bisectedLambda(mixture: a, rewards: problem.rewards, beta: problem.beta)
            #expect(isClose(independent, fkl.lambda, within: 1e-9, relative: true))
        }
    }

    @Test("No nearby policy (anywhere on the simplex) beats π*_FKL")
    func perturbation() {
        var random = TestRandom(32)
        for trial in 0..<150 {
            var problem = random.problem(n: 6, k: 2, zeroChance: 0.3)
            if trial % 3 == 0, let outside = (0..<6).first(where: { !Supports(problem).union[$0] }) {
                problem.rewards[outside] = 5  // make mass escape
            }
            let solution = Solution(problem)
            let value = solution.forwardKLValue
            #expect(isClose(Objective.forwardKL(solution.forwardKL.policy, problem), value, within: 1e-12, relative: true))
            for step in [1e-1, 1e-3, 1e-6] {
                let other = random.policy(on: [Bool](repeating: true, count: 6))
                let nearby = blend(solution.forwardKL.policy, other, weight: step)
                #expect(Objective.forwardKL(nearby, problem) <= value + 1e-12 * max(1, abs(value)))
            }
        }
    }

    @Test("Σ α_k KL(π_k‖π) = KL(π_A‖π) + JS_α with JS_α ≥ 0")
    func jensenShannonIdentity() {
        var random = TestRandom(33)
        for _ in 0..<100 {
            let problem = random.problem(n: 7, k: 3)
            let mixture = Aggregates.mixture(problem)
            let policy = random.policy(on: [Bool](repeating: true, count: 7))
            let left = problem.activeReferences.reduce(0.0) { $0 + problem.weights[$1] * Divergence.kl(problem.logReferences[$1], policy.logProbabilities) }
            let js = Divergence.entropy(mixture.logProbabilities)
                - problem.activeReferences.reduce(0.0) { $0 + problem.weights[$1] * Divergence.entropy(problem.logReferences[$1]) }
            #expect(js >= -1e-12)
            #expect(isClose(left, (Divergence.kl(mixture.logProbabilities, policy.logProbabilities) + js), within: 1e-10))
        }
    }

    @Test("Bound: max J_FKL ≤ Σ α_k max J_FKL,k")
    func upperBound() {
        var random = TestRandom(34)
        for _ in 0..<300 {
            let solution = Solution(random.problem(n: 6, k: 2 + random.index(3)))
            #expect(solution.forwardKLValue <= solution.forwardKLBound + 1e-12 * max(1, abs(solution.forwardKLValue)))
        }
    }

    @Test("β → ∞ gives π_A; β → 0 splits the top rewards of U in proportion to π_A")
    func betaLimits() {
        var problem = chatMath
        problem.beta = 1e9
        let large = Solution(problem)
        #expect(maxAbsDifference(large.forwardKL.policy.probabilities, large.mixture.probabilities) < 1e-8)

        problem.rewards = [1.4, -0.3, 1.0, 1.4, -1.0]  // tie between responses 0 and 3
        problem.beta = 1e-9
        let small = Solution(problem)
        let p = small.forwardKL.policy.probabilities, a = small.mixture.probabilities
        #expect(isClose(p[0], a[0] / (a[0] + a[3]), within: 1e-6))
        #expect(isClose(p[3], a[3] / (a[0] + a[3]), within: 1e-6))
        #expect(isClose(p[0] + p[3], 1, within: 1e-8))
    }

    @Test("Adding c to r shifts λ by c and leaves π*_FKL unchanged")
    func shiftInvariance() {
        var random = TestRandom(35)
        for _ in 0..<50 {
            let problem = random.problem(n: 6, k: 2)
            var shifted = problem
            shifted.rewards = problem.rewards.map { $0 - 42.25 }
            let a = Solution(problem).forwardKL, b = Solution(shifted).forwardKL
            #expect(maxAbsDifference(a.policy.probabilities, b.policy.probabilities) < 1e-12)
            #expect(isClose((a.lambda - 42.25), b.lambda, within: 1e-9))
        }
    }

    @Test("Mass escapes the union to the best unsupported responses, evenly, with λ = r_out")
    func escapedMass() throws {
        let problem = Problem(
            rewards: [0, 0.5, 3, 3, 1],
            logReferences: [LogSpace.logs(of: [0.5, 0.5, 0, 0, 0]), LogSpace.logs(of: [0.2, 0.8, 0, 0, 0])],
            weights: [1, 1], beta: 1)
        let fkl = Solution(problem).forwardKL
        let p = fkl.policy.probabilities
        #expect(fkl.lambda == 3)
        #expect(fkl.escapedMass > 0.3)
        #expect(isClose(p[2], fkl.escapedMass / 2, within: 1e-15) && p[2] == p[3])
        #expect(p[4] == 0)
        #expect(isClose(total(fkl.policy), 1, within: 1e-12))
        let a = [0.35, 0.65]
        for y in 0..<2 { #expect(isClose(p[y] * (3 - problem.rewards[y]), a[y], within: 1e-12)) }
        // No escape when the outside reward stays below the root.
        var low = problem
        low.rewards = [0, 0.5, 0.6, 0.6, -1]
        #expect(Solution(low).forwardKL.escapedMass == 0)
    }

    @Test("The streamed value (no stored policy) equals the objective at the stored optimum, with and without escape")
    func streamedValue() throws {
        let reference = LogSpace.logs(of: [0.5, 0.3, 0.2, 0, 0])
        for rewards in [[0, 0.5, 1, 3, 3], [0, 0.5, 1, 0.2, -1], [1, 1, 1, 1, 1]] {
            for beta in [1e-3, 0.7, 40] {
                let solution = ForwardKL.solve(logReference: reference, rewards: rewards, beta: beta)
                let direct = Divergence.expectation(solution.policy.logProbabilities, of: rewards)
                    - beta * Divergence.kl(reference, solution.policy.logProbabilities)
                let streamed = ForwardKL.value(logReference: reference, rewards: rewards, beta: beta)
                #expect(isClose(streamed, direct, within: 1e-13, relative: true), "r \(rewards), β \(beta)")
            }
        }
        #expect(ForwardKL.solve(logReference: reference, rewards: [0, 0.5, 1, 3, 3], beta: 0.7).escapedMass > 0)
    }

    /// The kernels' vector loops, their blocks of 256 and 1,024 responses and their partial last
    /// vectors, and more responses tied at the top reward than the first call of `meanGap` has
    /// room for (16).
    @Test("At 3,001 responses with 40 ties at the top reward: KKT, the independent root, the streamed value, the diagnostics")
    func atScaleWithManyTopTies() throws {
        var random = TestRandom(57)
        let n = 3_001
        var problem = random.problem(n: n, k: 3, zeroChance: 0.1, beta: 0.2)
        var rewards = problem.rewards
        let top = rewards.max()! + 0.5
        for y in stride(from: 5, to: n, by: 75) { rewards[y] = top }
        problem = Problem(rewards: rewards, logReferences: problem.logReferences, weights: problem.weights, beta: problem.beta)
        let solution = Solution(problem)
        let fkl = solution.forwardKL
        let p = fkl.policy.probabilities, a = solution.mixture.probabilities
        #expect(fkl.escapedMass == 0 && isClose(total(fkl.policy), 1, within: 1e-12))
        // Halley's steps: two passes after the one at the bracket's left end (Newton took four).
        #expect(fkl.iterations <= 2, "\(fkl.iterations) iterations")
        var worst = 0.0
        for y in 0..<n where solution.supports.union[y] {
            worst = max(worst, abs(p[y] * (fkl.lambda - rewards[y]) - problem.beta * a[y]) / max(1e-300, problem.beta * a[y]))
        }
        #expect(worst < 1e-9, "largest relative KKT residual \(worst)")
        #expect(isClose(bisectedLambda(mixture: a, rewards: rewards, beta: problem.beta), fkl.lambda, within: 1e-9, relative: true))
        let mixtureLogs = solution.mixture.logProbabilities
        let direct = Divergence.expectation(fkl.policy.logProbabilities, of: rewards)
            - problem.beta * Divergence.kl(mixtureLogs, fkl.policy.logProbabilities)
        #expect(isClose(ForwardKL.value(logReference: mixtureLogs, rewards: rewards, beta: problem.beta), direct, within: 1e-12, relative: true))
        let metrics = solution.forwardKLMetrics
        let policyLogs = fkl.policy.logProbabilities
        for k in 0..<3 {
            let reference = problem.logReferences[k]
            #expect(isClose(metrics.klFrom[k], Divergence.kl(reference, policyLogs), within: 1e-12, relative: true))
            let outside = (0..<n).contains { reference[$0] == -.infinity && policyLogs[$0] > -.infinity }
            let ratios = (0..<n).filter { reference[$0] > -.infinity }.map { policyLogs[$0] - reference[$0] }
            #expect(outside == (metrics.klTo[k] == .infinity))
            #expect(outside ? metrics.coverage[k] == .infinity : isClose(metrics.coverage[k], exp(ratios.max()!), within: 1e-12, relative: true))
        }
        let objective = Divergence.expectation(policyLogs, of: rewards)
            - problem.beta * (0..<3).reduce(0) { $0 + problem.weights[$1] * Divergence.kl(problem.logReferences[$1], policyLogs) }
        #expect(isClose(solution.forwardKLValue, objective, within: 1e-12, relative: true))
    }

    @Test("DPO view: the implied reward of π*_FKL is r up to a constant on U")
    func impliedReward() {
        let solution = Solution(chatMath)
        let implied = ImpliedReward.forwardKL(solution.forwardKL.policy, mixture: solution.mixture, beta: chatMath.beta,
                                              lambda: solution.forwardKL.lambda)
        for y in 0..<5 { #expect(isClose(implied[y]!, chatMath.rewards[y], within: 1e-9)) }
    }
}

@Suite("Extreme inputs: finite, normalised, no NaN")
struct ExtremeInputTests {
    @Test("β from 1e-9 to 1e9, rewards up to ±1e6, probabilities down to 1e-300",
          arguments: [1e-9, 1e-6, 1e-3, 1, 1e3, 1e6, 1e9])
    func extremes(beta: Double) {
        var random = TestRandom(UInt64(41 + beta.exponent))
        for trial in 0..<60 {
            let n = 6
            let scale = [1e-6, 1, 1e3, 1e6][trial % 4]
            let rewards = (0..<n).map { _ in random.uniform(-scale, scale) }
            let tiny = LogSpace.normalizedLogs([log(1e-300), log(1e-300), 0, log(1e-200), -.infinity, log(0.5)])
            let ordinary = random.logDistribution(n, zeros: trial % 2 == 0 ? [1] : [])
            let problem = Problem(rewards: rewards, logReferences: [tiny, ordinary], weights: [random.unit() + 0.01, 1], beta: beta)
            let solution = Solution(problem)
            #expect(solution.forwardKL.iterations <= ForwardKL.maximumIterations)
            var policies = [solution.mixture, solution.forwardKL.policy]
            policies += (0..<2).flatMap { [solution.policy(.singleReverseKL($0)), solution.policy(.singleForwardKL($0))] }.compactMap { $0 }
            policies += [solution.escort, solution.harmonic, solution.reverseKL, solution.mrpo].compactMap { $0 }
            for policy in policies {
                #expect(!hasNaN(policy.logProbabilities))
                #expect(isClose(total(policy), 1, within: 1e-12), "sum \(total(policy)) at β \(beta), scale \(scale)")
            }
            let values = [solution.forwardKLValue, solution.forwardKLBound, solution.reverseKLBound, solution.forwardKL.lambda]
                + [solution.reverseKLValue, solution.mrpoGap].compactMap { $0 }
            #expect(values.allSatisfy { $0.isFinite })
            for y in 0..<n where solution.forwardKL.escapedMass == 0 && solution.supports.union[y] {
                let p = solution.forwardKL.policy.logProbabilities[y]
                #expect(p > -.infinity || solution.mixture.logProbabilities[y] < -600, "FKL must cover U")
            }
        }
    }

    @Test("The safeguarded root iteration converges in few iterations even when the left end is far from the root")
    func rootIsFast() {
        // The top response has almost no mixture mass: the left end β·A_top is 1e-300 while the root is near 1e-150.
        let problem = Problem(rewards: [1, 0], logReferences: [[log(1e-300), log1p(-1e-300)]], weights: [1], beta: 1)
        let fkl = ForwardKL.solveSingle(problem, reference: 0)
        #expect(fkl.iterations <= 20)
        #expect(isClose(total(fkl.policy), 1, within: 1e-12))
        #expect(fkl.lambdaAboveTopReward > 1e-160 && fkl.lambdaAboveTopReward < 1e-140)
    }
}
