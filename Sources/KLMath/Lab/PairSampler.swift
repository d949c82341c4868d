/// Draws responses, and pairs of them, i.i.d. from a policy with Vose's alias method: O(n) to build, O(1) per draw.
///
/// The table covers the policy's support only, so a response of probability zero is never
/// drawn, whatever the rounding. Every draw takes one `nextUnit()` from a `SplitMix64`, so the
/// same seed gives the same responses on every machine.
public struct PairSampler: Sendable {
    /// The responses with positive probability, in index order.
    public let support: [Int]
    /// For each column of the table: the chance of keeping `support[column]` …
    private let keep: [Double]
    /// … and otherwise the column whose response is drawn instead.
    private let alias: [Int]

    /// A sampler for `policy`.
    /// - Precondition: the policy gives some response positive probability.
    public init(_ policy: Policy) {
        let supported = policy.support
        let support = supported.indices.filter { supported[$0] }
        precondition(!support.isEmpty, "a sampler needs a policy with some support")
        let probabilities = support.map { policy.probability($0) }
        let total = probabilities.reduce(0, +)
        let n = support.count
        var scaled = probabilities.map { $0 * Double(n) / total }
        var keep = [Double](repeating: 1, count: n)
        var alias = Array(0..<n)
        var small = (0..<n).filter { scaled[$0] < 1 }
        var large = (0..<n).filter { scaled[$0] >= 1 }
        while let low = small.popLast(), let high = large.popLast() {
            keep[low] = scaled[low]
            alias[low] = high
            scaled[high] -= 1 - scaled[low]
            if scaled[high] < 1 { small.append(high) } else { large.append(high) }
        }
        // Columns left in either list hold (up to rounding) exactly one unit: keep them always.
        self.support = support
        self.keep = keep
        self.alias = alias
    }

    /// One response index.
    public func draw(using generator: inout SplitMix64) -> Int {
        let position = generator.nextUnit() * Double(support.count)
        let column = min(Int(position), support.count - 1)
        let fraction = position - Double(column)
        return support[fraction < keep[column] ? column : alias[column]]
    }

    /// Two responses drawn independently (they may coincide).
    public func drawPair(using generator: inout SplitMix64) -> (first: Int, second: Int) {
        let first = draw(using: &generator)
        return (first, draw(using: &generator))
    }
}
