import Dispatch

/// Runs independent pieces of a solve on all cores when the problem is large enough to pay
/// for the hand-off, and in order otherwise. Results come back in index order.
enum Parallel {
    /// Below this many responses the pieces run one after another.
    static let threshold = 8_192

    static func map<T: Sendable>(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> T) -> [T] {
        guard parallel, count > 1 else { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let shared = SendableSlots(slots)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            shared.slots[index] = body(index)
        }
        return slots.map { $0! }
    }
}

/// Result slots written by distinct indices from several threads; each slot has one writer.
private struct SendableSlots<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T?>
    init(_ slots: UnsafeMutableBufferPointer<T?>) { self.slots = slots }
}
