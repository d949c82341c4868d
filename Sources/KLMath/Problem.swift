/// One KL-regularised alignment problem: a finite response set with a reward,
/// `K` reference policies given as log-probabilities, their weights, and `β`.
///
/// Construct it from validated data (the scenario loader does the validation and
/// reports errors in words); the initialiser only checks shapes and normalises the weights.
public struct Problem: Sendable, Equatable {
    /// `r(y)` for every response.
    public var rewards: [Double]
    /// `log π_k(y)`, one array per reference, `-∞` where `π_k(y) = 0`.
    public var logReferences: [[Double]]
    /// `α_k`, non-negative and summing to one.
    public private(set) var weights: [Double]
    /// The regularisation strength `β > 0`.
    public var beta: Double

    /// Creates a problem; `weights` are relative and are normalised to sum to one.
    ///
    /// - Precondition: at least one response and one reference, equal lengths,
    ///   non-negative weights with a positive sum, `β > 0`.
    public init(rewards: [Double], logReferences: [[Double]], weights: [Double], beta: Double) {
        precondition(!rewards.isEmpty, "a problem needs at least one response")
        precondition(!logReferences.isEmpty && logReferences.count == weights.count,
                     "one weight per reference")
        precondition(logReferences.allSatisfy { $0.count == rewards.count },
                     "every reference covers every response")
        precondition(beta > 0, "β must be positive")
        self.rewards = rewards
        self.logReferences = logReferences
        self.weights = Problem.normalized(weights)
        self.beta = beta
    }

    /// The values of `β` klscope accepts: a margin around the tested 1e-9…1e9, beyond which
    /// the answers would lose their digits (or, at 5e-324, their meaning).
    public static let betaRange: ClosedRange<Double> = 1e-10...1e10
    /// The largest reward magnitude klscope accepts (MATH.md tests ±1e6).
    public static let rewardLimit = 1e9

    /// The number of responses `n`.
    public var responseCount: Int { rewards.count }
    /// The number of references `K`.
    public var referenceCount: Int { logReferences.count }
    /// The indices of the references with positive weight; the others are off.
    public var activeReferences: [Int] { weights.indices.filter { weights[$0] > 0 } }

    /// Replaces the weights (relative; normalised to sum to one).
    public mutating func setWeights(_ newWeights: [Double]) {
        precondition(newWeights.count == referenceCount, "one weight per reference")
        weights = Problem.normalized(newWeights)
    }

    /// Relative weights scaled to sum to one.
    public static func normalized(_ weights: [Double]) -> [Double] {
        precondition(weights.allSatisfy { $0 >= 0 && $0.isFinite }, "weights are finite and non-negative")
        let total = weights.reduce(0, +)
        precondition(total > 0, "at least one weight is positive")
        return weights.map { $0 / total }
    }
}
