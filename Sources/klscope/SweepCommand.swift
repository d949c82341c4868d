import ArgumentParser
import Foundation
import KLMath
import KLScenario

/// `klscope sweep`: how RKL*, FKL* and MRPO change along β or along the weight of one reference.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Print RKL*, FKL* and MRPO along a grid of β or of one reference's weight.",
        discussion: """
            --over beta uses a log grid (default 1e-3 to 1e3); --over weight needs two references \
            or more and varies the weight of --reference (default the first one, from 0 to 1) while \
            the others share the rest in proportion to their weights (equally when they all have \
            weight 0, which is then said on standard error). --steps is the number of points \
            (default 61). For each method: expected reward, entropy, KL to its own reference \
            (KL(π‖π_G) for RKL and MRPO, KL(π_A‖π) for FKL) and objective (max J_RKL, max J_FKL, \
            J_RKL(π_MRPO)); for RKL and FKL also the upper bound on the objective (Σ_k α_k max J_k, \
            Σ_k α_k max J_FKL,k); then the MRPO gap. Undefined values (empty intersection) are \
            empty in CSV and null in JSON.
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

    @Option(help: "With --over weight: the reference whose weight varies (default the first).")
    var reference: String?

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
            if reference != nil { try fail("--reference applies to --over weight only") }
            let low = from ?? Sweep.defaultBetaRange.lowerBound, high = to ?? Sweep.defaultBetaRange.upperBound
            for (name, value) in [("--from", low), ("--to", high)] where !Problem.betaRange.contains(value) {
                try fail("\(name) must be a β between \(NumberFormat.short(Problem.betaRange.lowerBound, digits: 2)) and \(NumberFormat.short(Problem.betaRange.upperBound, digits: 2)), got \(value)")
            }
            sweep = Sweep.beta(scenario.problem, from: low, to: high, steps: steps)
        case .weight:
            guard scenario.references.count >= 2 else {
                try fail("--over weight needs two references or more; \(file) has one")
            }
            let names = scenario.references.map(\.name)
            let k = reference.map { names.firstIndex(of: $0) } ?? 0
            guard let k else {
                try fail("--reference \(reference!): no such reference in \(file); the references are \(names.joined(separator: ", "))")
            }
            let low = from ?? 0, high = to ?? 1
            for (name, value) in [("--from", low), ("--to", high)] where !(0...1).contains(value) {
                try fail("\(name) must be a weight between 0 and 1, got \(value)")
            }
            if names.count > 2, scenario.problem.othersAreOff(k) {
                note("the references other than \(names[k]) all have weight 0: they share the rest of the weight equally")
            }
            sweep = Sweep.weight(scenario.problem, reference: k, from: low, to: high, steps: steps)
        }
        let report = SweepReport(sweep: sweep, scenario: scenario)
        print(format == .csv ? report.csv() : report.json(), terminator: "")
    }
}

/// A sweep as CSV or JSON: per method its fields (`fields(of:)`), then the MRPO gap.
struct SweepReport {
    let sweep: Sweep
    let scenario: Scenario

    /// The columns of one method: its values, and for RKL and FKL the upper bound on the objective.
    static func fields(of method: KLMethod) -> [(key: String, value: (Sweep.Point) -> Double?)] {
        let values: [(key: String, value: (Sweep.Point) -> Double?)] = [
            ("expected_reward", { $0.values(method).expectedReward }), ("entropy", { $0.values(method).entropy }),
            ("own_kl", { $0.values(method).ownKL }), ("objective", { $0.values(method).objective }),
        ]
        return switch method {
        case .reverseKL: values + [("bound", \.reverseKLBound)]
        case .forwardKL: values + [("bound", \.forwardKLBound)]
        case .mrpo: values
        }
    }

    var parameterName: String { sweep.axis == .beta ? "beta" : "weight_\(scenario.references[sweep.reference].name)" }

    func csv() -> String {
        var header = [parameterName]
        for method in KLMethod.allCases { header += SweepReport.fields(of: method).map { "\(method.rawValue)_\($0.key)" } }
        header.append("mrpo_gap")
        var lines = [header.map(SolveReport.csvField).joined(separator: ",")]
        func cell(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        for point in sweep.points {
            var row = ["\(point.parameter)"]
            for method in KLMethod.allCases { row += SweepReport.fields(of: method).map { cell($0.value(point)) } }
            row.append(cell(point.mrpoGap))
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let points: [JSONText] = sweep.points.map { point in
            var members: [(String, JSONText)] = [(parameterName, .number(point.parameter))]
            for method in KLMethod.allCases {
                members.append((method.rawValue, .object(SweepReport.fields(of: method).map { ($0.key, .number($0.value(point))) })))
            }
            members.append(("mrpo_gap", .number(point.mrpoGap)))
            return .object(members)
        }
        var parameters: [(String, JSONText)] = [("over", .string(sweep.axis.rawValue))]
        if sweep.axis == .weight { parameters.append(("reference", .string(scenario.references[sweep.reference].name))) }
        return JSONText.object(JSONText.scenarioHeader(scenario) + parameters + [("points", .array(points))]).rendered() + "\n"
    }
}
