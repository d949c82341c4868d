import ArgumentParser
import Foundation
import KLMath
import KLScenario

/// `klscope sweep`: how RKL*, FKL* and MRPO change along β or along the weight of the first reference.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Print RKL*, FKL* and MRPO along a grid of β or of the first reference's weight.",
        discussion: """
            --over beta uses a log grid (default 1e-3 to 1e3); --over weight needs exactly two \
            references and varies the first one's weight (the second gets the rest, default 0 to 1). \
            --steps is the number of points (default 61). For each method: expected reward, entropy, \
            KL to its own reference (KL(π‖π_G) for RKL and MRPO, KL(π_A‖π) for FKL) and objective \
            (max J_RKL, max J_FKL, J_RKL(π_MRPO)); then the MRPO gap. Undefined values (empty \
            intersection) are empty in CSV and null in JSON.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    enum Over: String, ExpressibleByArgument, CaseIterable {
        case beta, weight
    }

    @Argument(help: "A scenario file (YAML or JSON).")
    var file: String

    @OptionGroup var overrides: ScenarioOverrides

    @Option(help: "What to vary: beta or weight.")
    var over: Over = .beta

    @Option(help: "First value (default 0.001 for beta, 0 for weight).")
    var from: Double?

    @Option(help: "Last value (default 1000 for beta, 1 for weight).")
    var to: Double?

    @Option(help: "Number of points (2 to 100000).")
    var steps: Int = Sweep.defaultSteps

    @Option(help: "Output format: csv or json.")
    var format: Format = .csv

    func run() throws {
        let scenario = try overrides.applied(to: loadScenarioOrExit(file))
        guard (2...100_000).contains(steps) else { try fail("--steps must lie between 2 and 100000, got \(steps)") }
        let sweep: Sweep
        switch over {
        case .beta:
            let low = from ?? Sweep.defaultBetaRange.lowerBound, high = to ?? Sweep.defaultBetaRange.upperBound
            for (name, value) in [("--from", low), ("--to", high)] where !Problem.betaRange.contains(value) {
                try fail("\(name) must be a β between \(NumberFormat.short(Problem.betaRange.lowerBound, digits: 2)) and \(NumberFormat.short(Problem.betaRange.upperBound, digits: 2)), got \(value)")
            }
            sweep = Sweep.beta(scenario.problem, from: low, to: high, steps: steps)
        case .weight:
            guard scenario.references.count == 2 else {
                try fail("--over weight needs exactly two references; \(file) has \(scenario.references.count)")
            }
            let low = from ?? 0, high = to ?? 1
            for (name, value) in [("--from", low), ("--to", high)] where !(0...1).contains(value) {
                try fail("\(name) must be a weight between 0 and 1, got \(value)")
            }
            sweep = Sweep.weight(scenario.problem, from: low, to: high, steps: steps)
        }
        let report = SweepReport(sweep: sweep, scenario: scenario)
        print(format == .csv ? report.csv() : report.json(), terminator: "")
    }
}

/// A sweep as CSV or JSON.
struct SweepReport {
    let sweep: Sweep
    let scenario: Scenario

    static var fields: [(key: String, value: (Sweep.Values) -> Double?)] { [
        ("expected_reward", \.expectedReward), ("entropy", \.entropy), ("own_kl", \.ownKL), ("objective", \.objective),
    ] }

    var parameterName: String { sweep.axis == .beta ? "beta" : "weight_\(scenario.references[0].name)" }

    func csv() -> String {
        var header = [parameterName]
        for method in Sweep.Method.allCases { header += SweepReport.fields.map { "\(method.rawValue)_\($0.key)" } }
        header.append("mrpo_gap")
        var lines = [header.map(SolveReport.csvField).joined(separator: ",")]
        func cell(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        for point in sweep.points {
            var row = ["\(point.parameter)"]
            for method in Sweep.Method.allCases { row += SweepReport.fields.map { cell($0.value(point.values(method))) } }
            row.append(cell(point.mrpoGap))
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let points: [JSONText] = sweep.points.map { point in
            var members: [(String, JSONText)] = [(parameterName, .number(point.parameter))]
            for method in Sweep.Method.allCases {
                members.append((method.rawValue, .object(SweepReport.fields.map { ($0.key, .number($0.value(point.values(method)))) })))
            }
            members.append(("mrpo_gap", .number(point.mrpoGap)))
            return .object(members)
        }
        return JSONText.object(JSONText.scenarioHeader(scenario) + [("over", .string(sweep.axis.rawValue)), ("points", .array(points))]).rendered() + "\n"
    }
}
