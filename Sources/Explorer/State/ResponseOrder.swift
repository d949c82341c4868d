import KLMath
import KLScenario
import Synchronization

/// What the chart sorts the responses by (`t` cycles): the file's order, the reward, or one
/// series' probability, largest first.
public enum SortKey: Sendable, Equatable {
    case file
    case reward
    case series(PolicyID)

    /// The keys `t` steps through for a scenario with `referenceCount` references, in order.
    static func all(referenceCount: Int) -> [SortKey] {
        [.file, .reward] + PolicyID.charted(referenceCount: referenceCount).map { .series($0) }
    }
}

/// The order the chart draws the responses in, computed once per solve and sort key (never
/// per frame): position on screen → response, and back.
///
/// Only the top of the order is computed at once (a selection in one pass, however many
/// responses there are). Deeper, a response's position is counted in one pass and the
/// responses at positions beyond the top come in blocks found by selection, so that a
/// selection deep in a vocabulary costs a few passes per solve, not a sort; only a user who
/// scrolls through many blocks gets the whole order sorted.
public struct ResponseOrder: Sendable {
    /// The key it was sorted by.
    public let key: SortKey
    /// The analysis revision it was computed for (-1: no analysis needed, the file order).
    public let revision: Int
    /// The values sorted by (shared with the solution or scenario, not a copy); nil for the file order.
    private let values: [Double]?
    /// The first `top.count` responses in order.
    private let top: [Int32]
    /// Positions and blocks beyond the top, found when first needed.
    private let deeper: DeeperOrder?

    /// How many positions are ordered at once, and the size of a block beyond them: many screenfuls.
    static let topCount = 1_024

    /// The file order.
    static let identity = ResponseOrder(key: .file, revision: -1, values: nil)

    private init(key: SortKey, revision: Int, values: [Double]?) {
        self.key = key
        self.revision = revision
        self.values = values
        top = values.map { DescendingOrder.top(Self.topCount, of: $0) } ?? []
        deeper = values.map(DeeperOrder.init)
    }

    /// Orders the responses of `scenario` by `key`, largest first, ties in file order; a series
    /// that does not exist (an empty intersection) keeps the file order.
    init(key: SortKey, scenario: Scenario, analysis: Analysis) {
        let values: [Double]?
        switch key {
        case .file: values = nil
        case .reward: values = scenario.rewards
        case .series(let series): values = analysis.solution.policy(series)?.logProbabilities
        }
        self.init(key: key, revision: analysis.revision, values: values)
    }

    /// The response drawn at `position`.
    /// (Until the next solve after a scenario with another number of responses is opened, the
    /// order may be for the old one: out-of-range indices then map to themselves.)
    public func response(at position: Int) -> Int {
        guard let values, values.indices.contains(position) else { return position }
        if position < top.count { return Int(top[position]) }
        return Int(deeper!.response(at: position))
    }

    /// Where response `y` is drawn.
    public func position(of y: Int) -> Int {
        guard let values, values.indices.contains(y) else { return y }
        if let position = top.firstIndex(of: Int32(y)) { return position }
        return deeper!.position(of: y)
    }
}

/// The order beyond the top, computed on first use (from any thread: the explorer's state is a
/// value shared with background jobs) and kept for the life of one `ResponseOrder`: blocks of
/// positions found by selection, positions counted, and, once many blocks were needed, the
/// whole order sorted.
private final class DeeperOrder: Sendable {
    /// What has been computed so far.
    struct Known {
        /// Responses at the positions of block `b` (`b · blockSize ..< (b + 1) · blockSize`).
        var blocks: [Int: [Int32]] = [:]
        /// Counted positions of responses.
        var positions: [Int: Int] = [:]
        /// The whole order: response at each position, and position of each response.
        var responses: [Int32]?
        var wholePositions: [Int32]?
    }

    /// Positions per block, and how many blocks (or counted positions) before sorting everything pays.
    static let blockSize = ResponseOrder.topCount
    static let blocksBeforeSorting = 8

    private let values: [Double]
    private let known = Mutex(Known())

    init(_ values: [Double]) { self.values = values }

    func response(at position: Int) -> Int32 {
        known.withLock { known in
            if let responses = known.responses { return responses[position] }
            let block = position / Self.blockSize
            if known.blocks[block] == nil {
                if known.blocks.count >= Self.blocksBeforeSorting {
                    sortWhole(&known)
                    return known.responses![position]
                }
                let start = block * Self.blockSize
                known.blocks[block] = DescendingOrder.window(start..<start + Self.blockSize, of: values)
            }
            return known.blocks[block]![position - block * Self.blockSize]
        }
    }

    func position(of y: Int) -> Int {
        known.withLock { known in
            if let positions = known.wholePositions { return Int(positions[y]) }
            if let position = known.positions[y] { return position }
            if known.positions.count >= Self.blocksBeforeSorting {
                sortWhole(&known)
                return Int(known.wholePositions![y])
            }
            let position = DescendingOrder.position(of: y, in: values)
            known.positions[y] = position
            return position
        }
    }

    private func sortWhole(_ known: inout Known) {
        let responses = DescendingOrder.indices(of: values)
        var positions = [Int32](repeating: 0, count: responses.count)
        for (position, response) in responses.enumerated() { positions[Int(response)] = Int32(position) }
        known = Known(responses: responses, wholePositions: positions)
    }
}
