/// Finds a repeated response label with 4 bytes per slot: an open-addressing table of indices
/// into the labels (at least twice as many slots as labels) instead of a `[String: Int]` entry
/// of 24 bytes and more per label, which for ten million labels took most of a load's memory.
struct LabelIndex {
    /// Index + 1 of the label in each slot; 0 for an empty slot.
    private var slots: [Int32]
    private let mask: Int

    /// A table for up to `capacity` labels (at most `ScenarioLimits.maxResponses`).
    init(capacity: Int) {
        precondition(capacity <= ScenarioLimits.maxResponses, "more labels than a scenario may have")
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Records `labels[index]`, or returns the index of an earlier label recorded with the same text.
    mutating func insert(_ index: Int, of labels: [String]) -> Int? {
        let label = labels[index]
        var slot = label.hashValue & mask
        while true {
            let held = Int(slots[slot])
            if held == 0 {
                slots[slot] = Int32(index + 1)
                return nil
            }
            if labels[held - 1] == label { return held - 1 }
            slot = (slot + 1) & mask
        }
    }
}
