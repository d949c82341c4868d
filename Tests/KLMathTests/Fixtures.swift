import Foundation
@testable import KLMath

/// A tiny reproducible generator for test problems.
struct TestRandom {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }

    /// A random probability vector (log space) with the given responses set to zero.
    mutating func logDistribution(_ n: Int, zeros: Set<Int> = [], spread: Double = 3) -> [Double] {
        var logs = (0..<n).map { zeros.contains($0) ? -Double.infinity : uniform(-spread, spread) }
        LogSpace.normalize(&logs)
        return logs
    }

    /// A random problem; each reference misses about `zeroChance` of the responses.
    mutating func problem(n: Int, k: Int, zeroChance: Double = 0.2, beta: Double? = nil, rewardScale: Double = 2) -> Problem {
        let refs = (0..<k).map { _ -> [Double] in
            var zeros = Set((0..<n).filter { _ in unit() < zeroChance })
            if zeros.count == n { zeros.remove(0) }
            return logDistribution(n, zeros: zeros)
        }
        return Problem(
            rewards: (0..<n).map { _ in uniform(-rewardScale, rewardScale) },
            logReferences: refs,
            weights: (0..<k).map { _ in uniform(0.1, 1) },
            beta: beta ?? exp(uniform(-2, 2)))
    }

    /// A random policy supported exactly on `support`.
    mutating func policy(on support: [Bool]) -> Policy {
        let zeros = Set(support.indices.filter { !support[$0] })
        return Policy(logProbabilities: logDistribution(support.count, zeros: zeros))
    }
}

/// The chat/math example of the README, in plain numbers.
let chatMath = Problem(
    rewards: [0.1, -0.3, 1.0, 1.4, -1.0],
    logReferences: [
        LogSpace.logs(of: [0.35, 0.25, 0.30, 0.0, 0.10]),
        LogSpace.normalizedLogs([-2.3, -.infinity, -0.7, -0.9, -3.0]),
    ],
    weights: [0.6, 0.4], beta: 0.5)

extension LogSpace {
    static func normalizedLogs(_ values: [Double]) -> [Double] {
        var copy = values
        normalize(&copy)
        return copy
    }
}

func total(_ policy: Policy) -> Double { policy.probabilities.reduce(0, +) }

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func hasNaN(_ values: [Double]) -> Bool { values.contains { $0.isNaN } }

/// Mixes `weight` of `other` into `policy` in linear space.
func blend(_ policy: Policy, _ other: Policy, weight: Double) -> Policy {
    Policy(probabilities: zip(policy.probabilities, other.probabilities).map { (1 - weight) * $0 + weight * $1 })
}
