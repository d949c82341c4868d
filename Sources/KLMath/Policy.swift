/// A probability distribution over the responses, kept as log-probabilities
/// (`-∞` for responses it gives no mass).
public struct Policy: Sendable, Equatable {
    /// `log π(y)` for every response.
    public var logProbabilities: [Double]

    public init(logProbabilities: [Double]) {
        self.logProbabilities = logProbabilities
    }

    /// Builds a policy from probabilities (zeros become `-∞`).
    public init(probabilities: [Double]) {
        self.logProbabilities = LogSpace.logs(of: probabilities)
    }

    /// `π(y)` for every response.
    public var probabilities: [Double] { LogSpace.exps(of: logProbabilities) }

    /// `π(y)` for one response.
    public func probability(_ index: Int) -> Double { exp(logProbabilities[index]) }

    /// Which responses get positive mass.
    public var support: [Bool] { logProbabilities.map { $0 > -.infinity } }

    /// The number of responses.
    public var count: Int { logProbabilities.count }
}
