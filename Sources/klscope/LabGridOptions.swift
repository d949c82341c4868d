import ArgumentParser
import KLMath

/// `--pairs`, `--steps`, `--seeds` and `--seed`: the values of m and the seeds of a coverage lab
/// run, for `lab` and for `export --view lab`. The defaults are the explorer's lab view's.
struct LabGridOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The range of m, the number of compared pairs: LOW..HIGH, or one number.", valueName: "LOW..HIGH"))
    var pairs: String = "1000..100000"

    @Option(help: "How many values of m, evenly spaced in log scale.")
    var steps: Int = 6

    @Option(help: "Seeds (independent data sets) per value of m.")
    var seeds: Int = 100

    @Option(help: "The base seed all random draws derive from.")
    var seed: UInt64 = 1

    /// The largest m accepted: each run holds its m comparisons in memory.
    static let maximumPairs = 1_000_000

    /// Checks `--steps` and `--seeds`; exits with status 2 and a message when out of range.
    func checkCounts() throws {
        guard (1...100).contains(steps) else { try fail("--steps must be between 1 and 100, got \(steps)") }
        guard (1...10_000).contains(seeds) else { try fail("--seeds must be between 1 and 10000, got \(seeds)") }
    }

    /// The run these options ask for, with `samplers` and `rewardBound`; bad values exit with status 2.
    func configuration(samplers: [CoverageLab.Method: CoverageLab.Sampler] = [:], rewardBound: Double? = nil) throws -> CoverageLab.Configuration {
        try checkCounts()
        let range = try pairRange()
        return CoverageLab.Configuration(pairCounts: CoverageLab.Configuration.logGrid(from: range.low, to: range.high, steps: steps),
                                         seeds: seeds, baseSeed: seed, samplers: samplers, rewardBound: rewardBound)
    }

    /// `--pairs` as a range: `LOW..HIGH` or a single number.
    private func pairRange() throws -> (low: Int, high: Int) {
        let parts = pairs.components(separatedBy: "..").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let low = parts.first!, let high = parts.last! else {
            try fail("--pairs must look like 10..10000 or 500, got \"\(pairs)\"")
        }
        guard low >= 1, high >= low, high <= Self.maximumPairs else {
            try fail("--pairs needs 1 ≤ LOW ≤ HIGH ≤ \(Self.maximumPairs), got \"\(pairs)\"")
        }
        return (low, high)
    }
}
