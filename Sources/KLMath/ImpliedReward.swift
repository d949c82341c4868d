/// The DPO view (MATH.md, "DPO view"): the reward a policy implies, up to a constant.
public enum ImpliedReward {
    /// `r̂(y) = β log(π(y)/π_G(y))` on the support of both; nil elsewhere.
    public static func reverseKL(_ policy: Policy, escort: Policy, beta: Double) -> [Double?] {
        policy.logProbabilities.indices.map { y in
            let p = policy.logProbabilities[y], g = escort.logProbabilities[y]
            return p > -.infinity && g > -.infinity ? beta * (p - g) : nil
        }
    }

    /// `r̂(y) = λ − β π_A(y)/π(y)` on the support of `π`; nil elsewhere.
    /// With `λ = 0` this is the reward up to the constant MATH.md leaves free.
    public static func forwardKL(_ policy: Policy, mixture: Policy, beta: Double, lambda: Double = 0) -> [Double?] {
        policy.logProbabilities.indices.map { y in
            let p = policy.logProbabilities[y]
            return p > -.infinity ? lambda - beta * exp(mixture.logProbabilities[y] - p) : nil
        }
    }
}
