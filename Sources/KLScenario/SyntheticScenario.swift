import Foundation
import KLMath

/// Reproducible random scenarios of any size, for benchmarks and stress tests.
public enum SyntheticScenario {
    /// A scenario with `responses` responses and `references` references drawn from `seed`:
    /// softmax-of-Gaussian reference probabilities (temperature 2, so they spread over many
    /// orders of magnitude), about `zeroFraction` of each reference's responses set to zero
    /// (never all of them), Gaussian rewards and random positive weights.
    public static func make(responses n: Int, references k: Int, seed: UInt64 = 1,
                            zeroFraction: Double = 0.05, beta: Double = 0.5) -> Scenario {
        var random = SplitMix64(seed: seed)
        let rewards = (0..<n).map { _ in random.nextGaussian() }
        let references = (0..<k).map { index -> Scenario.Reference in
            var logs = (0..<n).map { _ in 2 * random.nextGaussian() }
            for y in 0..<n where random.nextUnit() < zeroFraction { logs[y] = -.infinity }
            if !logs.contains(where: { $0 > -.infinity }) { logs[0] = 0 }
            LogSpace.normalize(&logs)
            return Scenario.Reference(name: "ref\(index + 1)", weight: 0.5 + random.nextUnit(), logProbabilities: logs)
        }
        return Scenario(title: "Synthetic: \(n) responses, \(k) references (seed \(seed))",
                        beta: beta, responses: (0..<n).map { "y\($0)" }, rewards: rewards, references: references)
    }
}

/// A small, fast, seedable pseudo-random generator (SplitMix64) whose sequence is the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal draw (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let u = max(nextUnit(), 0x1p-53)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * nextUnit())
    }
}
