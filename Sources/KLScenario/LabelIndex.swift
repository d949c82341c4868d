import CLibc

/// Finds a repeated response label with 4 bytes per slot: an open-addressing table of indices
/// into the labels (at least twice as many slots as labels) instead of a `[String: Int]` entry
/// of 24 bytes and more per label, which for ten million labels took most of a load's memory.
/// Each slot also keeps 8 bits of its label's hash, so that a probe compares labels (a read far
/// away in memory) only when those bits agree.
struct LabelIndex {
    /// Per slot: the label's index + 1 in the low 24 bits (0: empty), 8 bits of its hash above.
    private var slots: [UInt32]
    private let mask: Int
    private static let indexBits: UInt32 = 24

    /// A table for up to `capacity` labels (at most `ScenarioLimits.maxResponses`, below 2^24).
    init(capacity: Int) {
        precondition(capacity < 1 << Self.indexBits - 1 && capacity <= ScenarioLimits.maxResponses, "more labels than a scenario may have")
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Records `labels[index]` (whose `hashValue` is `hash`), or returns the index of an earlier
    /// label recorded with the same text.
    mutating func insert(_ index: Int, of labels: [String], hash: Int) -> Int? {
        let label = labels[index]
        let tag = UInt32(truncatingIfNeeded: hash >> 56) << Self.indexBits
        var slot = hash & mask
        while true {
            let held = slots[slot]
            if held == 0 {
                slots[slot] = tag | UInt32(index + 1)
                return nil
            }
            let earlier = Int(held & (1 << Self.indexBits - 1)) - 1
            if held & ~(1 << Self.indexBits - 1) == tag, labels[earlier] == label { return earlier }
            slot = (slot + 1) & mask
        }
    }

    /// Starts bringing in the slot a label of hash `hash` is looked up in first.
    func prefetch(hash: Int) {
        slots.withUnsafeBufferPointer { klscope_prefetch($0.baseAddress! + (hash & mask)) }
    }

    /// The first label that is blank (`earlier` nil) or repeats an earlier one (`earlier` its
    /// index), in order. The slot of the label `lookahead` places on is prefetched, so that the
    /// table's cache misses overlap instead of coming one after another.
    static func firstProblem(in labels: [String], isBlank: (String) -> Bool) -> (index: Int, earlier: Int?)? {
        let lookahead = 16
        var index = LabelIndex(capacity: labels.count)
        var hashes = [Int](repeating: 0, count: lookahead)
        for position in 0..<min(lookahead, labels.count) {
            hashes[position] = labels[position].hashValue
            index.prefetch(hash: hashes[position])
        }
        for position in labels.indices {
            let hash = hashes[position % lookahead]
            if position + lookahead < labels.count {
                let ahead = labels[position + lookahead].hashValue
                hashes[position % lookahead] = ahead
                index.prefetch(hash: ahead)
            }
            if isBlank(labels[position]) { return (position, nil) }
            if let earlier = index.insert(position, of: labels, hash: hash) { return (position, earlier) }
        }
        return nil
    }
}
