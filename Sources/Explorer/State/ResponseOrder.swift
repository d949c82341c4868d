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
        top = values.map { Self.topIndices($0, count: Self.topCount) } ?? []
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

    /// The first `count` indices of `descendingIndices(values)`, found in one pass: a heap of
    /// the best `count` so far, which most values fail to enter with a single comparison.
    static func topIndices(_ values: [Double], count: Int) -> [Int32] {
        let count = min(count, values.count)
        guard count > 0 else { return [] }
        // Each entry is (key, index) with the keys of `descendingIndices`: smaller is earlier.
        // `heap` is a max-heap, so its root is the latest entry kept, the one to evict.
        var heap: [(key: UInt64, index: Int32)] = []
        heap.reserveCapacity(count)
        func later(_ a: (key: UInt64, index: Int32), _ b: (key: UInt64, index: Int32)) -> Bool {
            a.key != b.key ? a.key > b.key : a.index > b.index
        }
        for (y, value) in values.enumerated() {
            let entry = (key: sortKey(value), index: Int32(y))
            if heap.count < count {
                heap.append(entry)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard later(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else if later(heap[0], entry) {
                heap[0] = entry
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var largest = parent
                    if left < count && later(heap[left], heap[largest]) { largest = left }
                    if right < count && later(heap[right], heap[largest]) { largest = right }
                    guard largest != parent else { break }
                    heap.swapAt(parent, largest)
                    parent = largest
                }
            }
        }
        return heap.sorted { later($1, $0) }.map(\.index)
    }

    /// A key that ascends as `value` descends: a negative double's bits already grow with its
    /// magnitude; a non-negative one's bits, flipped below the sign, shrink as it grows. `0` and
    /// `-0` get the same key.
    static func sortKey(_ value: Double) -> UInt64 {
        let bits = value == 0 ? 0 : value.bitPattern
        return bits >> 63 == 0 ? ~bits ^ (1 << 63) : bits
    }

    /// The indices of `values` sorted largest first, ties in index order: a stable radix sort
    /// on `sortKey` (exact, O(n); at 150,000 responses several times quicker than a comparison
    /// sort). Only the indices move: each pass reads its byte of the key from `values`, so the
    /// sort needs two arrays of 32-bit indices and nothing else of size n.
    static func descendingIndices(_ values: [Double]) -> [Int32] {
        let n = values.count
        var indices = (0..<n).map { Int32($0) }
        guard n > 1 else { return indices }
        var scratch = [Int32](repeating: 0, count: n)
        // Six passes of 11 bits each, least significant first: 2,048 buckets still keep the scatter
        // in cache, and each pass reads every value once, at random, so fewer passes pay.
        let digitBits = 11, passes = 6, mask = (1 << digitBits) - 1
        var counts = [Int](repeating: 0, count: passes << digitBits)
        for value in values {
            let key = sortKey(value)
            for pass in 0..<passes { counts[pass << digitBits | Int(truncatingIfNeeded: key >> (pass * digitBits)) & mask] += 1 }
        }
        let firstKey = sortKey(values[0])
        for pass in 0..<passes {
            let shift = UInt64(pass * digitBits), base = pass << digitBits
            // A digit every key shares changes nothing: skip the pass.
            if counts[base | Int(truncatingIfNeeded: firstKey >> shift) & mask] == n { continue }
            var next = 0
            for digit in 0...mask {
                let count = counts[base | digit]
                counts[base | digit] = next
                next += count
            }
            values.withUnsafeBufferPointer { values in
                indices.withUnsafeBufferPointer { indices in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        counts.withUnsafeMutableBufferPointer { counts in
                            for index in indices {
                                let slot = base | Int(truncatingIfNeeded: sortKey(values[Int(index)]) >> shift) & mask
                                let target = counts[slot]
                                counts[slot] = target + 1
                                scratch[target] = index
                            }
                        }
                    }
                }
            }
            swap(&indices, &scratch)
        }
        return indices
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
            let responses = ResponseOrder.descendingIndices(values)
            var positions = [Int32](repeating: 0, count: responses.count)
            for (position, response) in responses.enumerated() { positions[Int(response)] = Int32(position) }
            let tables = Tables(responses: responses, positions: positions)
            cached = tables
            return tables
        }
    }
}
