import Foundation
import Testing
import TestSupport
@testable import KLMath

/// What MATH.md promises of every solution: no NaN anywhere, every policy normalised within
/// 1e-12, and finite values wherever the quantity is defined. Returns the broken promises.
func solutionViolations(_ solution: Solution) -> [String] {
    var problems: [String] = []
    func policy(_ name: String, _ policy: Policy?) {
        guard let policy else { return }
        if policy.logProbabilities.contains(where: \.isNaN) { problems.append("\(name) has a NaN log-probability") }
        if policy.logProbabilities.contains(where: { $0 == .infinity }) { problems.append("\(name) has a +inf log-probability") }
        let sum = policy.probabilities.reduce(0, +)
        if !isClose(sum, 1, within: 1e-12) { problems.append("\(name) sums to \(sum)") }
    }
    func finite(_ name: String, _ value: Double?) {
        guard let value else { return }
        if !value.isFinite { problems.append("\(name) is \(value)") }
    }
    policy("π_A", solution.mixture)
    policy("π_G", solution.escort)
    policy("π_H", solution.harmonic)
    policy("π*_RKL", solution.reverseKL)
    policy("π*_FKL", solution.forwardKL.policy)
    policy("π_MRPO", solution.mrpo)
    for k in 0..<solution.problem.referenceCount {
        policy("π*_\(k)", solution.policy(.singleReverseKL(k)))
        policy("π*_FKL,\(k)", solution.policy(.singleForwardKL(k)))
    }
    let intersectionEmpty = solution.escort == nil
    if intersectionEmpty != (solution.reverseKL == nil) || intersectionEmpty != (solution.reverseKLValue == nil) {
        problems.append("π_G and π*_RKL disagree on whether the intersection is empty")
    }
    finite("max J_RKL", solution.reverseKLValue)
    finite("RKL bound", solution.reverseKLBound)
    finite("max J_FKL", solution.forwardKLValue)
    finite("FKL bound", solution.forwardKLBound)
    finite("MRPO gap", solution.mrpoGap)
    finite("MRPO value", solution.mrpoValue)
    finite("log F", solution.logEscortNormaliser)
    finite("λ", solution.forwardKL.lambda)
    for (k, value) in solution.singleReverseKLValues.enumerated() { finite("max J_\(k)", value) }
    for (k, value) in solution.singleForwardKLValues.enumerated() { finite("max J_FKL,\(k)", value) }
    for k in 0..<solution.problem.referenceCount { finite("λ_\(k)", ForwardKL.solveSingle(solution.problem, reference: k).lambda) }
    let escaped = solution.forwardKL.escapedMass
    if !(escaped >= 0 && escaped <= 1 + 1e-12) { problems.append("escaped mass \(escaped)") }
    if let gap = solution.mrpoGap, !(gap >= -1e-9 * max(1, abs(solution.reverseKLValue ?? 0))) { problems.append("MRPO gap \(gap) < 0") }
    return problems
}

@Suite struct NumericStressTests {
    /// A random problem of mixed scales: zeros, ties, near-zero probabilities, extreme β and rewards.
    static func randomProblem(_ random: inout SplitMix64) -> Problem {
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let n = 2 + Int(random.next() % 11)
        let k = 1 + Int(random.next() % 4)
        let betaExponent = pick([-10.0, -9, -6, -3, -1, 0, 1, 3, 6, 9, 10, Double(Int(random.next() % 21)) - 10])
        let beta = min(max(pow(10, betaExponent) * (0.5 + random.nextUnit()), Problem.betaRange.lowerBound), Problem.betaRange.upperBound)
        let rewardScale = pick([0.0, 1e-12, 1e-3, 1, 10, 1e3, 1e6, Problem.rewardLimit])
        let tieValues = (0..<3).map { _ in (2 * random.nextUnit() - 1) * rewardScale }
        let rewards = (0..<n).map { _ -> Double in
            switch random.next() % 6 {
            case 0: return pick(tieValues)  // ties
            case 1: return 0
            case 2: return pick([Problem.rewardLimit, -Problem.rewardLimit, rewardScale, -rewardScale])
            default: return (2 * random.nextUnit() - 1) * rewardScale
            }
        }
        let zeroChance = pick([0.0, 0.1, 0.3, 0.6])
        // MATH.md promises normalised results for probabilities down to 1e-300; with weights
        // at most 1e12 apart, every α_k π_k(y) stays above ~1e-300 too (660: e^-660 ≈ 1e-287).
        let spread = pick([0.0, 1, 10, 100, 660])
        var logReferences: [[Double]] = []
        for _ in 0..<k {
            var logs = (0..<n).map { _ -> Double in
                if random.nextUnit() < zeroChance { return -.infinity }
                return random.next() % 5 == 0 ? 0 : -spread * random.nextUnit()
            }
            if !logs.contains(where: { $0 > -.infinity }) { logs[Int(random.next() % UInt64(n))] = 0 }
            _ = LogSpace.normalize(&logs)
            logReferences.append(logs)
        }
        var weights: [Double] = (0..<k).map { _ -> Double in
            switch random.next() % 5 {
            case 0: return 0
            case 1: return pick([1e-6, 1e6])
            default: return random.nextUnit() + 1e-3
            }
        }
        if !weights.contains(where: { $0 > 0 }) { weights[0] = 1 }
        return Problem(rewards: rewards, logReferences: logReferences, weights: weights, beta: beta)
    }

    @Test func hundredThousandRandomProblemsKeepEveryPromise() {
        let cases = 100_000
        var random = SplitMix64(seed: 0x5eed_0003)
        var failures: [String] = []
        let start = ContinuousClock.now
        for index in 0..<cases {
            let problem = Self.randomProblem(&random)
            let violations = solutionViolations(Solution(problem))
            if !violations.isEmpty, failures.count < 10 {
                failures.append("case \(index): \(violations.joined(separator: "; ")) in \(problem)")
            }
        }
        let elapsed = ContinuousClock.now - start
        print("NumericStressTests: \(cases) problems in \(elapsed)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

/// Found by the stress test and fixed in `ForwardKL.solve`: with the top response's mass below
/// the smallest double (`logprobs: [-750, 0]`), the root `δ` is below it too. The solver now
/// keeps the top mass in log space and iterates on `log δ`.
@Test(arguments: [-700.0, -720, -745, -750, -1000, -1e5])
func forwardKLWithAnUnderflowingTopResponseIsNormalised(logTop: Double) {
    let problem = Problem(rewards: [1e6, 0], logReferences: [[logTop, 0]], weights: [1], beta: 1)
    let solution = Solution(problem)
    #expect(solutionViolations(solution).isEmpty, "\(solutionViolations(solution))")
    #expect(solution.forwardKL.iterations <= ForwardKL.maximumIterations)
    // The top response takes almost everything: β A_top/δ ≈ 1 − β/1e6.
    #expect(abs(solution.forwardKL.policy.probability(0) - (1 - 1e-6)) < 1e-9)
}

/// Found by the stress test and fixed in `Aggregates.mixture`: a reference with a tiny weight
/// (1e-300) supporting a response only it supports, at a small probability, made `α_k π_k(y)`
/// underflow to 0 in linear space, so `π_A` lost part of `U` and `max J_FKL` came out `−∞`.
@Test func mixtureKeepsTheUnionWhenAWeightTimesAProbabilityUnderflows() {
    let problem = Problem(rewards: [0, 1, 2], logReferences: [[-.infinity, 0, -.infinity], [-50, -1e-20, -.infinity]],
                          weights: [1, 1e-300], beta: 1)
    let solution = Solution(problem)
    #expect(solution.mixture.logProbabilities[0] > -.infinity)
    #expect(solution.forwardKLValue.isFinite)
    #expect(solutionViolations(solution).isEmpty, "\(solutionViolations(solution))")
}
