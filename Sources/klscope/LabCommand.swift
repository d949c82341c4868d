import ArgumentParser
import Foundation
import KLMath
import KLScenario
import TerminalUI

/// `klscope lab`: the coverage lab on a scenario file, as a table, CSV or JSON.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Measure how fast RKL, FKL and MRPO learn from m preference comparisons.",
        discussion: """
            For each m on a log grid and each seed: draw m pairs from the sampling policy (π_G for \
            RKL and MRPO, π_A for FKL, unless --sampler says otherwise), label them with \
            Bradley–Terry on the true reward, fit a tabular reward by maximum likelihood with a ridge \
            λ = 0.001 (responses never compared stay at 0), solve with it, and measure the \
            sub-optimality gap max J(π; r) − J(π̂; r) and the optimality gap |max J(π; r) − max J(π; r̂ + c)|, \
            where c is the constant that matches r̂ to r on the compared responses (Bradley–Terry \
            identifies rewards only up to a constant). MRPO is judged in the exact RKL objective; its \
            optimality gap is in its own objective, E[r] − β KL(π ‖ π_H). Prints the gaps per m (mean \
            and quartiles over the seeds), the fitted log–log slopes, how well each sampler covered \
            each response, and notes. Each slope comes with a 95% bootstrap interval over the seeds, \
            fitted over m ≥ --fit-from; a note flags an interval that excludes the large-m theory's \
            slope (−1 sub-optimality, −1/2 optimality). Also printed: the coverage coefficients of each \
            method's sampler (C_glob, C*, the local KL-ball C_ε with its ε) and the large-m constants \
            lim m·E[sub-optimality gap] and lim √m·E[optimality gap]. The same --seed gives the same numbers.
            """
    )

    /// What `--over` varies.
    enum Over: String, ExpressibleByArgument, CaseIterable {
        case beta
    }

    /// The output formats of `lab`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Argument(help: "A scenario file (YAML or JSON).")
    var file: String

    @OptionGroup var overrides: ScenarioOverrides

    @OptionGroup var grid: LabGridOptions

    @Option(help: ArgumentHelp("The policy every method draws its pairs from: escort (π_G), mixture (π_A) or a reference's name. Default: π_G for RKL and MRPO, π_A for FKL.", valueName: "escort|mixture|NAME"))
    var sampler: String?

    @Option(name: .customLong("fit-from"), help: ArgumentHelp("Fit the slopes over m ≥ M only (the large-m regime).", valueName: "M"))
    var fitFrom: Int = 1

    @Option(name: .customLong("reward-bound"), help: ArgumentHelp("Clip every fitted reward to [−R, R] (the paper's bounded reward, Assumption 4.1).", valueName: "R"))
    var rewardBound: Double?

    @Option(help: ArgumentHelp("Instead of sampling, print the large-m constants across β (no sampling: one solve per β), --steps values over --beta-range.", valueName: "beta"))
    var over: Over?

    @Option(name: .customLong("beta-range"), help: ArgumentHelp("The range of β for --over beta.", valueName: "LOW..HIGH"))
    var betaRange = ArgumentRange(0.01, 10.0)

    @Option(help: "Output format: table, csv or json.")
    var format: Format = .table

    /// The ranges of the options that do not depend on the scenario (besides the grid's); exit
    /// status 2 and a message for the first one broken.
    func validate() throws {
        guard fitFrom >= 1 else { try fail("--fit-from must be at least 1, got \(fitFrom)") }
        if let rewardBound, !(rewardBound > 0 && rewardBound.isFinite) {
            try fail("--reward-bound must be a positive finite number, got \(rewardBound)")
        }
        if let problem = ScenarioRules.betaProblem(betaRange.low) ?? ScenarioRules.betaProblem(betaRange.high) {
            try fail("--beta-range: \(problem)")
        }
    }

    func run() throws {
        let scenario = try overrides.applied(to: loadScenarioOrExit(file))
        guard scenario.responses.count <= CoverageLab.maximumResponses else {
            try fail("the lab takes at most \(CoverageLab.maximumResponses) responses (the reward fit factorises a dense Hessian); \(file) has \(scenario.responses.count)")
        }
        if over == .beta { return try printOverBeta(scenario) }
        var samplers: [KLMethod: CoverageLab.Sampler] = [:]
        if let sampler {
            let chosen = try parseSampler(sampler, scenario)
            for method in KLMethod.allCases { samplers[method] = chosen }
        }
        let configuration = grid.configuration(samplers: samplers, rewardBound: rewardBound)
        guard let report = CoverageLab.run(scenario.problem, configuration: configuration) else {
            preconditionFailure("the lab is never cancelled from the command line")
        }
        let output = LabOutput(scenario: scenario, report: report, fitFrom: fitFrom)
        switch format {
        case .table: print(output.table(), terminator: "")
        case .csv: print(output.csv(), terminator: "")
        case .json: print(output.json(), terminator: "")
        }
    }

    /// `--over beta`: the large-m constants per method at each β.
    private func printOverBeta(_ scenario: Scenario) throws {
        var samplers: [KLMethod: CoverageLab.Sampler] = [:]
        if let sampler {
            let chosen = try parseSampler(sampler, scenario)
            for method in KLMethod.allCases { samplers[method] = chosen }
        }
        let rows = CoverageLab.theoryOverBeta(scenario.problem, betas: CoverageLab.logSpaced(from: betaRange.low, to: betaRange.high, steps: grid.steps), samplers: samplers)
        let output = LabBetaOutput(scenario: scenario, rows: rows)
        switch format {
        case .table: print(output.table(), terminator: "")
        case .csv: print(output.csv(), terminator: "")
        case .json: print(output.json(), terminator: "")
        }
    }

    /// `--sampler` as a sampler of `scenario`: π_G or π_A in any spelling of `PolicyName`
    /// (`escort`, `pi_G`, `mixture`, …) first, then the reference names.
    private func parseSampler(_ text: String, _ scenario: Scenario) throws -> CoverageLab.Sampler {
        switch PolicyName.policy(named: text)?.id {
        case .escort: return .escort
        case .mixture: return .mixture
        default:
            guard let k = scenario.references.firstIndex(where: { $0.name == text }) else {
                try fail("--sampler \"\(text)\" is not escort, mixture or a reference (\(scenario.references.map(\.name).joined(separator: ", ")))")
            }
            return .reference(k)
        }
    }
}
