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
        let root = Root(logReference: logReference, probabilities: probabilities, rewards: rewards, beta: beta)
        let logs = logReference.indices.map { root.logProbability(logReference: logReference[$0], reward: rewards[$0]) }
        return Solution(
            policy: Policy(logProbabilities: logs),
            lambda: root.topReward + root.delta,
            lambdaAboveTopReward: root.delta,
            escapedMass: root.escapedMass,
            iterations: root.iterations
        )
    }

    /// `max E_π[r] − β KL(ref ‖ π)` without storing the optimum: one pass over the responses
    /// after the root is found, for the single-reference bounds.
    public static func value(logReference: [Double], probabilities: [Double]? = nil, rewards: [Double], beta: Double) -> Double {
        let root = Root(logReference: logReference, probabilities: probabilities, rewards: rewards, beta: beta)
        var expectedReward = CompensatedSum()
        var divergence = CompensatedSum()
        // Off the top reward, π(y) = β a(y) / ((δ + d(y)) f) and log(a/π) = log(δ + d) − log β + log f:
        // one logarithm per response. The top responses (d = 0, δ possibly below any double) stay in log space.
        let offset = root.logCorrection - root.logBeta
        let scale = exp(root.logBeta - root.logCorrection)
        for y in logReference.indices {
            let logA = logReference[y]
            if logA == -.infinity {
                if rewards[y] == root.escapeReward { expectedReward.add(exp(root.logEscapeShare) * rewards[y]) }
                continue
            }
            let a = probabilities?[y] ?? exp(logA)
            let d = root.topReward - rewards[y]
            if d == 0 {
                let logP = root.logProbability(logReference: logA, reward: rewards[y])
                expectedReward.add(exp(logP) * rewards[y])
                divergence.add(a * (logA - logP))
            } else {
                let denominator = root.delta + d
                expectedReward.add(scale * a / denominator * rewards[y])
                divergence.add(a * (log(denominator) + offset))
            }
        }
        return expectedReward.value - beta * max(0, divergence.value)
    }

    /// The normalising root of `Σ_y β ref(y)/(λ − r(y)) = 1` and what else the optimum needs,
    /// so that `π*(y)` can be evaluated for any response without storing the whole policy.
    struct Root {
        /// `log β`.
        let logBeta: Double
        /// The largest reward on the reference's support, `r_U`.
        let topReward: Double
        /// `log δ` with `δ = λ − r_U`, kept in log space because `δ` may be below the smallest double.
        let logDelta: Double
        /// `δ` itself (0 when it underflows; the top responses then use `logDelta`).
        let delta: Double
        /// `log f` at the root, subtracted so the policy sums to one to the last bit (0 when mass escapes).
        let logCorrection: Double
        /// The best reward off the support when mass escapes to it, else nil.
        let escapeReward: Double?
        /// `log` of the escaped mass's share on each response at `escapeReward`.
        let logEscapeShare: Double
        /// The mass placed outside the support.
        let escapedMass: Double
        /// Newton (or bisection) iterations used.
        let iterations: Int

        /// `log π*(y)` for a response with `log ref(y)` and reward `r(y)`.
        func logProbability(logReference: Double, reward: Double) -> Double {
            if logReference > -.infinity {
                let d = topReward - reward
                let logDenominator = d == 0 ? logDelta : log(delta + d)
                return logBeta + logReference - logDenominator - logCorrection
            }
            return reward == escapeReward ? logEscapeShare : -.infinity
        }

        init(logReference: [Double], probabilities: [Double]?, rewards: [Double], beta: Double) {
            let n = logReference.count
            let logBeta = log(beta)
            // The responses at the top reward (d = 0) keep their mass in log space, because it may
            // be far below the smallest double; the rest enter f in linear space, from the given
            // probabilities or from one array of exponentials (no compacted copies: at vocabulary
            // scale each array of n doubles is megabytes).
            // One pass finds the top reward on the support and the best one off it (and how many share it).
            var topReward = -Double.infinity
            var outsideReward = -Double.infinity
            var outsideWinners = 0
            for y in 0..<n {
                let reward = rewards[y]
                if logReference[y] > -.infinity {
                    topReward = max(topReward, reward)
                } else if reward >= outsideReward {
                    outsideWinners = reward == outsideReward ? outsideWinners + 1 : 1
                    outsideReward = reward
                }
            }
            precondition(topReward > -.infinity, "the reference has no support")
            let mass = probabilities ?? LogSpace.exps(of: logReference)
            var topLogs: [Double] = []
            // E_A[r_U − r] in blocks of plain sums joined by a compensated sum (d = 0 adds nothing).
            var meanGap = CompensatedSum()
            var start = 0
            while start < n {
                let end = min(start + 256, n)
                var block = 0.0
                for y in start..<end {
                    let d = topReward - rewards[y]
                    if d == 0 && logReference[y] > -.infinity { topLogs.append(logReference[y]) }
                    block += d > 0 ? mass[y] * d : 0
                }
                meanGap.add(block)
                start = end
            }
            let logTopTerm = logBeta + LogSpace.logSumExp(topLogs)  // log(β A_top)

            // f = β A_top/δ + Σ β a/(δ + d) and df/du as functions of u = log δ, δ = λ − r_U, so that
            // δ may be smaller than any double. Only d > 0 enters the sum: d = 0 is the top term and
            // d < 0 only off the support, where a = 0. Blocks of plain sums joined by a compensated
            // sum keep f accurate to ~1e-15 for millions of terms.
            func evaluate(_ u: Double) -> (f: Double, slope: Double) {
                let delta = exp(u)
                let top = exp(logTopTerm - u)
                let sums = ForwardKL.inverseSums(delta: delta, topReward: topReward, mass: mass, rewards: rewards)
                return (top + beta * sums.sum, -top - delta * beta * sums.slope)
            }

            // Bracket δ in [max(β A_top, E_A[r] + β − r_U), β]: f ≥ 1 at the left end, f ≤ 1 at the right.
            let meanSlack = beta - meanGap.value
            var low = max(logTopTerm, meanSlack > 0 ? log(meanSlack) : -.infinity)
            var high = logBeta
            var left = evaluate(low)
            var u = low
            var residual = abs(left.f - 1)
            var sumAtRoot = left.f
            var bisectNext = false
            var iterations = 0
            while residual > tolerance && iterations < maximumIterations {
                iterations += 1
                // Newton on 1/f(δ) = 1 from the left end: 1/f is concave and increasing in δ, so the
                // step never overshoots the root, and it is exact when one term dominates f. In u it
                // reads u + log(1 + f(f − 1)/(−df/du)). Bisection in u (geometric in δ) guards it.
                var next = low + log1p(left.f * (left.f - 1) / -left.slope)
                if bisectNext || !(next > low && next < high) { next = 0.5 * (low + high) }
                guard next > low && next < high else { break }  // the bracket is down to adjacent doubles
                let point = evaluate(next)
                if point.f > 1 {
                    // Still left of the root: if Newton barely reduced the residual, bisect next time.
                    bisectNext = point.f - 1 > 0.25 * (left.f - 1)
                    low = next
                    left = point
                } else {
                    high = next
                    bisectNext = false
                }
                if abs(point.f - 1) < residual {
                    residual = abs(point.f - 1)
                    u = next
                    sumAtRoot = point.f
                }
            }
            // Mass escapes when an unsupported response beats the root found on the support.
            let escapes = outsideReward > topReward && log(outsideReward - topReward) > u
            if escapes {
                u = log(outsideReward - topReward)
                sumAtRoot = evaluate(u).f
            }
            let escapedMass = escapes ? max(0, 1 - sumAtRoot) : 0

            self.logBeta = logBeta
            self.topReward = topReward
            logDelta = u
            delta = exp(u)
            // Without escape, divide by f so the policy sums to one to the last bit.
            logCorrection = escapes ? 0 : log(sumAtRoot)
            escapeReward = escapes ? outsideReward : nil
            logEscapeShare = escapes ? log(escapedMass / Double(outsideWinners)) : -.infinity
            self.escapedMass = escapedMass
            self.iterations = iterations
        }
    }

    /// `Σ a/(δ + d)` and `Σ a/(δ + d)²` over the responses with `d = r_U − r > 0`, the part of
    /// `f` and of its slope that takes a pass over the responses. Four lanes at a time without
    /// branches (the compiler vectorises them), in blocks of plain sums joined by a compensated
    /// sum, which keeps `f` accurate to ~1e-15 for millions of terms.
    static func inverseSums(delta: Double, topReward: Double, mass: [Double], rewards: [Double]) -> (sum: Double, slope: Double) {
        typealias Lanes = SIMD4<Double>
        let n = rewards.count
        var sum = CompensatedSum()
        var slope = Lanes()
        let top = Lanes(repeating: topReward), shift = Lanes(repeating: delta)
        mass.withUnsafeBytes { massBytes in
            rewards.withUnsafeBytes { rewardBytes in
                func lanes(_ bytes: UnsafeRawBufferPointer, _ y: Int) -> Lanes {
                    bytes.loadUnaligned(fromByteOffset: y * MemoryLayout<Double>.stride, as: Lanes.self)
                }
                var start = 0
                while start < n {
                    let end = min(start + 256, n)
                    var block = Lanes()
                    var y = start
                    while y + 4 <= end {
                        let d = top - lanes(rewardBytes, y)
                        let off = d .<= 0
                        let inverse = 1 / (shift + d.replacing(with: 1, where: off))
                        let term = (lanes(massBytes, y) * inverse).replacing(with: 0, where: off)
                        block += term
                        slope += term * inverse
                        y += 4
                    }
                    var tail = 0.0
                    while y < end {
                        let d = topReward - rewards[y]
                        if d > 0 {
                            let inverse = 1 / (delta + d)
                            tail += mass[y] * inverse
                            slope[0] += mass[y] * inverse * inverse
                        }
                        y += 1
                    }
                    sum.add(block.sum() + tail)
                    start = end
                }
            }
        }
        return (sum.value, slope.sum())
    }

    /// The multi-reference optimum: the single-reference problem with reference `π_A`.
    public static func solve(_ problem: Problem, mixture: Policy) -> Solution {
        solve(logReference: mixture.logProbabilities, rewards: problem.rewards, beta: problem.beta)
    }

    /// The single-reference optimum for reference `k` (given in linear space too, if at hand).
    public static func solveSingle(_ problem: Problem, reference k: Int, probabilities: [Double]? = nil) -> Solution {
        solve(logReference: problem.logReferences[k], probabilities: probabilities, rewards: problem.rewards, beta: problem.beta)
    }

    /// `max J_FKL,k`, the single-reference optimum's value, without storing the optimum.
    public static func singleValue(_ problem: Problem, reference k: Int, probabilities: [Double]? = nil) -> Double {
        value(logReference: problem.logReferences[k], probabilities: probabilities, rewards: problem.rewards, beta: problem.beta)
    }
}
