import KLMath
import KLScenario

/// The solution of one scenario revision and the statistics the view needs from it,
/// computed once per change of the problem (never per frame or per navigation key), so
/// that drawing only ever touches the responses on screen.
public struct Analysis: Sendable {
    /// The document revision this was computed for.
    public let revision: Int
    /// Every policy, root and value.
    public let solution: Solution
    /// The diagnostics of the numbers panel's policies that exist (`PolicyID.numbered`; none
    /// needing the intersection when it is empty).
    public let metrics: [PolicyID: PolicyMetrics]
    /// The largest probability of each series, to scale the bars.
    public let largestProbability: [PolicyID: Double]
    /// `|I|` and `|U|`.
    public let intersectionSize: Int
    public let unionSize: Int
    /// `|supp(π_k)|` for every reference.
    public let referenceSupportSizes: [Int]
    /// The length of the longest response label in UTF-8 bytes (an upper bound on its
    /// width that costs nothing to find, even for a hundred thousand labels).
    public let longestLabel: Int
    /// How many policies' diagnostics this analysis computed with a pass over the responses
    /// (the rest were carried over from the previous analysis or kept by the solve).
    let computedMetricsCount: Int
    /// The labels `longestLabel` was measured on and the rewards the metrics were computed
    /// with (both shared with the scenario, not copies).
    private let labels: [String]
    private let rewards: [Double]

    /// What a later analysis can take over without holding on to this one's policies.
    struct Carried: Sendable {
        let aggregates: ReferenceAggregates
        /// The metrics of the series that depend only on the references, and the rewards they saw.
        let referenceOnlyMetrics: [PolicyID: PolicyMetrics]
        /// The largest probabilities of those series and of the references, and the references' support sizes.
        let referenceOnlyLargest: [PolicyID: Double]
        let referenceSupportSizes: [Int]
        let rewards: [Double]
        let labels: [String]
        let longestLabel: Int
    }

    /// Whether a series' policy depends only on the references and weights (not on β or the rewards).
    private static func dependsOnReferencesOnly(_ series: PolicyID) -> Bool {
        switch series {
        case .reference, .escort, .mixture, .harmonic: true
        case .reverseKL, .forwardKL, .mrpo, .singleReverseKL, .singleForwardKL: false
        }
    }

    /// The parts of this analysis that do not depend on `β` or the rewards.
    var carried: Carried {
        Carried(aggregates: solution.aggregates,
                referenceOnlyMetrics: metrics.filter { Self.dependsOnReferencesOnly($0.key) },
                referenceOnlyLargest: largestProbability.filter { Self.dependsOnReferencesOnly($0.key) },
                referenceSupportSizes: referenceSupportSizes,
                rewards: rewards, labels: labels, longestLabel: longestLabel)
    }

    /// Solves `scenario` and gathers the statistics, reusing what an earlier analysis computed
    /// from the references (when only β or the rewards changed) and from the labels.
    init(_ scenario: Scenario, revision: Int, carrying carried: Carried? = nil) {
        self.revision = revision
        let problem = scenario.problem
        let solution = Solution(problem, reusing: carried?.aggregates)
        self.solution = solution
        // With the same references, the reference-only series keep their largest probabilities and
        // divergences; only the objectives (β) and, when the rewards changed, E[r] are recomputed.
        let reused = carried.flatMap { $0.aggregates.matches(problem) ? $0 : nil }
        var largest = reused?.referenceOnlyLargest ?? [:]
        for series in PolicyID.charted(referenceCount: scenario.references.count) where largest[series] == nil {
            guard let policy = solution.policy(series) else { continue }
            largest[series] = exp(LogSpace.maximum(policy.logProbabilities))
        }
        largestProbability = largest
        var known: [PolicyID: PolicyMetrics] = [:]
        if let reused {
            for (series, old) in reused.referenceOnlyMetrics {
                guard let policy = solution.policy(series) else { continue }
                let expectedReward = reused.rewards == problem.rewards
                    ? old.expectedReward : Divergence.expectation(policy.logProbabilities, of: problem.rewards)
                known[series] = old.rescored(for: problem, expectedReward: expectedReward)
            }
        }
        let missing = PolicyID.numbered(referenceCount: scenario.references.count).filter { largest[$0] != nil && known[$0] == nil }
        metrics = known.merging(Self.metrics(of: missing, in: solution)) { old, _ in old }
        computedMetricsCount = missing.filter { $0 != .forwardKL }.count
        rewards = problem.rewards
        intersectionSize = solution.supports.intersectionSize
        unionSize = solution.supports.unionSize
        referenceSupportSizes = reused?.referenceSupportSizes ?? scenario.references.map { reference in
            reference.logProbabilities.reduce(0) { $1 > -.infinity ? $0 + 1 : $0 }
        }
        labels = scenario.responses
        if let carried, carried.labels == labels {  // the same array buffer compares in O(1)
            longestLabel = carried.longestLabel
        } else {
            longestLabel = labels.reduce(0) { max($0, $1.utf8.count) }
        }
    }

    /// The diagnostics of each series, computed side by side on the available cores.
    private static func metrics(of series: [PolicyID], in solution: Solution) -> [PolicyID: PolicyMetrics] {
        Dictionary(uniqueKeysWithValues: zip(series, solution.metrics(series).map { $0! }))
    }

    /// `π(y)` for a series, or nil when the series does not exist (empty intersection).
    public func probability(_ series: PolicyID, _ y: Int) -> Double? {
        solution.policy(series).map { exp($0.logProbabilities[y]) }
    }

    /// How response `y` relates to the supports.
    public func support(_ y: Int) -> SupportMembership {
        if solution.supports.intersection[y] { return .intersection }
        return solution.supports.union[y] ? .unionOnly : .outside
    }

    /// Whether the forward-KL optimum puts mass on `y` although no active reference does.
    public func isEscaped(_ y: Int) -> Bool {
        !solution.supports.union[y] && solution.forwardKL.policy.logProbabilities[y] > -.infinity
    }
}

/// Where a response lies relative to the supports of the active references.
public enum SupportMembership: Sendable, Equatable {
    /// In `I`: every active reference supports it.
    case intersection
    /// In `U` but not `I`.
    case unionOnly
    /// Outside `U`: no active reference supports it.
    case outside
}
