import KLMath
import KLScenario
import Synchronization

/// What the chart sorts the responses by (`t` cycles): the file's order, the reward, or one
/// series' probability, largest first.
public enum SortKey: Sendable, Equatable {
    case file
    case reward
    case series(Series)

    /// The keys `t` steps through for a scenario with `referenceCount` references, in order.
    static func all(referenceCount: Int) -> [SortKey] {
        [.file, .reward] + Series.all(referenceCount: referenceCount).map { .series($0) }
    }
}

/// The order the chart draws the responses in, computed once per solve and sort key (never
/// per frame): position on screen → response, and back.
///
/// Only the top of the order is computed at once (a selection in one pass, however many
/// responses there are); the whole order is sorted the first time a position or response
/// beyond the top is asked for (scrolling far down, or a selection deep in the list), once
/// per solve.
public struct ResponseOrder: Sendable {
    /// The key it was sorted by.
    public let key: SortKey
    /// The analysis revision it was computed for (-1: no analysis needed, the file order).
    public let revision: Int
    /// The values sorted by (shared with the solution or scenario, not a copy); nil for the file order.
    private let values: [Double]?
    /// The first `top.count` responses in order.
    private let top: [Int32]
    /// The whole order, sorted when first needed.
    private let whole: WholeOrder?

    /// How many positions are ordered at once: many screenfuls.
    static let topCount = 1_024

    /// The file order.
    static let identity = ResponseOrder(key: .file, revision: -1, values: nil)

    private init(key: SortKey, revision: Int, values: [Double]?) {
        self.key = key
        self.revision = revision
        self.values = values
        top = values.map { DescendingOrder.top(Self.topCount, of: $0) } ?? []
        whole = values.map(WholeOrder.init)
    }

    /// Orders the responses of `scenario` by `key`, largest first, ties in file order; a series
    /// that does not exist (an empty intersection) keeps the file order.
    init(key: SortKey, scenario: Scenario, analysis: Analysis) {
        let values: [Double]?
        switch key {
        case .file: values = nil
        case .reward: values = scenario.rewards
        case .series(let series): values = analysis.solution.policy(series.policyID)?.logProbabilities
        }
        self.init(key: key, revision: analysis.revision, values: values)
    }

    /// The response drawn at `position`.
    /// (Until the next solve after a scenario with another number of responses is opened, the
    /// order may be for the old one: out-of-range indices then map to themselves.)
    public func response(at position: Int) -> Int {
        guard let values, values.indices.contains(position) else { return position }
        if position < top.count { return Int(top[position]) }
        return Int(whole!.tables.responses[position])
    }

    /// Where response `y` is drawn.
    public func position(of y: Int) -> Int {
        guard let values, values.indices.contains(y) else { return y }
        if let position = top.firstIndex(of: Int32(y)) { return position }
        return Int(whole!.tables.positions[y])
    }

}

/// The whole order, sorted on first use (from any thread: the explorer's state is a value
/// shared with background jobs) and kept for the life of one `ResponseOrder`.
private final class WholeOrder: Sendable {
    /// Response at each position, and position of each response.
    struct Tables: Sendable {
        let responses: [Int32]
        let positions: [Int32]
    }

    private let values: [Double]
    private let cache = Mutex<Tables?>(nil)

    init(_ values: [Double]) { self.values = values }

    var tables: Tables {
        cache.withLock { cached in
            if let cached { return cached }
            let responses = DescendingOrder.indices(of: values)
            var positions = [Int32](repeating: 0, count: responses.count)
            for (position, response) in responses.enumerated() { positions[Int(response)] = Int32(position) }
            let tables = Tables(responses: responses, positions: positions)
            cached = tables
            return tables
        }
    }
}
