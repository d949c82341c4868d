import CLibc

/// The ways of combining several references into one (MATH.md, "Aggregated references").
///
/// All results are log-probabilities; inactive references (weight zero) take no part.
/// Where every active reference is above `e^-700` the sums run in linear space (exact to
/// rounding, and far cheaper); otherwise they fall back to log-sum-exp.
public enum Aggregates {
    /// Below this log-probability linear-space sums could underflow.
    static let linearFloor = -700.0

    /// The escort of one policy with exponent `t > 0`: `π^t / Σ π^t`.
    public static func escort(_ policy: Policy, exponent t: Double) -> Policy {
        precondition(t > 0, "the escort exponent is positive")
        var logs = policy.logProbabilities.map { $0 * t }
        LogSpace.normalize(&logs)
        return Policy(logProbabilities: logs)
    }

    /// The unnormalised log weighted geometric mean `Σ_k α_k log π_k(y)` on `I`, `-∞` off it.
    public static func logGeometricMean(_ problem: Problem, on intersection: [Bool]) -> [Double] {
        let n = problem.responseCount
        var result = [Double](repeating: 0, count: n)
        result.withUnsafeMutableBufferPointer { result in
            // Reference by reference over the whole array (the compiler vectorises the inner loop);
            // off I some term is −∞ and the mask below sets the sum to −∞ whatever the order.
            for k in problem.activeReferences {
                let weight = problem.weights[k]
                problem.logReferences[k].withUnsafeBufferPointer { logs in
                    for y in 0..<n { result[y] += weight * logs[y] }
                }
            }
            intersection.withUnsafeBufferPointer { intersection in
                for y in 0..<n where !intersection[y] { result[y] = -.infinity }
            }
        }
        return result
    }

    /// The one active reference's log-probabilities, when only one has weight: then π_G, π_A and
    /// π_H are that reference exactly (and `F = 1`), so its divergence from them is exactly 0.
    static func soleActiveReference(_ problem: Problem) -> [Double]? {
        let active = problem.activeReferences
        return active.count == 1 ? problem.logReferences[active[0]] : nil
    }

    /// The generalized escort `π_G = Π π_k^{α_k} / F` and `log F`, or nil when `I` is empty.
    public static func generalizedEscort(_ problem: Problem, supports: Supports) -> (policy: Policy, logF: Double)? {
        if let sole = soleActiveReference(problem) { return (Policy(logProbabilities: sole), 0) }
        var logs = logGeometricMean(problem, on: supports.intersection)
        let logF = LogSpace.normalize(&logs)
        guard logF.isFinite else { return nil }
        return (Policy(logProbabilities: logs), logF)
    }

    /// The weighted arithmetic mixture `π_A = Σ α_k π_k`, supported on `U`.
    /// `probabilities`, if given, are the references in linear space (`exp` of `problem.logReferences`).
    public static func mixture(_ problem: Problem, probabilities: [[Double]]? = nil) -> Policy {
        if let sole = soleActiveReference(problem) { return Policy(logProbabilities: sole) }
        let probabilities = probabilities ?? problem.logReferences.map(VectorMath.exp)
        return Policy(logProbabilities: logMean(.arithmetic, problem, probabilities: probabilities, on: nil))
    }

    /// MRPO's virtual reference, the normalised weighted harmonic mean
    /// `π_H ∝ (Σ α_k / π_k)^{-1}` on `I`, or nil when `I` is empty.
    public static func harmonicMean(_ problem: Problem, supports: Supports, probabilities: [[Double]]? = nil) -> Policy? {
        if let sole = soleActiveReference(problem) { return Policy(logProbabilities: sole) }
        let probabilities = probabilities ?? problem.logReferences.map(VectorMath.exp)
        var result = logMean(.harmonic, problem, probabilities: probabilities, on: supports.intersection)
        guard LogSpace.normalize(&result).isFinite else { return nil }
        return Policy(logProbabilities: result)
    }

    /// The two weighted means summed in linear space.
    private enum Mean {
        /// `Σ_k α_k π_k`.
        case arithmetic
        /// `(Σ_k α_k / π_k)^{-1}` (unnormalised).
        case harmonic
    }

    /// The log of `mean` of the active references for every response in `included` (every
    /// response when nil; `-∞` elsewhere): summed in linear space a block of responses at a time
    /// (`klscope_accumulate_mean`, four lanes at a time), with one vector of logarithms per block. A response where some active
    /// term could underflow (`log α_k + log π_k(y)` below `linearFloor` for the arithmetic mean,
    /// `log π_k(y)` for the harmonic) is computed in log space with log-sum-exp instead.
    private static func logMean(_ mean: Mean, _ problem: Problem, probabilities: [[Double]], on included: [Bool]?) -> [Double] {
        let active = problem.activeReferences
        let n = problem.responseCount
        let logWeights = problem.weights.map { log($0) }
        let floorShifts = mean == .arithmetic ? logWeights : [Double](repeating: 0, count: problem.referenceCount)
        func isUnsafe(_ k: Int, _ logP: Double) -> Bool { logP > -.infinity && floorShifts[k] + logP < linearFloor }
        func inLogSpace(_ y: Int) -> Double {
            switch mean {
            case .arithmetic: LogSpace.logSumExp(active.map { logWeights[$0] + problem.logReferences[$0][y] })
            case .harmonic: -LogSpace.logSumExp(active.map { logWeights[$0] - problem.logReferences[$0][y] })
            }
        }
        var result = [Double](repeating: -.infinity, count: n)
        result.withUnsafeMutableBufferPointer { result in
            VectorMath.forEachBlock(count: n) { block, sums in
                sums.update(repeating: 0)
                var nearUnderflow = false
                for k in active {
                    let lowest = probabilities[k].withUnsafeBufferPointer { p in
                        problem.logReferences[k].withUnsafeBufferPointer { logP in
                            klscope_accumulate_mean(sums.baseAddress!, p.baseAddress! + block.lowerBound, logP.baseAddress! + block.lowerBound,
                                                    block.count, problem.weights[k], mean == .harmonic ? 1 : 0)
                        }
                    }
                    if floorShifts[k] + lowest < linearFloor { nearUnderflow = true }
                }
                VectorMath.log(sums)
                let sign = mean == .arithmetic ? 1.0 : -1.0
                guard nearUnderflow else {
                    // The common case: no term near underflow, so every mean comes from the sums.
                    if let included {
                        included.withUnsafeBufferPointer { included in
                            for y in block where included[y] { result[y] = sign * sums[y - block.lowerBound] }
                        }
                    } else {
                        for y in block { result[y] = sign * sums[y - block.lowerBound] }
                    }
                    return
                }
                for y in block where included?[y] ?? true {
                    if active.contains(where: { isUnsafe($0, problem.logReferences[$0][y]) }) {
                        result[y] = inLogSpace(y)
                    } else {
                        result[y] = sign * sums[y - block.lowerBound]
                    }
                }
            }
        }
        return result
    }
}

/// Everything the references and their weights determine, independent of `β` and the reward:
/// the supports, `π_G` with `log F`, `π_A`, `π_H`, and the references in linear space.
/// A solve reuses it while only `β` or the rewards change (the explorer's commonest edit).
public struct ReferenceAggregates: Sendable {
    /// The references and normalised weights these aggregates were computed from.
    public let logReferences: [[Double]]
    public let weights: [Double]
    /// `exp` of each reference.
    public let probabilities: [[Double]]
    public let supports: Supports
    /// `π_G` and `log F`, nil when `I` is empty.
    public let escort: (policy: Policy, logF: Double)?
    public let mixture: Policy
    /// `π_H`, nil when `I` is empty.
    public let harmonic: Policy?

    /// Computes the aggregates of `problem`'s references and weights.
    public init(_ problem: Problem) {
        logReferences = problem.logReferences
        weights = problem.weights
        let probabilities = Parallel.map(problem.referenceCount, parallel: problem.responseCount >= Parallel.threshold) {
            VectorMath.exp(problem.logReferences[$0])
        }
        self.probabilities = probabilities
        let supports = Supports(problem)
        self.supports = supports
        let large = problem.responseCount >= Parallel.threshold
        let pieces = Parallel.map(3, parallel: large) { piece -> AggregatePiece in
            switch piece {
            case 0: .escort(Aggregates.generalizedEscort(problem, supports: supports))
            case 1: .mixture(Aggregates.mixture(problem, probabilities: probabilities))
            default: .harmonic(Aggregates.harmonicMean(problem, supports: supports, probabilities: probabilities))
            }
        }
        var escort: (policy: Policy, logF: Double)?
        var mixture = Policy(logProbabilities: [])
        var harmonic: Policy?
        for piece in pieces {
            switch piece {
            case .escort(let value): escort = value
            case .mixture(let value): mixture = value
            case .harmonic(let value): harmonic = value
            }
        }
        self.escort = escort
        self.mixture = mixture
        self.harmonic = harmonic
    }

    /// Whether these aggregates belong to `problem` (same references and weights).
    public func matches(_ problem: Problem) -> Bool {
        weights == problem.weights && logReferences == problem.logReferences
    }
}

/// One result of the parallel aggregate computation.
private enum AggregatePiece: Sendable {
    case escort((policy: Policy, logF: Double)?)
    case mixture(Policy)
    case harmonic(Policy?)
}
