/// One labelled comparison: `winner ≻ loser`. A response drawn twice is compared with itself
/// (`winner == loser`), which carries no information about the reward.
public struct Comparison: Sendable, Equatable {
    /// The index of the preferred response.
    public let winner: Int
    /// The index of the other response.
    public let loser: Int

    /// `winner ≻ loser`.
    public init(winner: Int, loser: Int) {
        self.winner = winner
        self.loser = loser
    }
}

/// The Bradley–Terry preference model: `P(y ≻ y') = σ(r(y) − r(y'))`.
public enum BradleyTerry {
    /// `σ(x) = 1 / (1 + e^{−x})`, exact to rounding for every finite `x` (no overflow, no NaN).
    public static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// `log σ(x) = −log(1 + e^{−x})`, accurate for large `|x|` in both directions.
    public static func logSigmoid(_ x: Double) -> Double {
        x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x))
    }

    /// Labels the pair `(first, second)`: `first` wins with probability `σ(r(first) − r(second))`.
    public static func label(_ first: Int, _ second: Int, rewards: [Double], using generator: inout SplitMix64) -> Comparison {
        let firstWins = generator.nextUnit() < sigmoid(rewards[first] - rewards[second])
        return firstWins ? Comparison(winner: first, loser: second) : Comparison(winner: second, loser: first)
    }

    /// `count` comparisons: each a pair drawn from `sampler`, then labelled with the true `rewards`.
    public static func comparisons(_ count: Int, from sampler: PairSampler, rewards: [Double],
                                   using generator: inout SplitMix64) -> [Comparison] {
        (0..<count).map { _ in
            let pair = sampler.drawPair(using: &generator)
            return label(pair.first, pair.second, rewards: rewards, using: &generator)
        }
    }
}
