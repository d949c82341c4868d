/// One thing a coverage lab run shows beyond its numbers (`CoverageLab.Report.findings`), as
/// data: the reports (`klscope lab`, the lab view) word it.
public enum LabFinding: Sendable, Equatable {
    /// Why a slope's interval excludes the theory's value.
    public enum SlopeReason: Sendable, Equatable {
        /// The method's sampler misses part of its optimum, so the gap levels off.
        case samplerMissesOptimum
        /// MRPO's sub-optimality gap tends to the MRPO gap, not to 0.
        case tendsToMRPOGap
        /// The range of m is likely short of the large-m regime.
        case shortOfLargeM
    }

    /// The support intersection is empty: these methods are undefined; `measured` are run alone.
    case undefined([KLMethod], measured: [KLMethod])
    /// The method's chosen sampler does not exist (empty intersection): the method is not measured.
    case samplerMissing(KLMethod, CoverageLab.Sampler)
    /// The sampler of `methods` never drew these responses: their fitted reward stays at 0.
    case neverSampled(CoverageLab.Sampler, methods: [KLMethod], responses: [Int])
    /// The method's optimum puts `mass` on responses its sampler never draws.
    case optimumNotCovered(KLMethod, mass: Double)
    /// MRPO, judged in the exact RKL objective, falls short by the MRPO gap even with the true reward.
    case mrpoShortfall(Double)
    /// The sub-optimality slopes of RKL and FKL against the paper's claim; `stalled` methods level
    /// off for want of coverage.
    case suboptimalitySlopes(reverseKL: Double, forwardKL: Double, stalled: [KLMethod])
    /// The optimality slopes of RKL and FKL (the paper gives both about −1/2).
    case optimalitySlopes(reverseKL: Double, forwardKL: Double)
    /// The slope of `method`'s `gap` has a 95% interval that excludes the theory's value.
    case slopeExcludesTheory(KLMethod, CoverageLab.Gap, CoverageLab.SlopeEstimate, reason: SlopeReason)
}
