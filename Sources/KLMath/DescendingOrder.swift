/// Orders of responses by a value, largest first, ties in index order (`-∞` last, `0` and
/// `-0` tied): the top few in one pass, or all of them by a radix sort. Used by the explorer's
/// sorted chart and by `klscope solve --top`.
public enum DescendingOrder {
    /// The first `count` indices of `indices(of: values)`, found in one pass: a heap of
    /// the best `count` so far, which most values fail to enter with a single comparison.
    public static func top(_ count: Int, of values: [Double]) -> [Int32] {
        let count = min(count, values.count)
        guard count > 0 else { return [] }
        // Each entry is (key, index) with the keys of `indices(of:)`: smaller is earlier.
        // `heap` is a max-heap, so its root is the latest entry kept, the one to evict.
        var heap: [(key: UInt64, index: Int32)] = []
        heap.reserveCapacity(count)
        func later(_ a: (key: UInt64, index: Int32), _ b: (key: UInt64, index: Int32)) -> Bool {
            a.key != b.key ? a.key > b.key : a.index > b.index
        }
        for (y, value) in values.enumerated() {
            let entry = (key: key(value), index: Int32(y))
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
    public static func key(_ value: Double) -> UInt64 {
        let bits = value == 0 ? 0 : value.bitPattern
        return bits >> 63 == 0 ? ~bits ^ (1 << 63) : bits
    }

    /// The indices of `values` sorted largest first, ties in index order: a stable radix sort
    /// on `key` (exact, O(n); at 150,000 responses several times quicker than a comparison
    /// sort). Only the indices move: each pass reads its digit of the key from `values`, so the
    /// sort needs two arrays of 32-bit indices and nothing else of size n.
    public static func indices(of values: [Double]) -> [Int32] {
        let n = values.count
        var indices = (0..<n).map { Int32($0) }
        guard n > 1 else { return indices }
        var scratch = [Int32](repeating: 0, count: n)
        // Six passes of 11 bits each, least significant first: 2,048 buckets still keep the scatter
        // in cache, and each pass reads every value once, at random, so fewer passes pay.
        let digitBits = 11, passes = 6, mask = (1 << digitBits) - 1
        var counts = [Int](repeating: 0, count: passes << digitBits)
        for value in values {
            let key = key(value)
            for pass in 0..<passes { counts[pass << digitBits | Int(truncatingIfNeeded: key >> (pass * digitBits)) & mask] += 1 }
        }
        let firstKey = key(values[0])
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
                                let slot = base | Int(truncatingIfNeeded: key(values[Int(index)]) >> shift) & mask
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

    /// Where index `y` stands in `indices(of: values)`, counted in one pass without sorting:
    /// the indices with larger values, or equal values and smaller indices, come before it.
    public static func position(of y: Int, in values: [Double]) -> Int {
        let own = key(values[y])
        var position = 0
        for (z, value) in values.enumerated() {
            let other = key(value)
            if other < own || (other == own && z < y) { position += 1 }
        }
        return position
    }

    /// The indices at positions `range` of `indices(of: values)`, without sorting the rest: two
    /// quickselects on a copy of the keys find the range's first and last keys, and only the
    /// responses between them are sorted. For a screenful deep in a long list.
    public static func window(_ range: Range<Int>, of values: [Double]) -> [Int32] {
        let range = range.clamped(to: 0..<values.count)
        guard !range.isEmpty else { return [] }
        var keys = values.map(key)
        let low = select(&keys, rank: range.lowerBound, in: 0..<keys.count)
        let high = select(&keys, rank: range.upperBound - 1, in: range.lowerBound..<keys.count)
        keys = []
        var before = 0  // responses whose key is below `low`: they all come before the range
        var between: [(key: UInt64, index: Int32)] = []
        for (y, value) in values.enumerated() {
            let k = key(value)
            if k < low { before += 1 } else if k <= high { between.append((k, Int32(y))) }
        }
        between.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        let start = range.lowerBound - before
        return between[start..<start + range.count].map(\.index)
    }

    /// The key of rank `rank` (0-based, counting equal keys separately) among `keys[bounds]`,
    /// which must hold every key of rank in `bounds`; partitions `keys` around it (quickselect
    /// with a median-of-three pivot).
    private static func select(_ keys: inout [UInt64], rank: Int, in bounds: Range<Int>) -> UInt64 {
        var low = bounds.lowerBound, high = bounds.upperBound - 1
        while low < high {
            let middle = low + (high - low) / 2
            let pivot = max(min(keys[low], keys[middle]), min(max(keys[low], keys[middle]), keys[high]))
            // Three-way partition: [low, less) < pivot, [less, greater] == pivot, (greater, high] > pivot.
            var less = low, scan = low, greater = high
            while scan <= greater {
                if keys[scan] < pivot {
                    keys.swapAt(less, scan)
                    less += 1
                    scan += 1
                } else if keys[scan] > pivot {
                    keys.swapAt(scan, greater)
                    greater -= 1
                } else {
                    scan += 1
                }
            }
            if rank < less { high = less - 1 } else if rank > greater { low = greater + 1 } else { return pivot }
        }
        return keys[rank]
    }
}
