/// A small, fast, seedable pseudo-random generator (SplitMix64) whose sequence is the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal draw (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let u = max(nextUnit(), 0x1p-53)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * nextUnit())
    }

    /// A seed for an independent stream, derived from `seed` and a path of `indices`
    /// (each step mixes one index in with SplitMix64's output function), so that a stream's
    /// numbers depend only on where it sits, not on the order streams are created in.
    public static func derivedSeed(_ seed: UInt64, _ indices: UInt64...) -> UInt64 {
        indices.reduce(seed) { state, index in mix(state ^ mix(index)) }
    }

    /// The first output of a generator seeded with `value`: a bijective scrambling of 64 bits.
    private static func mix(_ value: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: value)
        return generator.next()
    }
}
