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
    /// Response at each position; nil for the file order. (32 bits: at vocabulary scale the
    /// two tables are a sizeable share of the explorer's memory.)
    private let responses: [Int32]?
    /// Position of each response; nil for the file order.
    private let positions: [Int32]?

    /// The file order.
    static let identity = ResponseOrder(key: .file, revision: -1, responses: nil, positions: nil)

    private init(key: SortKey, revision: Int, responses: [Int32]?, positions: [Int32]?) {
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
        let responses = Self.descendingIndices(values)
        var positions = [Int32](repeating: 0, count: responses.count)
        for (position, response) in responses.enumerated() { positions[Int(response)] = Int32(position) }
        self.init(key: key, revision: analysis.revision, responses: responses, positions: positions)
    }

    /// The response drawn at `position`.
    /// (Until the next solve after a scenario with another number of responses is opened, the
    /// order may be for the old one: out-of-range indices then map to themselves.)
    public func response(at position: Int) -> Int {
        guard let responses, responses.indices.contains(position) else { return position }
        return Int(responses[position])
    }
    /// Where response `y` is drawn.
    public func position(of y: Int) -> Int {
        guard let positions, positions.indices.contains(y) else { return y }
        return Int(positions[y])
    }

    /// The indices of `values` sorted largest first, ties in index order: a stable radix sort
    /// on keys that order like the doubles (exact, O(n); at 150,000 responses several times
    /// quicker than a comparison sort). `-∞` sorts last; `0` and `-0` tie.
    static func descendingIndices(_ values: [Double]) -> [Int32] {
        let n = values.count
        var indices = (0..<n).map { Int32($0) }
        guard n > 1 else { return indices }
        // Keys that ascend as the values descend: a negative double's bits already grow with its
        // magnitude; a non-negative one's bits, flipped below the sign, shrink as it grows.
        var keys = values.map { value -> UInt64 in
            let bits = value == 0 ? 0 : value.bitPattern
            return bits >> 63 == 0 ? ~bits ^ (1 << 63) : bits
        }
        var keyScratch = [UInt64](repeating: 0, count: n)
        var indexScratch = [Int32](repeating: 0, count: n)
        // Eight passes of one byte each (256 buckets keep the scatter in cache), least significant first.
        var counts = [Int](repeating: 0, count: 8 * 256)
        for key in keys {
            for pass in 0..<8 { counts[pass << 8 | Int(truncatingIfNeeded: key >> (pass << 3)) & 0xFF] += 1 }
        }
        for pass in 0..<8 {
            let shift = UInt64(pass << 3), base = pass << 8
            // A byte every key shares changes nothing: skip the pass.
            if counts[base | Int(truncatingIfNeeded: keys[0] >> shift) & 0xFF] == n { continue }
            var next = 0
            for digit in 0..<256 {
                let count = counts[base | digit]
                counts[base | digit] = next
                next += count
            }
            keys.withUnsafeBufferPointer { keys in
                indices.withUnsafeBufferPointer { indices in
                    keyScratch.withUnsafeMutableBufferPointer { keyScratch in
                        indexScratch.withUnsafeMutableBufferPointer { indexScratch in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for i in 0..<n {
                                    let slot = base | Int(truncatingIfNeeded: keys[i] >> shift) & 0xFF
                                    let target = counts[slot]
                                    counts[slot] = target + 1
                                    keyScratch[target] = keys[i]
                                    indexScratch[target] = indices[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyScratch)
            swap(&indices, &indexScratch)
        }
        return indices
    }
}
