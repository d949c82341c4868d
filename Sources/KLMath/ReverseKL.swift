/// The reverse-KL regularised optimum for one (possibly aggregated) reference
/// (MATH.md, "Reverse-KL regularised objective").
public enum ReverseKL {
    /// The tilted policy `π ∝ ref · exp(r/β)` and `β log Σ_y ref(y) exp(r(y)/β)`.
    ///
    /// The exponent is formed as `log ref(y) + (r(y) − r_max)/β`, so responses tied at the
    /// top reward keep their reference ratio exactly even when `r/β` is astronomically large.
    /// `logReference` need not be normalised: the value is then `β log Σ exp(logReference + r/β)`,
    /// which is what `max J_RKL` needs with the unnormalised geometric mean.
    /// Returns nil when the reference has no support.
    public static func tilt(logReference: [Double], rewards: [Double], beta: Double) -> (policy: Policy, value: Double)? {
        var logs = logReference
        return tilt(&logs, rewards: rewards, beta: beta)
    }

    /// `tilt` in place: `logs` (the reference) becomes the tilted policy, with no second array.
    static func tilt(_ logs: inout [Double], rewards: [Double], beta: Double) -> (policy: Policy, value: Double)? {
        guard let topReward = topReward(logReference: logs, rewards: rewards) else { return nil }
        // One pass adds the exponent (a `-∞` entry stays `-∞`) and finds the largest result.
        typealias Lanes = SIMD4<Double>
        var largest = -Double.infinity
        logs.withUnsafeMutableBufferPointer { logs in
            rewards.withUnsafeBufferPointer { rewards in
                let raw = UnsafeMutableRawPointer(logs.baseAddress!), rewardBytes = UnsafeRawPointer(rewards.baseAddress!)
                let stride = MemoryLayout<Double>.stride
                let top = Lanes(repeating: topReward), scale = Lanes(repeating: beta)
                var lanes = Lanes(repeating: -.infinity)
                var y = 0
                while y + 4 <= logs.count {
                    let tilted = raw.loadUnaligned(fromByteOffset: y * stride, as: Lanes.self)
                        + (rewardBytes.loadUnaligned(fromByteOffset: y * stride, as: Lanes.self) - top) / scale
                    raw.storeBytes(of: tilted, toByteOffset: y * stride, as: Lanes.self)
                    lanes = lanes.largest(tilted)
                    y += 4
                }
                largest = lanes.max()
                while y < logs.count {
                    logs[y] += (rewards[y] - topReward) / beta
                    largest = max(largest, logs[y])
                    y += 1
                }
            }
        }
        let normaliser = LogSpace.normalize(&logs, maximum: largest)
        return (Policy(logProbabilities: logs), topReward + beta * normaliser)
    }

    /// The value of `tilt` without the policy: two passes over the responses and no storage.
    public static func tiltValue(logReference: [Double], rewards: [Double], beta: Double) -> Double? {
        guard let topReward = topReward(logReference: logReference, rewards: rewards) else { return nil }
        let normaliser = LogSpace.logSumExp(count: logReference.count) { y in
            logReference[y] + (rewards[y] - topReward) / beta
        }
        return topReward + beta * normaliser
    }

    /// The largest reward on the reference's support, nil when it has none.
    private static func topReward(logReference: [Double], rewards: [Double]) -> Double? {
        let topReward = Supports.topRewards(logReference: logReference, rewards: rewards).top
        return topReward > -.infinity ? topReward : nil
    }

    /// `π*_RKL ∝ π_G exp(r/β)` and `max J_RKL = β log Σ_y Π_k π_k(y)^{α_k} exp(r(y)/β)`, tilted from
    /// the normalised escort (`max J_RKL` is its tilt value plus `β log F`), or nil when the
    /// intersection is empty (no escort).
    public static func solve(_ problem: Problem, escort: (policy: Policy, logF: Double)?) -> (policy: Policy, value: Double)? {
        guard let escort else { return nil }
        var logs = escort.policy.logProbabilities
        guard let tilted = tilt(&logs, rewards: problem.rewards, beta: problem.beta) else { return nil }
        return (tilted.policy, tilted.value + problem.beta * escort.logF)
    }

    /// The single-reference optimum `π*_k ∝ π_k exp(r/β)` with `max J_k = β log Σ π_k exp(r/β)`.
    public static func solveSingle(_ problem: Problem, reference k: Int) -> (policy: Policy, value: Double) {
        guard let tilted = tilt(logReference: problem.logReferences[k], rewards: problem.rewards, beta: problem.beta) else {
            preconditionFailure("reference \(k) has no support")
        }
        return tilted
    }

    /// `max J_k = β log Σ_y π_k(y) exp(r(y)/β)` for every reference, without storing the optima:
    /// with `w(y) = exp((r(y) − r_max)/β)`, exponentials shared by all references,
    /// `max J_k = r_max + β log Σ_y π_k(y) w(y)`, a dot product with the references in linear
    /// space (`probabilities`). `w` is made for a block of responses at a time (no array of n).
    /// Where a sum is below `1e-290` (terms lost to underflow could then matter: `β` tiny and
    /// `π_k`'s best rewards far below `r_max`) that reference is done in log space, with its own top reward.
    public static func singleValues(_ problem: Problem, probabilities: [[Double]]) -> [Double] {
        let rewards = problem.rewards, beta = problem.beta, n = rewards.count
        let topReward = rewards.max()!
        let blockSize = 1024
        var weights = [Double](repeating: 0, count: min(n, blockSize))
        var sums = [CompensatedSum](repeating: CompensatedSum(), count: probabilities.count)
        var start = 0
        while start < n {
            let end = min(start + blockSize, n)
            for y in start..<end { weights[y - start] = (rewards[y] - topReward) / beta }
            weights.withUnsafeMutableBufferPointer { VectorMath.exp(UnsafeMutableBufferPointer(rebasing: $0[0..<(end - start)])) }
            for k in probabilities.indices {
                sums[k].add(dot(probabilities[k], from: start, weights, count: end - start))
            }
            start = end
        }
        return sums.indices.map { k in
            let sum = sums[k].value
            if sum >= 1e-290 { return topReward + beta * log(sum) }
            guard let value = tiltValue(logReference: problem.logReferences[k], rewards: rewards, beta: beta) else {
                preconditionFailure("reference \(k) has no support")
            }
            return value
        }
    }

    /// `Σ_i a(start + i) b(i)` for `i < count`, four lanes at a time (the compiler vectorises them).
    static func dot(_ a: [Double], from start: Int, _ b: [Double], count: Int) -> Double {
        typealias Lanes = SIMD4<Double>
        return a.withUnsafeBytes { aBytes in
            b.withUnsafeBytes { bBytes in
                let stride = MemoryLayout<Double>.stride
                var lanes = Lanes()
                var i = 0
                while i + 4 <= count {
                    lanes += aBytes.loadUnaligned(fromByteOffset: (start + i) * stride, as: Lanes.self)
                        * bBytes.loadUnaligned(fromByteOffset: i * stride, as: Lanes.self)
                    i += 4
                }
                var tail = 0.0
                while i < count {
                    tail += a[start + i] * b[i]
                    i += 1
                }
                return lanes.sum() + tail
            }
        }
    }
}
