import KLScenario

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
public struct ResponseOrder: Sendable {
    /// The key it was sorted by.
    public let key: SortKey
    /// The analysis revision it was computed for (-1: no analysis needed, the file order).
    public let revision: Int
    /// Response at each position; nil for the file order.
    private let responses: [Int]?
    /// Position of each response; nil for the file order.
    private let positions: [Int]?

    /// The file order.
    static let identity = ResponseOrder(key: .file, revision: -1, responses: nil, positions: nil)

    private init(key: SortKey, revision: Int, responses: [Int]?, positions: [Int]?) {
        self.key = key
        self.revision = revision
        self.responses = responses
        self.positions = positions
    }

    /// Sorts the responses of `scenario` by `key`, largest first, ties in file order; a series
    /// that does not exist (an empty intersection) keeps the file order.
    init(key: SortKey, scenario: Scenario, analysis: Analysis) {
        let values: [Double]?
        switch key {
        case .file: values = nil
        case .reward: values = scenario.rewards
        case .series(let series): values = analysis.solution.policy(series.policyID)?.logProbabilities
        }
        guard let values else {
            self.init(key: key, revision: analysis.revision, responses: nil, positions: nil)
            return
        }
        var pairs = values.enumerated().map { ($0.element, $0.offset) }
        pairs.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let responses = pairs.map(\.1)
        var positions = [Int](repeating: 0, count: responses.count)
        for (position, response) in responses.enumerated() { positions[response] = position }
        self.init(key: key, revision: analysis.revision, responses: responses, positions: positions)
    }

    /// The response drawn at `position`.
    /// (Until the next solve after a scenario with another number of responses is opened, the
    /// order may be for the old one: out-of-range indices then map to themselves.)
    public func response(at position: Int) -> Int {
        guard let responses, responses.indices.contains(position) else { return position }
        return responses[position]
    }
    /// Where response `y` is drawn.
    public func position(of y: Int) -> Int {
        guard let positions, positions.indices.contains(y) else { return y }
        return positions[y]
    }
}
