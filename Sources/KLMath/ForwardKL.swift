#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The forward-KL regularised optimum `π = β ref / (λ − r)` for one (possibly mixed)
/// reference, including mass that escapes the reference's support
/// (MATH.md, "Forward-KL regularised objective").
public enum ForwardKL {
    /// The optimum and how it was found.
    public struct Solution: Sendable, Equatable {
        /// `π*_FKL`.
        public let policy: Policy
        /// The normalising root `λ` (equal to the best outside reward when mass escapes).
        public let lambda: Double
        /// `λ − max_{y∈U} r(y)`, kept separately because `λ` itself can lose the digits that matter.
        public let lambdaAboveTopReward: Double
        /// The mass placed on responses outside the reference's support (0 when none escapes).
        public let escapedMass: Double
        /// Newton (or bisection) iterations used to find the root on `U`.
        public let iterations: Int
    }

    /// The stopping tolerance on `|f(λ) − 1|`.
    public static let tolerance = 1e-13
    /// The iteration cap; the safeguarded Newton iteration needs far fewer.
    public static let maximumIterations = 60

    /// Solves `max E_π[r] − β KL(ref ‖ π)` for a normalised reference given in log space
    /// (and, to save the exponentials, optionally in linear space too).
    public static func solve(logReference: [Double], probabilities: [Double]? = nil, rewards: [Double], beta: Double) -> Solution {
        let n = logReference.count
        // Compact the support: reference mass and reward gap below the top reward on U.
        var topReward = -Double.infinity
        for y in 0..<n where logReference[y] > -.infinity && rewards[y] > topReward { topReward = rewards[y] }
        precondition(topReward > -.infinity, "the reference has no support")
        var mass: [Double] = []
        var gap: [Double] = []
        var topMass = CompensatedSum()
        var meanGap = CompensatedSum()
        for y in 0..<n where logReference[y] > -.infinity {
            let a = probabilities?[y] ?? exp(logReference[y])
            let d = topReward - rewards[y]
            mass.append(a)
            gap.append(d)
            if d == 0 { topMass.add(a) }
            meanGap.add(a * d)
        }

        // f(δ) = Σ β a/(δ + d) and its derivative, with δ = λ − r_U. Blocks of plain sums
        // joined by a compensated sum keep f accurate to ~1e-15 for millions of terms.
        func evaluate(_ delta: Double) -> (f: Double, slope: Double) {
            var f = CompensatedSum()
            var slope = 0.0
            var start = 0
            while start < mass.count {
                let end = min(start + 256, mass.count)
                var block = 0.0
                for i in start..<end {
                    let denominator = delta + gap[i]
                    let term = mass[i] / denominator
                    block += term
                    slope -= term / denominator
                }
                f.add(block)
                start = end
            }
            return (beta * f.value, beta * slope)
        }

        // Bracket [max(β A_top, E_A[r] + β − r_U), β]: f ≥ 1 at the left end, f ≤ 1 at the right.
        var low = max(exp(log(beta) + log(topMass.value)), beta - meanGap.value, Double.leastNonzeroMagnitude)
        var high = beta
        var left = evaluate(low)
        var delta = low
        var residual = abs(left.f - 1)
        var sumAtDelta = left.f
        var bisectNext = false
        var iterations = 0
        while residual > tolerance && iterations < maximumIterations {
            iterations += 1
            // Newton on 1/f(δ) = 1 from the left end: 1/f is concave and increasing, so the step
            // never overshoots the root, and it is exact when one term dominates f.
            var next = low + left.f * (left.f - 1) / -left.slope
            if bisectNext || !(next > low && next < high) {
                next = (high / low > 4) ? (low * high).squareRoot() : 0.5 * (low + high)
            }
            guard next > low && next < high else { break }  // the bracket is down to adjacent doubles
            let point = evaluate(next)
            if point.f > 1 {
                // Still left of the root: if Newton barely reduced the residual, bisect next time,
                // which halves the bracket's width (in log scale when it spans orders of magnitude).
                bisectNext = point.f - 1 > 0.25 * (left.f - 1)
                low = next
                left = point
            } else {
                high = next
                bisectNext = false
            }
            if abs(point.f - 1) < residual {
                residual = abs(point.f - 1)
                delta = next
                sumAtDelta = point.f
            }
        }
        // Mass escapes when an unsupported response beats the root found on the support.
        var outsideReward = -Double.infinity
        for y in 0..<n where logReference[y] == -.infinity && rewards[y] > outsideReward { outsideReward = rewards[y] }
        let escapes = outsideReward - topReward > delta
        if escapes {
            delta = outsideReward - topReward
            sumAtDelta = evaluate(delta).f
        }

        var logs = [Double](repeating: -.infinity, count: n)
        let logBeta = log(beta)
        // Without escape, divide by f so the policy sums to one to the last bit.
        let logCorrection = escapes ? 0 : log(sumAtDelta)
        for y in 0..<n where logReference[y] > -.infinity {
            logs[y] = logBeta + logReference[y] - log(delta + (topReward - rewards[y])) - logCorrection
        }
        var escapedMass = 0.0
        if escapes {
            escapedMass = max(0, 1 - sumAtDelta)
            let winners = (0..<n).filter { logReference[$0] == -.infinity && rewards[$0] == outsideReward }
            let logShare = log(escapedMass / Double(winners.count))
            for y in winners { logs[y] = logShare }
        }
        return Solution(
            policy: Policy(logProbabilities: logs),
            lambda: topReward + delta,
            lambdaAboveTopReward: delta,
            escapedMass: escapedMass,
            iterations: iterations
        )
    }

    /// The multi-reference optimum: the single-reference problem with reference `π_A`.
    public static func solve(_ problem: Problem, mixture: Policy) -> Solution {
        solve(logReference: mixture.logProbabilities, rewards: problem.rewards, beta: problem.beta)
    }

    /// The single-reference optimum for reference `k` (given in linear space too, if at hand).
    public static func solveSingle(_ problem: Problem, reference k: Int, probabilities: [Double]? = nil) -> Solution {
        solve(logReference: problem.logReferences[k], probabilities: probabilities, rewards: problem.rewards, beta: problem.beta)
    }
}
