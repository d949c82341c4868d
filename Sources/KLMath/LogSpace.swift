/// Numerically careful building blocks for working with probabilities as logarithms.
///
/// Zero probabilities are `-infinity`; every sum of exponentials subtracts the
/// maximum first, so nothing overflows and nothing turns into NaN for finite inputs.
public enum LogSpace {
    /// `log Σ exp(x_i)` with the maximum subtracted; `-∞` for an empty input or all `-∞`.
    public static func logSumExp(_ values: [Double]) -> Double {
        let maximum = maximum(values)
        guard maximum.isFinite else { return maximum }
        return maximum + log(VectorMath.sumOfExponentials(values, minus: maximum))
    }

    /// `log Σ_i exp(term(i))` for `i` in `0..<count`, without storing the terms (`term` is
    /// called twice per index: once for the maximum, once for the sum).
    @inlinable
    public static func logSumExp(count: Int, _ term: (Int) -> Double) -> Double {
        var maximum = -Double.infinity
        for i in 0..<count { maximum = max(maximum, term(i)) }
        guard maximum.isFinite else { return maximum }
        var sum = 0.0
        for i in 0..<count { sum += exp(term(i) - maximum) }
        return maximum + log(sum)
    }

    /// `log Σ exp(x_i)` over the indices where `include` is true.
    public static func logSumExp(_ values: [Double], where include: [Bool]) -> Double {
        logSumExp(count: values.count) { include[$0] ? values[$0] : -.infinity }
    }

    /// The log-softmax: `x_i − max − log Σ exp(x − max)`, so that `exp(x)` sums to one. The
    /// maximum is subtracted first, so entries of any magnitude (`−1e20` next to `−1e20`) keep
    /// their differences. Entries that are `-∞` stay `-∞`. Returns the normaliser
    /// `max + log Σ exp(x − max)` (`-∞` when every entry is `-∞`).
    @discardableResult
    public static func normalize(_ values: inout [Double]) -> Double {
        normalize(&values, maximum: maximum(values))
    }

    /// `normalize` for values whose largest entry is already known.
    static func normalize(_ values: inout [Double], maximum: Double) -> Double {
        guard maximum.isFinite else { return maximum }
        let logSum = log(VectorMath.sumOfExponentials(values, minus: maximum))
        values.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = (values[i] - maximum) - logSum }
        }
        return maximum + logSum
    }

    /// The largest entry (`-∞` for an empty array), four lanes at a time.
    public static func maximum(_ values: [Double]) -> Double {
        typealias Lanes = SIMD4<Double>
        return values.withUnsafeBytes { bytes in
            var lanes = Lanes(repeating: -.infinity)
            var i = 0
            while i + 4 <= values.count {
                lanes = lanes.largest(bytes.loadUnaligned(fromByteOffset: i * MemoryLayout<Double>.stride, as: Lanes.self))
                i += 4
            }
            var result = lanes.max()
            while i < values.count {
                result = max(result, values[i])
                i += 1
            }
            return result
        }
    }

    /// The logarithm of the smallest positive double (about `−744.44`): a log-probability
    /// below it is a zero probability.
    public static let logSmallestPositive = log(Double.leastNonzeroMagnitude)

    /// The zero rule: every log-probability below `logSmallestPositive` becomes `-∞`, so a
    /// reference has the same support whether written as probabilities or log-probabilities.
    public static func applyZeroRule(_ values: inout [Double]) {
        for i in values.indices where values[i] < logSmallestPositive { values[i] = -.infinity }
    }

    /// `x · log x`-style products with the convention `0 · (−∞) = 0`.
    public static func weightedLog(_ weight: Double, _ logValue: Double) -> Double {
        weight == 0 ? 0 : weight * logValue
    }

    /// The natural logarithm of each probability, `-∞` for zeros: libm's `log`, correctly
    /// rounded in practice, so that a file's probabilities round-trip through a save (the
    /// solver's inner loops use `VectorMath` instead).
    public static func logs(of probabilities: [Double]) -> [Double] {
        probabilities.map { $0 > 0 ? log($0) : -.infinity }
    }

    /// `exp` of each log-probability: libm's `exp`, like `logs(of:)`.
    public static func exps(of logProbabilities: [Double]) -> [Double] {
        logProbabilities.map { exp($0) }
    }
}

/// Neumaier's compensated summation: sums many terms of mixed size with an error that
/// does not grow with their number.
public struct CompensatedSum: Sendable {
    public private(set) var sum = 0.0
    private var compensation = 0.0

    public init() {}

    public var value: Double { sum + compensation }

    public mutating func add(_ term: Double) {
        let total = sum + term
        if abs(sum) >= abs(term) {
            compensation += (sum - total) + term
        } else {
            compensation += (term - total) + sum
        }
        sum = total
    }
}
