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

/// The generator now lives in KLMath (the coverage lab draws from it); this alias keeps it
/// visible to code that imports only KLScenario.
public typealias SplitMix64 = KLMath.SplitMix64
