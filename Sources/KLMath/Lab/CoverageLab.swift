/// The coverage lab (MATH.md, "Sample complexity"): how fast a policy trained on `m`
/// preference comparisons approaches the optimum, per regulariser, measured by simulation.
///
/// For every `m` on a grid and every seed: draw `m` pairs from the method's sampling policy,
/// label them with Bradley–Terry on the true reward, fit `r̂` (`RewardFit`), solve with `r̂`,
/// and measure against the true reward
/// * the sub-optimality gap `max J(π; r) − J(π̂; r) ≥ 0`, in the exact objective of the method
///   (`J_RKL` for RKL and MRPO, `J_FKL` for FKL), and
/// * the optimality gap `|max J(π; r) − max J(π; r̂ + c)|` in the method's own objective (for MRPO,
///   its surrogate `E_π[r] − β KL(π ‖ π_H)`). Bradley–Terry identifies a reward only up to a
///   constant and `max J` moves one-for-one with it, so `r̂` is first shifted by the constant `c`
///   that matches it to `r` on average over the compared responses (0 when none was compared).
///   The shift does not change `π̂`, nor the sub-optimality gap.
///
/// Reproducible: the generator of `(m, seed index)` is seeded with
/// `SplitMix64.derivedSeed(baseSeed, m, seed index)`, so results depend neither on the grid
/// around `m` nor on how the seeds are scheduled on the cores, and every sampler starts from that
/// same seed (common random numbers: methods sharing a sampler see the same comparisons). The
/// draws are the same on every machine; the numbers computed from them agree to the last bit
/// wherever the C library's `exp` and `log` do.
public enum CoverageLab {
    /// The policy comparisons are drawn from.
    public enum Sampler: Hashable, Sendable {
        /// The generalized escort `π_G` (exists only when the intersection is not empty).
        case escort
        /// The mixture `π_A`.
        case mixture
        /// Reference `k`, whatever its weight.
        case reference(Int)

        /// `π_G`, `π_A` (their `PolicyName` symbols) or the reference's name.
        public func label(referenceNames: [String]) -> String {
            switch self {
            case .escort, .mixture: PolicyName.of(policyID)?.symbol ?? ""
            case .reference(let k): referenceNames[k]
            }
        }

        /// The policy pairs are drawn from.
        public var policyID: PolicyID {
            switch self {
            case .escort: .escort
            case .mixture: .mixture
            case .reference(let k): .reference(k)
            }
        }
    }

    /// What to measure: the grid of pair counts, the seeds and the samplers.
    public struct Configuration: Sendable, Equatable {
        /// The values of `m`, ascending and distinct, each at least 1.
        public var pairCounts: [Int]
        /// The number of seeds per `m`, at least 1.
        public var seeds: Int
        /// The seed every run's generator is derived from.
        public var baseSeed: UInt64
        /// The sampler of each method.
        public var samplers: [KLMethod: Sampler]
        /// The ridge strength `λ` of the reward fit.
        public var ridge: Double
        /// When set, `R > 0`: every fitted reward is clipped to `[−R, R]` (the paper's bounded
        /// reward, Assumption 4.1) before the policy is solved.
        public var rewardBound: Double?

        /// The defaults reach the large-m regime and stay interactive: 6 values of `m` from 1,000 to
        /// 100,000, 100 seeds (slope intervals about ±0.05 on the examples), the paper's samplers.
        public init(pairCounts: [Int] = Configuration.logGrid(from: 1_000, to: 100_000, steps: 6), seeds: Int = 100,
                    baseSeed: UInt64 = 1, samplers: [KLMethod: Sampler] = [:], ridge: Double = RewardFit.defaultRidge,
                    rewardBound: Double? = nil) {
            self.pairCounts = pairCounts
            self.seeds = seeds
            self.baseSeed = baseSeed
            self.samplers = samplers
            self.ridge = ridge
            self.rewardBound = rewardBound
        }

        /// The sampler of `method`: the configured one, else the method's default.
        public func sampler(for method: KLMethod) -> Sampler { samplers[method] ?? method.defaultSampler }

        /// `steps` integers from `low` to `high`, evenly spaced in log scale, rounded, duplicates removed.
        public static func logGrid(from low: Int, to high: Int, steps: Int) -> [Int] {
            precondition(low >= 1 && high >= low && steps >= 1, "a grid needs 1 ≤ low ≤ high and at least one step")
            guard steps > 1, high > low else { return [low] }
            let ratio = log(Double(high) / Double(low))
            let values = (0..<steps).map { i in
                i == steps - 1 ? high : Int((Double(low) * exp(ratio * Double(i) / Double(steps - 1))).rounded())
            }
            return values.enumerated().compactMap { i, value in i > 0 && value == values[i - 1] ? nil : value }
        }
    }

    /// The largest response set the lab accepts: each Newton step factorises a dense Hessian
    /// on the compared responses, `O(n³)`.
    public static let maximumResponses = 200

    /// A sub-optimality gap below zero by at most this much relative to `max(1, |max J|)` is rounding and becomes 0.
    public static let roundingTolerance = 1e-12

    /// `gap`, with rounding-level negatives (see `roundingTolerance`) replaced by 0; any larger
    /// negative is left for the tests to catch.
    public static func clampRounding(_ gap: Double, optimum: Double) -> Double {
        gap < 0 && gap >= -roundingTolerance * max(1, abs(optimum)) ? 0 : gap
    }

    /// Runs the lab on `problem`. Seeds run in parallel on all cores; after each `m`, `progress`
    /// receives the report so far (on the calling thread). `isCancelled` is polled before each
    /// run; once it returns true the lab stops and returns nil.
    ///
    /// - Precondition: `pairCounts` ascending, distinct and positive; `seeds ≥ 1`; `ridge > 0`;
    ///   at most `maximumResponses` responses.
    public static func run(_ problem: Problem, configuration: Configuration,
                           isCancelled: @Sendable () -> Bool = { false },
                           progress: (Report) -> Void = { _ in }) -> Report? {
        let counts = configuration.pairCounts
        precondition(!counts.isEmpty && counts[0] >= 1 && zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 },
                     "pair counts are positive, distinct and ascending")
        precondition(configuration.seeds >= 1, "at least one seed")
        precondition(problem.responseCount <= maximumResponses, "the lab takes at most \(maximumResponses) responses")
        let plan = Plan(problem, configuration)
        var report = Report(plan: plan, steps: [])
        for m in counts {
            guard !isCancelled() else { return nil }
            let outcomes = Parallel.map(configuration.seeds, parallel: true) { seedIndex in
                isCancelled() ? nil : plan.measure(pairs: m, seedIndex: seedIndex)
            }
            let finished = outcomes.compactMap { $0 }
            guard finished.count == outcomes.count else { return nil }
            report = Report(plan: plan, steps: report.steps + [plan.summarise(pairs: m, finished)])
            progress(report)
        }
        return report
    }

    /// The least-squares slope of `log y` against `log x`, over the points with positive finite
    /// `y`; nil when fewer than two distinct `x` remain.
    public static func logLogSlope(_ points: [(x: Double, y: Double)]) -> Double? {
        let kept = points.filter { $0.x > 0 && $0.y > 0 && $0.y.isFinite }.map { (log($0.x), log($0.y)) }
        guard Set(kept.map(\.0)).count >= 2 else { return nil }
        let meanX = kept.reduce(0) { $0 + $1.0 } / Double(kept.count)
        let meanY = kept.reduce(0) { $0 + $1.1 } / Double(kept.count)
        var covariance = 0.0, variance = 0.0
        for (x, y) in kept {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        return covariance / variance
    }
}
