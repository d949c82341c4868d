import ArgumentParser
import KLMath

/// `--pairs`, `--steps`, `--seeds` and `--seed`: the values of m and the seeds of a coverage lab
/// run, for `lab` and for `export --view lab`. The defaults are the explorer's lab view's.
struct LabGridOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The range of m, the number of compared pairs: LOW..HIGH, or one number.", valueName: "LOW..HIGH"))
    var pairs = ArgumentRange(1000, 100_000)

    @Option(help: "How many values of m, evenly spaced in log scale.")
    var steps: Int = 6

    @Option(help: "Seeds (independent data sets) per value of m.")
    var seeds: Int = 100

    @Option(help: "The base seed all random draws derive from.")
    var seed: UInt64 = 1

    /// The largest m accepted: each run holds its m comparisons in memory.
    static let maximumPairs = 1_000_000

    /// Checks `--steps`, `--seeds` and `--pairs`; exits with status 2 and a message when one is out of range.
    func validate() throws {
        guard (1...100).contains(steps) else { try fail("--steps must be between 1 and 100, got \(steps)") }
        guard (1...10_000).contains(seeds) else { try fail("--seeds must be between 1 and 10000, got \(seeds)") }
        guard pairs.lies(within: 1...Self.maximumPairs) else {
            try fail("--pairs needs 1 ≤ LOW ≤ HIGH ≤ \(Self.maximumPairs), got \(pairs.defaultValueDescription)")
        }
    }

    /// The run these options ask for, with `samplers` and `rewardBound`.
    func configuration(samplers: [KLMethod: CoverageLab.Sampler] = [:], rewardBound: Double? = nil) -> CoverageLab.Configuration {
        CoverageLab.Configuration(pairCounts: CoverageLab.Configuration.logGrid(from: pairs.low, to: pairs.high, steps: steps),
                                  seeds: seeds, baseSeed: seed, samplers: samplers, rewardBound: rewardBound)
    }
}
