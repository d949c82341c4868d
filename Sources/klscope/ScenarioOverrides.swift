import ArgumentParser
import KLScenario

/// The `--beta` and `--weights` options that override a scenario file's values.
struct ScenarioOverrides: ParsableArguments {
    @Option(help: "Use this β instead of the file's (a positive number).")
    var beta: Double?

    @Option(help: ArgumentHelp("Use these relative weights, one per reference, comma-separated.", valueName: "w1,w2,..."))
    var weights: WeightList?

    /// The scenario rules for β and for each weight (the same rules a file is held to); a clear
    /// error (exit status 2) when an override breaks one.
    func validate() throws {
        if let beta, let problem = ScenarioRules.betaProblem(beta) { try fail("--beta: \(problem)") }
        for (i, weight) in (weights?.values ?? []).enumerated() {
            if let problem = ScenarioRules.weightProblem(weight.value, shown: weight.text) { try fail("--weights value \(i + 1): \(problem)") }
        }
    }

    /// `scenario` with the overrides applied; a clear error (exit status 2) when they do not fit it.
    func applied(to scenario: Scenario) throws -> Scenario {
        var scenario = scenario
        if let beta { scenario.beta = beta }
        if let weights {
            guard weights.values.count == scenario.references.count else {
                try fail("--weights has \(weights.values.count) values but the scenario has \(scenario.references.count) references (\(scenario.references.map(\.name).joined(separator: ", ")))")
            }
            do throws(EditRefusal) {
                try scenario.setWeights(weights.values.map(\.value))
            } catch {
                try fail("--weights: \(error.reason)")
            }
        }
        return scenario
    }
}
