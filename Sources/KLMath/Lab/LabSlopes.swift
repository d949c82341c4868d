extension CoverageLab {
    /// A fitted log–log slope with its 95% bootstrap interval over seeds (MATH.md, "Slopes with uncertainty").
    public struct SlopeEstimate: Sendable, Equatable {
        /// The least-squares slope of `log(mean gap)` against `log m` over the fitted `m`.
        public let slope: Double
        /// The 2.5th percentile of the bootstrap slopes.
        public let lower: Double
        /// The 97.5th percentile of the bootstrap slopes.
        public let upper: Double
        /// The values of `m` the fit used (`m ≥` the fit's start).
        public let pairCounts: [Int]

        /// Whether `value` lies in `[lower, upper]`.
        public func covers(_ value: Double) -> Bool { lower <= value && value <= upper }
    }

    /// The slope the large-m theory gives a gap: −1 for the sub-optimality gap (`1/m`), −1/2 for the optimality gap (`1/√m`).
    public static func theorySlope(_ gap: Gap) -> Double { gap == .suboptimality ? -1 : -0.5 }

    /// The bootstrap resamples behind every interval: enough for stable 2.5/97.5 percentiles, cheap beside the run.
    public static let bootstrapResamples = 1000

    /// The slope of `log(mean)` against `log m` over the series `(m, samples over seeds)` with
    /// `m ≥ fitFrom`, and its 95% bootstrap interval: `resamples` times, resample the seeds at
    /// each `m` with replacement, take the means and refit; the interval is the 2.5th and 97.5th
    /// percentiles of the refitted slopes (resamples with fewer than two positive means are skipped).
    /// Deterministic: the resampling draws from `SplitMix64(seed:)`. Nil when fewer than two
    /// fitted `m` have a positive mean.
    public static func slopeEstimate(_ series: [(pairCount: Int, samples: [Double])], fitFrom: Int = 1,
                                     resamples: Int = bootstrapResamples, seed: UInt64 = 1) -> SlopeEstimate? {
        let fitted = series.filter { $0.pairCount >= fitFrom && !$0.samples.isEmpty }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        guard let slope = logLogSlope(fitted.map { (Double($0.pairCount), mean($0.samples)) }) else { return nil }
        var generator = SplitMix64(seed: seed)
        var slopes: [Double] = []
        slopes.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let points = fitted.map { point -> (x: Double, y: Double) in
                let n = point.samples.count
                var sum = 0.0
                for _ in 0..<n { sum += point.samples[min(n - 1, Int(generator.nextUnit() * Double(n)))] }
                return (Double(point.pairCount), sum / Double(n))
            }
            if let value = logLogSlope(points) { slopes.append(value) }
        }
        slopes.sort()
        func percentile(_ p: Double) -> Double {
            guard !slopes.isEmpty else { return slope }
            let position = p * Double(slopes.count - 1)
            let below = Int(position.rounded(.down)), above = Int(position.rounded(.up))
            return slopes[below] + (position - Double(below)) * (slopes[above] - slopes[below])
        }
        return SlopeEstimate(slope: slope, lower: min(slope, percentile(0.025)), upper: max(slope, percentile(0.975)),
                             pairCounts: fitted.map(\.pairCount))
    }
}

extension CoverageLab.Report {
    /// The slope of `method`'s mean `gap` over the finished steps with `m ≥ fitFrom`, with its 95% bootstrap interval.
    public func slopeEstimate(_ method: KLMethod, _ gap: CoverageLab.Gap, fitFrom: Int = 1) -> CoverageLab.SlopeEstimate? {
        CoverageLab.slopeEstimate(steps.compactMap { step in
            step.method(method).map { (step.pairCount, $0.statistics(gap).samples) }
        }, fitFrom: fitFrom, seed: configuration.baseSeed)
    }
}
