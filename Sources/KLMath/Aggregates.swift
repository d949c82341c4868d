#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ways of combining several references into one (MATH.md, "Aggregated references").
///
/// All are computed from log-probabilities; inactive references (weight zero) take no part.
public enum Aggregates {
    /// The escort of one policy with exponent `t > 0`: `π^t / Σ π^t`.
    public static func escort(_ policy: Policy, exponent t: Double) -> Policy {
        precondition(t > 0, "the escort exponent is positive")
        var logs = policy.logProbabilities.map { $0 * t }
        LogSpace.normalize(&logs)
        return Policy(logProbabilities: logs)
    }

    /// The unnormalised log weighted geometric mean `Σ_k α_k log π_k(y)` on `I`, `-∞` off it.
    public static func logGeometricMean(_ problem: Problem, on intersection: [Bool]) -> [Double] {
        let active = problem.activeReferences
        var result = [Double](repeating: -.infinity, count: problem.responseCount)
        for y in 0..<problem.responseCount where intersection[y] {
            var sum = 0.0
            for k in active { sum += problem.weights[k] * problem.logReferences[k][y] }
            result[y] = sum
        }
        return result
    }

    /// The generalized escort `π_G = Π π_k^{α_k} / F` and `log F`, or nil when `I` is empty.
    public static func generalizedEscort(_ problem: Problem, supports: Supports) -> (policy: Policy, logF: Double)? {
        var logs = logGeometricMean(problem, on: supports.intersection)
        let logF = LogSpace.normalize(&logs)
        guard logF.isFinite else { return nil }
        return (Policy(logProbabilities: logs), logF)
    }

    /// The weighted arithmetic mixture `π_A = Σ α_k π_k`, supported on `U`.
    public static func mixture(_ problem: Problem) -> Policy {
        let active = problem.activeReferences
        let logWeights = problem.weights.map { log($0) }
        var result = [Double](repeating: -.infinity, count: problem.responseCount)
        var terms = [Double](repeating: 0, count: active.count)
        for y in 0..<problem.responseCount {
            for (slot, k) in active.enumerated() { terms[slot] = logWeights[k] + problem.logReferences[k][y] }
            result[y] = LogSpace.logSumExp(terms)
        }
        return Policy(logProbabilities: result)
    }

    /// MRPO's virtual reference, the normalised weighted harmonic mean
    /// `π_H ∝ (Σ α_k / π_k)^{-1}` on `I`, or nil when `I` is empty.
    public static func harmonicMean(_ problem: Problem, supports: Supports) -> Policy? {
        let active = problem.activeReferences
        let logWeights = problem.weights.map { log($0) }
        var result = [Double](repeating: -.infinity, count: problem.responseCount)
        var terms = [Double](repeating: 0, count: active.count)
        for y in 0..<problem.responseCount where supports.intersection[y] {
            for (slot, k) in active.enumerated() { terms[slot] = logWeights[k] - problem.logReferences[k][y] }
            result[y] = -LogSpace.logSumExp(terms)
        }
        guard LogSpace.normalize(&result).isFinite else { return nil }
        return Policy(logProbabilities: result)
    }
}
