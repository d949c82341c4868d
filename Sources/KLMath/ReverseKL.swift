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
        for y in logs.indices where logs[y] > -.infinity {
            logs[y] += (rewards[y] - topReward) / beta
        }
        let normaliser = LogSpace.normalize(&logs)
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
        var topReward = -Double.infinity
        for y in logReference.indices where logReference[y] > -.infinity && rewards[y] > topReward {
            topReward = rewards[y]
        }
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

    /// `max J_k = β log Σ π_k exp(r/β)` without storing the optimum.
    public static func singleValue(_ problem: Problem, reference k: Int) -> Double {
        guard let value = tiltValue(logReference: problem.logReferences[k], rewards: problem.rewards, beta: problem.beta) else {
            preconditionFailure("reference \(k) has no support")
        }
        return value
    }
}
