extension CoverageLab {
    /// The two gaps the lab measures (see `CoverageLab`).
    public enum Gap: String, CaseIterable, Sendable {
        /// `max J(π; r) − J(π̂; r) ≥ 0`, MATH.md eq. (7).
        case suboptimality
        /// `|max J(π; r) − max J(π; r̂ + c)|`, MATH.md eq. (5).
        case optimality
    }

    /// One gap over the seeds of one `m`: the samples and their summary.
    public struct GapStatistics: Sendable, Equatable {
        /// One value per seed, in seed order.
        public let samples: [Double]
        /// The mean over the seeds.
        public let mean: Double
        /// The smallest sample.
        public let minimum: Double
        /// The first quartile; all quartiles interpolate linearly between order statistics.
        public let lowerQuartile: Double
        /// The second quartile.
        public let median: Double
        /// The third quartile.
        public let upperQuartile: Double
        /// The largest sample.
        public let maximum: Double
        /// The 95% interval of the mean over the seeds, `mean ± 1.96` standard errors (normal
        /// approximation, sample variance with `n − 1`); nil with one seed, where the spread is undefined.
        public let meanInterval: ClosedRange<Double>?

        /// Summarises `samples` (at least one).
        public init(_ samples: [Double]) {
            precondition(!samples.isEmpty, "statistics of no samples")
            self.samples = samples
            let sorted = samples.sorted()
            func quantile(_ p: Double) -> Double {
                let position = p * Double(sorted.count - 1)
                let below = Int(position.rounded(.down)), above = Int(position.rounded(.up))
                return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
            }
            mean = samples.reduce(0, +) / Double(samples.count)
            minimum = sorted[0]
            lowerQuartile = quantile(0.25)
            median = quantile(0.5)
            upperQuartile = quantile(0.75)
            maximum = sorted[sorted.count - 1]
            if samples.count > 1 {
                let mean = mean, n = Double(samples.count)
                let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
                let half = 1.96 * (variance / n).squareRoot()
                meanInterval = (mean - half)...(mean + half)
            } else {
                meanInterval = nil
            }
        }
    }

    /// Both gaps of one method at one `m`.
    public struct MethodStep: Sendable, Equatable {
        /// The method measured.
        public let method: KLMethod
        /// `max J(π; r) − J(π̂; r)` over the seeds.
        public let suboptimality: GapStatistics
        /// `|max J(π; r) − max J(π; r̂ + c)|` over the seeds.
        public let optimality: GapStatistics

        /// The statistics of `gap`.
        public func statistics(_ gap: Gap) -> GapStatistics {
            gap == .suboptimality ? suboptimality : optimality
        }
    }

    /// How well one sampler's comparisons covered one response at one `m`, over the seeds.
    public struct ResponseCoverage: Sendable, Equatable {
        /// The mean number of times it was drawn (of the `2m` draws).
        public let meanDraws: Double
        /// The fraction of seeds in which it was compared with a different response.
        public let comparedFraction: Double
        /// The mean of `|r̂(y) + c − r(y)|` over those seeds (`c` centres `r̂` on the compared
        /// responses); nil when it was never compared.
        public let meanAbsoluteError: Double?
    }

    /// One sampler's fits at one `m`.
    public struct SamplerStep: Sendable, Equatable {
        /// The sampler the comparisons were drawn from.
        public let sampler: Sampler
        /// Coverage of every response.
        public let responses: [ResponseCoverage]
        /// The most Newton iterations any seed's fit took.
        public let maximumIterations: Int
        /// The largest final gradient norm of any seed's fit.
        public let maximumGradientNorm: Double
    }

    /// Everything measured at one `m`.
    public struct Step: Sendable, Equatable {
        /// `m`.
        public let pairCount: Int
        /// One entry per measured method, in `Report.methods` order.
        public let methods: [MethodStep]
        /// One entry per sampler in use, in `Report.samplers` order.
        public let samplers: [SamplerStep]

        /// The results of `method`, nil when it is not measured.
        public func method(_ method: KLMethod) -> MethodStep? { methods.first { $0.method == method } }
    }

    /// A sampler in use: which methods draw from it, its probabilities and the responses it never draws.
    public struct SamplerUse: Sendable, Equatable {
        /// The sampling policy.
        public let sampler: Sampler
        /// The methods trained on its comparisons, in `KLMethod.allCases` order.
        public let methods: [KLMethod]
        /// Its probability of each response.
        public let probabilities: [Double]
        /// The responses it gives probability 0: never compared, their `r̂` stays 0.
        public let neverSampled: [Int]
    }

    /// Why a method is not measured.
    public enum Omission: Sendable, Equatable {
        /// The support intersection is empty: RKL and MRPO are undefined.
        case emptyIntersection
        /// The method's sampler (`π_G`) does not exist, the intersection being empty.
        case samplerMissing(Sampler)
    }

    /// The lab's results so far (all of them once `isComplete`).
    public struct Report: Sendable, Equatable {
        /// What was asked for.
        public let configuration: Configuration
        /// The methods measured, in `KLMethod.allCases` order.
        public let methods: [KLMethod]
        /// The methods not measured, and why.
        public let omitted: [(method: KLMethod, reason: Omission)]
        /// The samplers in use, in order of the first method using each.
        public let samplers: [SamplerUse]
        /// `max J(π; r)` of each measured method, in the objective it is judged by.
        public let optimalValues: [KLMethod: Double]
        /// The mass each measured method's true optimum puts on responses its sampler never draws.
        public let optimumMassNeverSampled: [KLMethod: Double]
        /// `β KL(π_MRPO ‖ π*_RKL)` with the true reward, nil when `I` is empty: where MRPO's sub-optimality gap levels off.
        public let mrpoGap: Double?
        /// One step per finished `m`, in grid order.
        public let steps: [Step]

        /// The measured methods whose true optimum puts more than 10⁻⁹ of its mass on responses
        /// their sampler never draws: their sub-optimality gap levels off instead of shrinking.
        public var uncovered: [KLMethod] { methods.filter { (optimumMassNeverSampled[$0] ?? 0) > 1e-9 } }

        /// Whether every `m` of the grid has been measured.
        public var isComplete: Bool { steps.count == configuration.pairCounts.count }

        /// Equal when every field is (the omissions compared pairwise).
        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.configuration == rhs.configuration && lhs.methods == rhs.methods
                && lhs.omitted.elementsEqual(rhs.omitted) { $0.method == $1.method && $0.reason == $1.reason }
                && lhs.samplers == rhs.samplers && lhs.optimalValues == rhs.optimalValues
                && lhs.optimumMassNeverSampled == rhs.optimumMassNeverSampled && lhs.mrpoGap == rhs.mrpoGap
                && lhs.steps == rhs.steps
        }

        init(plan: Plan, steps: [Step]) {
            configuration = plan.configuration
            methods = plan.methods
            omitted = plan.omitted
            samplers = plan.samplers
            optimalValues = Dictionary(uniqueKeysWithValues: zip(plan.methods, plan.optimalValues))
            optimumMassNeverSampled = plan.optimumMassNeverSampled
            mrpoGap = plan.truth.mrpoGap
            self.steps = steps
        }

        /// The fitted slope of `log(mean gap)` against `log m` over the finished steps with
        /// `m ≥ fitFrom`; nil when fewer than two of them have a positive mean gap.
        public func slope(_ method: KLMethod, _ gap: Gap, fitFrom: Int = 1) -> Double? {
            CoverageLab.logLogSlope(steps.compactMap { step in
                step.pairCount < fitFrom ? nil : step.method(method).map { (Double(step.pairCount), $0.statistics(gap).mean) }
            })
        }

        /// What the run shows beyond its numbers, in the order a report words them
        /// (`LabFinding`): undefined methods, missing samplers, responses never sampled, optima
        /// the samplers miss, MRPO's shortfall, then (with two steps or more) the slopes against
        /// the paper's claims and every slope whose interval excludes the theory's value.
        public func findings(fitFrom: Int = 1) -> [LabFinding] {
            var findings: [LabFinding] = []
            let undefined = omitted.filter { $0.reason == .emptyIntersection }.map(\.method)
            if !undefined.isEmpty { findings.append(.undefined(undefined, measured: methods)) }
            for case let (method, .samplerMissing(sampler)) in omitted {
                findings.append(.samplerMissing(method, sampler))
            }
            for use in samplers where !use.neverSampled.isEmpty {
                findings.append(.neverSampled(use.sampler, methods: use.methods, responses: use.neverSampled))
            }
            for method in uncovered {
                findings.append(.optimumNotCovered(method, mass: optimumMassNeverSampled[method] ?? 0))
            }
            if methods.contains(.mrpo), let mrpoGap, mrpoGap > 1e-12 {
                findings.append(.mrpoShortfall(mrpoGap))
            }
            guard steps.count >= 2 else { return findings }
            if let rkl = slope(.reverseKL, .suboptimality, fitFrom: fitFrom), let fkl = slope(.forwardKL, .suboptimality, fitFrom: fitFrom) {
                findings.append(.suboptimalitySlopes(reverseKL: rkl, forwardKL: fkl, stalled: uncovered.filter { $0 != .mrpo }))
            }
            if let rkl = slope(.reverseKL, .optimality, fitFrom: fitFrom), let fkl = slope(.forwardKL, .optimality, fitFrom: fitFrom) {
                findings.append(.optimalitySlopes(reverseKL: rkl, forwardKL: fkl))
            }
            for method in methods {
                for gap in CoverageLab.Gap.allCases {
                    guard let estimate = slopeEstimate(method, gap, fitFrom: fitFrom), !estimate.covers(CoverageLab.theorySlope(gap)) else { continue }
                    let reason: LabFinding.SlopeReason =
                        gap == .suboptimality && uncovered.contains(method) ? .samplerMissesOptimum
                        : gap == .suboptimality && method == .mrpo && (mrpoGap ?? 0) > 1e-12 ? .tendsToMRPOGap
                        : .shortOfLargeM
                    findings.append(.slopeExcludesTheory(method, gap, estimate, reason: reason))
                }
            }
            return findings
        }
    }
}
