import KLMath

/// A scenario as the user edits it: labels, rewards, named references, weights, `β`,
/// and the instructor's notes. It converts to the pure `Problem` the solver takes.
public struct Scenario: Sendable, Equatable {
    /// One reference model: its name, relative weight and log-probabilities (`-∞` for zero).
    public struct Reference: Sendable, Equatable {
        public var name: String
        /// Relative weight as written in the file (normalised in `problem`).
        public var weight: Double
        /// `log π_k(y)` for every response.
        public var logProbabilities: [Double]

        public init(name: String, weight: Double, logProbabilities: [Double]) {
            self.name = name
            self.weight = weight
            self.logProbabilities = logProbabilities
        }
    }

    public var title: String
    public var notes: String
    public var beta: Double
    public var responses: [String]
    public var rewards: [Double]
    public var references: [Reference]
    /// Whether the file asked for renormalisation (`normalize: true`).
    public var normalize: Bool
    /// Human-readable notices produced while loading, e.g.
    /// `reference "chat": probabilities summed to 0.98; renormalised`.
    public var loadNotices: [String]

    public init(title: String, notes: String = "", beta: Double, responses: [String], rewards: [Double],
                references: [Reference], normalize: Bool = false, loadNotices: [String] = []) {
        self.title = title
        self.notes = notes
        self.beta = beta
        self.responses = responses
        self.rewards = rewards
        self.references = references
        self.normalize = normalize
        self.loadNotices = loadNotices
    }

    /// The weights normalised to sum to one, in reference order.
    public var normalizedWeights: [Double] { Problem.normalized(references.map(\.weight)) }

    /// The pure mathematical problem this scenario describes.
    public var problem: Problem {
        Problem(rewards: rewards, logReferences: references.map(\.logProbabilities),
                weights: references.map(\.weight), beta: beta)
    }
}
