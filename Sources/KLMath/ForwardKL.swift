import CLibc

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
        /// Halley (or bisection) iterations used to find the root on `U`.
        public let iterations: Int
    }

    /// The stopping tolerance on `|f(λ) − 1|`.
    public static let tolerance = 1e-13
    /// The iteration cap; the safeguarded Halley iteration needs far fewer.
    public static let maximumIterations = 60

    /// Solves `max E_π[r] − β KL(ref ‖ π)` for a normalised reference given in log space
    /// (and, to save the exponentials, optionally in linear space too).
    public static func solve(logReference: [Double], probabilities: [Double]? = nil, rewards: [Double], beta: Double) -> Solution {
        let root = Root(logReference: logReference, probabilities: probabilities, rewards: rewards, beta: beta)
        let n = logReference.count
        let logs = [Double](unsafeUninitializedCapacity: n) { logs, count in
            root.forEachBlock(rewards) { block, logShifted in
                for y in block {
                    logs[y] = root.logProbability(logReference: logReference[y], reward: rewards[y],
                                                  logShifted: logShifted[y - block.lowerBound])
                }
            }
            count = n
        }
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
        let mass = probabilities ?? VectorMath.exp(logReference)
        let root = Root(logReference: logReference, probabilities: mass, rewards: rewards, beta: beta)
        var expectedReward = CompensatedSum()
        var divergence = CompensatedSum()
        // Off the top reward, π(y) = β a(y) / ((δ + d(y)) f) and log(a/π) = log(δ + d) − log β + log f:
        // one logarithm per response, a block at a time, and the sums in `klscope_forward_value_sums`.
        // The top responses (d = 0, δ possibly below any double) stay in log space, and those and
        // the escaped responses, which the kernel hands back, are added here one at a time.
        let offset = root.logCorrection - root.logBeta
        let scale = exp(root.logBeta - root.logCorrection)
        let escapeReward = root.escapeReward ?? .nan
        var others = [Int32](repeating: 0, count: VectorMath.blockSize)
        root.forEachBlock(rewards) { block, logShifted in
            var reward = 0.0, penalty = 0.0
            let found = logReference.withUnsafeBufferPointer { logs in
                rewards.withUnsafeBufferPointer { rewardValues in
                    mass.withUnsafeBufferPointer { massValues in
                        klscope_forward_value_sums(logs.baseAddress! + block.lowerBound, rewardValues.baseAddress! + block.lowerBound,
                                                   massValues.baseAddress! + block.lowerBound, logShifted.baseAddress!, block.count,
                                                   root.topReward, root.delta, offset, escapeReward, &reward, &penalty, &others)
                    }
                }
            }
            reward *= scale
            for index in others.prefix(found) {
                let y = block.lowerBound + Int(index)
                if logReference[y] == -.infinity {
                    reward += exp(root.logEscapeShare) * rewards[y]
                } else {
                    let logP = root.logProbability(logReference: logReference[y], reward: rewards[y], logShifted: root.logDelta)
                    reward += exp(logP) * rewards[y]
                    penalty += mass[y] * (logReference[y] - logP)
                }
            }
            expectedReward.add(reward)
            divergence.add(penalty)
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
        /// Halley (or bisection) iterations used.
        let iterations: Int

        /// `log π*(y)` for a response with `log ref(y)` and reward `r(y)`, given `log(δ + d(y))`
        /// (`logShifted`, from `forEachBlock`; not read at the top reward, where it is `log δ`).
        func logProbability(logReference: Double, reward: Double, logShifted: Double) -> Double {
            if logReference > -.infinity {
                let logDenominator = topReward - reward == 0 ? logDelta : logShifted
                return logBeta + logReference - logDenominator - logCorrection
            }
            return reward == escapeReward ? logEscapeShare : -.infinity
        }

        /// Runs `body` on consecutive blocks of the responses with `log(δ + d(y))`, `d = r_U − r`,
        /// for each response of the block (a vector of logarithms at a time). Where `d ≤ 0`, which
        /// `logProbability` does not read, it holds 0 instead (the logarithm of a negative number
        /// would take the vector routine's slow path).
        func forEachBlock(_ rewards: [Double], _ body: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) {
            VectorMath.forEachBlock(count: rewards.count) { block, logShifted in
                rewards.withUnsafeBufferPointer { rewards in
                    klscope_shifted_gaps(rewards.baseAddress! + block.lowerBound, block.count, topReward, delta, logShifted.baseAddress!)
                }
                VectorMath.log(logShifted)
                body(block, logShifted)
            }
        }

        init(logReference: [Double], probabilities: [Double]?, rewards: [Double], beta: Double) {
            let logBeta = log(beta)
            // The responses at the top reward (d = 0) keep their mass in log space, because it may
            // be far below the smallest double; the rest enter f in linear space, from the given
            // probabilities or from one array of exponentials (no compacted copies: at vocabulary
            // scale each array of n doubles is megabytes).
            let (topReward, outsideReward) = Supports.topRewards(logReference: logReference, rewards: rewards)
            precondition(topReward > -.infinity, "the reference has no support")
            let mass = probabilities ?? VectorMath.exp(logReference)
            let (meanGap, topLogs) = ForwardKL.meanGap(topReward: topReward, logReference: logReference, mass: mass, rewards: rewards)
            let logTopTerm = logBeta + LogSpace.logSumExp(topLogs)  // log(β A_top)

            // f = β A_top/δ + Σ β a/(δ + d), its slope df/du = δ f' and its curvature q = δ² f''/2 as
            // functions of u = log δ, δ = λ − r_U, so that δ may be smaller than any double. Only
            // d > 0 enters the sums (`klscope_inverse_sums`): d = 0 is the top term and d < 0 only
            // off the support, where a = 0. Blocks of plain sums joined by a compensated sum keep f
            // accurate to ~1e-15 for millions of terms.
            func evaluate(_ u: Double) -> (f: Double, slope: Double, curvature: Double) {
                let delta = exp(u)
                let top = exp(logTopTerm - u)
                let sums = klscope_inverse_sums(mass, rewards, rewards.count, topReward, delta)
                return (top + beta * sums.inverses, -top - delta * beta * sums.squares, top + delta * delta * beta * sums.cubes)
            }

            // Bracket δ in [max(β A_top, E_A[r] + β − r_U), β]: f ≥ 1 at the left end, f ≤ 1 at the right.
            let meanSlack = beta - meanGap
            var low = max(logTopTerm, meanSlack > 0 ? log(meanSlack) : -.infinity)
            var high = logBeta
            var point = evaluate(low)  // the point last evaluated, at u = `at`
            var at = low
            var u = low
            var residual = abs(point.f - 1)
            var sumAtRoot = point.f
            var bisectNext = false
            var iterations = 0
            while residual > tolerance && iterations < maximumIterations {
                iterations += 1
                // Halley's step on 1/f(δ) = 1 from the last point. 1/f is concave and increasing in δ
                // (f f'' ≥ 2 f'² by Cauchy–Schwarz), so Newton's step from the left never overshoots the
                // root, and it is exact when one term dominates f; Halley's, which lengthens Newton's
                // step from the left by the curvature (and shortens it from the right), triples the
                // correct digits where Newton doubles them, and its overshoot is as small. In u it reads
                // u + log(1 + s/(1 + t)), s = f(f − 1)/(−df/du), t = (f − 1)(1 − f q/(df/du)²) (kept
                // above −1/2). The bracket [low, high] shrinks with every point, and bisection in u
                // (geometric in δ) takes over from a step that leaves it or barely reduced |f − 1|.
                let newton = point.f * (point.f - 1) / -point.slope
                let lengthening = (point.f - 1) * (1 - point.f * point.curvature / (point.slope * point.slope))
                var next = at + log1p(newton / (1 + (lengthening.isFinite ? max(-0.5, lengthening) : 0)))
                if bisectNext || !(next > low && next < high) { next = 0.5 * (low + high) }
                guard next > low && next < high else { break }  // the bracket is down to adjacent doubles
                let previous = point
                point = evaluate(next)
                at = next
                if point.f > 1 { low = next } else { high = next }
                bisectNext = abs(point.f - 1) > 0.25 * abs(previous.f - 1)
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
            let outsideWinners = escapes ? zip(logReference, rewards).reduce(0) { $0 + ($1.0 == -.infinity && $1.1 == outsideReward ? 1 : 0) } : 0

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

    /// `E_A[r_U − r] = Σ a (r_U − r)` over the responses below the top reward, in blocks of plain
    /// sums joined by a compensated sum (`klscope_mean_gap`), and the log-probabilities of the
    /// supported responses at the top reward (whose mass may be below any double).
    static func meanGap(topReward: Double, logReference: [Double], mass: [Double], rewards: [Double]) -> (Double, topLogs: [Double]) {
        var capacity = 16
        while true {
            var found = 0
            var indices = [Int](repeating: 0, count: capacity)
            let gap = klscope_mean_gap(logReference, mass, rewards, rewards.count, topReward, &indices, capacity, &found)
            if found <= capacity { return (gap, indices.prefix(found).map { logReference[$0] }) }
            capacity = found
        }
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
