import Foundation
import KLMath
import TerminalUI

/// Everything `klscope solve` prints about one scenario, in three formats:
/// a table for people, JSON for programs (stable keys, full precision), CSV for spreadsheets.
public struct SolveReport: Sendable {
    public let scenario: Scenario
    public let solution: Solution

    /// Solves `scenario` and prepares the report.
    public init(scenario: Scenario) {
        self.scenario = scenario
        self.solution = Solution(scenario.problem)
    }

    /// The policy columns after the references, with their headings, in print order.
    public static let aggregateColumns: [(id: PolicyID, heading: String, key: String)] =
        PolicyName.all.map { ($0.id, $0.symbol, $0.key) }

    /// What the table's and the CSV's rows can be ordered by, largest first.
    public enum Column: Sendable, Equatable {
        case reward
        case policy(PolicyID)
    }

    /// The column named `name`: `reward`, a reference's name, or a policy in any spelling of
    /// `PolicyName` (`rkl`, `RKL*`, `RKL`, `escort`, `π_G`, `pi_G`, …); nil when there is none.
    public func column(named name: String) -> Column? {
        if name.lowercased() == "reward" { return .reward }
        if let k = scenario.references.firstIndex(where: { $0.name == name }) { return .policy(.reference(k)) }
        return PolicyName.policy(named: name).map { .policy($0.id) }
    }

    /// The names `column(named:)` accepts, for messages.
    public var columnNames: [String] {
        ["reward"] + scenario.references.map(\.name) + SolveReport.aggregateColumns.map(\.key)
    }

    /// The responses in the order of `column`, largest first (ties in file order), the first
    /// `limit` of them when given; nil when the column's policy does not exist (an empty intersection).
    public func responses(by column: Column, limit: Int? = nil) -> [Int]? {
        let values: [Double]
        switch column {
        case .reward: values = scenario.rewards
        case .policy(let id):
            guard let policy = solution.policy(id) else { return nil }
            values = policy.logProbabilities
        }
        let order = limit.map { DescendingOrder.top($0, of: values) } ?? DescendingOrder.indices(of: values)
        return order.map(Int.init)
    }

    /// The support mark of response `y`: `∩` in the intersection, `∪` only in the union, `·` outside.
    public func supportMark(_ y: Int) -> String {
        solution.supports.intersection[y] ? "∩" : solution.supports.union[y] ? "∪" : "·"
    }

    /// Statements, in words, about what is undefined, infinite or was changed on loading.
    public var remarks: [String] {
        var lines = scenario.loadNotices
        if solution.supports.intersectionIsEmpty {
            lines.append("The references share no response (the support intersection is empty): π_G, π_H, RKL* and MRPO do not exist and max J_RKL is −∞. FKL* still exists.")
        }
        let escaped = solution.forwardKL.escapedMass
        if escaped > 0 {
            let policy = solution.forwardKL.policy
            let outside = scenario.responses.indices.filter { !solution.supports.union[$0] && policy.logProbabilities[$0] > -.infinity }
            let names = outside.map { VisibleText.escaped(scenario.responses[$0]) }.joined(separator: ", ")
            lines.append("FKL* puts \(NumberFormat.short(escaped)) of its mass outside the union, on \(names): no reference supports it, and its reward is above the root found on the union.")
        }
        return lines
    }

    // MARK: Table

    /// The human-readable table with the summary lines below it.
    public func table(rows: [Int]? = nil) -> String {
        var text = ""
        writeTable(to: &text, rows: rows)
        return text
    }

    /// Writes `table()` to `target` row by row, listing `rows` (default: every response in file
    /// order) and, when they leave responses out, a last row "rest" with each column's total
    /// probability over them. Each row is formatted twice, once to measure the columns and once to
    /// print, so that a vocabulary's table is never held in memory.
    public func writeTable<Target: TextOutputStream>(to target: inout Target, rows: [Int]? = nil) {
        let shown = rows ?? Array(scenario.responses.indices)
        let names = scenario.references.map { VisibleText.escaped($0.name) }
        let header = ["response", "reward", "I/U"] + names + SolveReport.aggregateColumns.map(\.heading)
        let policies = SolveReport.aggregateColumns.map { solution.policy($0.id) }
        func row(_ y: Int) -> [String] {
            var row = [VisibleText.escaped(scenario.responses[y]), NumberFormat.short(scenario.rewards[y]), supportMark(y)]
            row += scenario.references.map { NumberFormat.short(exp($0.logProbabilities[y])) }
            row += policies.map { policy in policy.map { NumberFormat.short($0.probability(y)) } ?? "—" }
            return row
        }
        let rest = restRow(leavingOut: shown)
        var widths = header.map(SolveReport.width)
        func measure(_ cells: [String]) {
            for (i, cell) in cells.enumerated() { widths[i] = max(widths[i], SolveReport.width(cell)) }
        }
        for y in shown { measure(row(y)) }
        if let rest { measure(rest) }
        target.write(SolveReport.line(header, widths))
        for y in shown { target.write("\n" + SolveReport.line(row(y), widths)) }
        if let rest { target.write("\n" + SolveReport.line(rest, widths)) }
        target.write("\n\n" + summaryLines().joined(separator: "\n"))
        target.write("\n\n" + SolveReport.aligned(metricRows()))
        let remarks = remarks
        if !remarks.isEmpty { target.write("\n\n" + remarks.map { "note: " + $0 }.joined(separator: "\n")) }
        target.write("\n")
    }

    /// "rest (N more)" with each probability column's total over the responses not in `shown`;
    /// nil when `shown` lists them all.
    private func restRow(leavingOut shown: [Int]) -> [String]? {
        guard shown.count < scenario.responses.count else { return nil }
        var isShown = [Bool](repeating: false, count: scenario.responses.count)
        for y in shown { isShown[y] = true }
        func total(_ logs: [Double]) -> String {
            var sum = CompensatedSum()
            for y in logs.indices where !isShown[y] { sum.add(exp(logs[y])) }
            return NumberFormat.short(sum.value)
        }
        return ["rest (\(scenario.responses.count - shown.count) more)", "", ""]
            + scenario.references.map { total($0.logProbabilities) }
            + SolveReport.aggregateColumns.map { solution.policy($0.id).map { total($0.logProbabilities) } ?? "—" }
    }

    private func summaryLines() -> [String] {
        let s = solution
        let weights = zip(scenario.references, s.problem.weights)
            .map { "\(VisibleText.escaped($0.0.name)) \(NumberFormat.short($0.1))" }.joined(separator: ", ")
        let n = scenario.responses.count
        let rkl = s.reverseKLValue.map { NumberFormat.short($0) } ?? "−∞ (empty intersection)"
        let gap = s.mrpoGap.map { NumberFormat.short($0) } ?? "undefined (empty intersection)"
        return [
            "β = \(NumberFormat.short(scenario.beta))    weights: \(weights)",
            "|I| = \(s.supports.intersectionSize) of \(n)    |U| = \(s.supports.unionSize) of \(n)",
            "FKL root λ = \(NumberFormat.short(s.forwardKL.lambda, digits: 6))    escaped mass = \(NumberFormat.short(s.forwardKL.escapedMass))",
            "max J_RKL = \(rkl)    bound Σ α_k max J_k = \(NumberFormat.short(s.reverseKLBound))",
            "max J_FKL = \(NumberFormat.short(s.forwardKLValue))    bound Σ α_k max J_FKL,k = \(NumberFormat.short(s.forwardKLBound))",
            "MRPO gap = β KL(π_MRPO ‖ π*_RKL) = \(gap)",
        ]
    }

    /// The policies described in the metrics table and JSON, in order.
    private var describedPolicies: [(id: PolicyID, heading: String, key: String)] {
        scenario.references.indices.map { (PolicyID.reference($0), VisibleText.escaped(scenario.references[$0].name), scenario.references[$0].name) }
            + SolveReport.aggregateColumns
    }

    private func metricRows() -> [[String]] {
        let names = scenario.references.map { VisibleText.escaped($0.name) }
        var header = ["policy", "E[r]", "H", "J_RKL", "J_FKL"]
        header += names.map { "KL(π‖\($0))" } + names.map { "KL(\($0)‖π)" } + names.map { "C_\($0)" }
        var rows = [header]
        for described in describedPolicies {
            guard let policy = solution.policy(described.id) else {
                rows.append([described.heading, "does not exist (empty intersection)"])
                continue
            }
            let m = PolicyMetrics(policy, in: solution.problem)
            var row = [described.heading] + [m.expectedReward, m.entropy, m.reverseKLObjective, m.forwardKLObjective].map { NumberFormat.short($0) }
            row += (m.klTo + m.klFrom + m.coverage).map { NumberFormat.short($0) }
            rows.append(row)
        }
        return rows
    }

    /// Left-aligned first column, right-aligned numbers, two spaces between columns; rows
    /// with fewer cells than the widest (a remark) are joined as they are.
    public static func aligned(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows where row.count == columns {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) }
        }
        return rows.map { line($0, widths) }.joined(separator: "\n")
    }

    /// The number of characters in a cell, counted quickly when it is ASCII (most are numbers).
    static func width(_ cell: String) -> Int {
        cell.utf8.allSatisfy { $0 < 0x80 } ? cell.utf8.count : cell.count
    }

    /// One row padded to `widths` (joined as it is when it has another number of cells).
    static func line(_ row: [String], _ widths: [Int]) -> String {
        guard row.count == widths.count else { return row.joined(separator: "  ") }
        return row.enumerated().map { i, cell in
            let padding = String(repeating: " ", count: widths[i] - width(cell))
            return i == 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }

    // MARK: CSV

    /// One row per response with a header line, then a blank line and the problem's values as
    /// `quantity,value` lines; undefined values are empty cells.
    public func csv(rows: [Int]? = nil) -> String {
        var text = ""
        writeCSV(to: &text, rows: rows)
        return text
    }

    /// Writes `csv()` to `target` line by line, listing `rows` (default: every response in file order).
    public func writeCSV<Target: TextOutputStream>(to target: inout Target, rows: [Int]? = nil) {
        target.write((["response", "reward", "in_intersection", "in_union"] + scenario.references.map(\.name)
            + SolveReport.aggregateColumns.map(\.key)).map(SolveReport.csvField).joined(separator: ",") + "\n")
        let policies = SolveReport.aggregateColumns.map { solution.policy($0.id) }
        for y in rows ?? Array(scenario.responses.indices) {
            var fields = [SolveReport.csvField(scenario.responses[y]), "\(scenario.rewards[y])",
                          "\(solution.supports.intersection[y])", "\(solution.supports.union[y])"]
            fields += scenario.references.map { "\(exp($0.logProbabilities[y]))" }
            fields += policies.map { policy in policy.map { "\($0.probability(y))" } ?? "" }
            target.write(fields.joined(separator: ",") + "\n")
        }
        target.write("\nquantity,value\n")
        for (quantity, value) in csvSummary() {
            target.write(SolveReport.csvField(quantity) + "," + value + "\n")
        }
    }

    /// The values of the whole problem, after the per-response rows and a blank line, as
    /// `quantity,value` lines (named like the JSON keys; an undefined value is an empty field).
    func csvSummary() -> [(String, String)] {
        let s = solution
        func field(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        let weights = zip(scenario.references, scenario.normalizedWeights).map { ("weight_\($0.name)", field($1)) }
        return [("beta", field(scenario.beta))] + weights + [
            ("intersection_size", "\(s.supports.intersectionSize)"), ("union_size", "\(s.supports.unionSize)"),
            ("fkl_lambda", field(s.forwardKL.lambda)), ("fkl_escaped_mass", field(s.forwardKL.escapedMass)),
            ("rkl_value", field(s.reverseKLValue)), ("rkl_bound", field(s.reverseKLBound)),
            ("fkl_value", field(s.forwardKLValue)), ("fkl_bound", field(s.forwardKLBound)),
            ("mrpo_gap", field(s.mrpoGap)),
        ]
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break; other control
    /// characters are shown escaped (`VisibleText.escaped`).
    public static func csvField(_ text: String) -> String {
        let text = VisibleText.escaped(text, keeping: VisibleText.lineBreaks)
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON

    /// The DPO view (App. F): the rewards `π*_RKL` and `π*_FKL` imply, `null` off their supports:
    /// `β log(π*_RKL/π_G)` (r up to a constant on I) and `λ − β π_A/π*_FKL` (r itself on U).
    func impliedRewardsJSON() -> JSONText {
        let s = solution, beta = s.problem.beta
        func array(_ values: [Double?]) -> JSONText { .array(values.map { $0.map(JSONText.number) ?? .null }) }
        let reverse: JSONText = s.reverseKL.flatMap { policy in s.escort.map { array(ImpliedReward.reverseKL(policy, escort: $0, beta: beta)) } } ?? .null
        let forward = array(ImpliedReward.forwardKL(s.forwardKL.policy, mixture: s.mixture, beta: beta, lambda: s.forwardKL.lambda))
        return .object([("rkl", reverse), ("fkl", forward)])
    }

    /// The JSON document: stable keys, full precision, `null` for undefined or infinite values.
    public func json() -> String { jsonValue().rendered() + "\n" }

    /// Writes `json()` to `target` piece by piece.
    public func writeJSON<Target: TextOutputStream>(to target: inout Target) {
        jsonValue().write(to: &target)
        target.write("\n")
    }

    /// Per lab method, its sampler's coverage coefficients (MATH.md, "Coverage coefficients");
    /// `null` for a method whose optimum or sampler does not exist, and for infinite coefficients.
    /// Shared by `solve` and `lab` JSON.
    public static func coverageJSON(_ solution: Solution, referenceNames: [String],
                                    samplers: [KLMethod: CoverageLab.Sampler] = [:]) -> JSONText {
        let coverage = CoverageLab.coverage(solution, samplers: samplers)
        return .object(KLMethod.allCases.map { method in
            guard let entry = coverage.first(where: { $0.method == method }) else { return (method.rawValue, .null) }
            let c = entry.coefficients
            return (method.rawValue, .object([
                ("sampler", .string(entry.sampler.label(referenceNames: referenceNames))),
                ("global", .number(c.global)), ("single", .number(c.single)), ("local", .number(c.local)),
                ("epsilon", .number(c.epsilon)), ("ball", .string(c.ball.rawValue)),
            ]))
        })
    }

    /// The JSON document as a value.
    public func jsonValue() -> JSONText {
        let s = solution
        func probabilities(_ policy: Policy?) -> JSONText { policy.map { .numbers($0.probabilities) } ?? .null }
        func byReference(_ make: (Int) -> JSONText) -> JSONText {
            .object(scenario.references.indices.map { (scenario.references[$0].name, make($0)) })
        }
        func metrics(_ policy: Policy?) -> JSONText {
            guard let policy else { return .null }
            let m = PolicyMetrics(policy, in: s.problem)
            return .object([
                ("expected_reward", .number(m.expectedReward)),
                ("entropy", .number(m.entropy)),
                ("rkl_objective", .number(m.reverseKLObjective)),
                ("fkl_objective", .number(m.forwardKLObjective)),
                ("references", byReference { k in
                    .object([("kl_to", .number(m.klTo[k])), ("kl_from", .number(m.klFrom[k])), ("coverage", .number(m.coverage[k]))])
                }),
            ])
        }
        var policies: [(String, JSONText)] = SolveReport.aggregateColumns.map { ($0.key, probabilities(s.policy($0.id))) }
        // The single-reference optima are solved here, once each: a solution keeps only their values.
        let singleReverse = scenario.references.indices.map { s.policy(.singleReverseKL($0)) }
        let singleForward = scenario.references.indices.map { s.policy(.singleForwardKL($0)) }
        policies.append(("rkl_single", byReference { probabilities(singleReverse[$0]) }))
        policies.append(("fkl_single", byReference { probabilities(singleForward[$0]) }))
        var metricMembers: [(String, JSONText)] = [("references", byReference { metrics(s.policy(.reference($0))) })]
        metricMembers += SolveReport.aggregateColumns.map { ($0.key, metrics(s.policy($0.id))) }
        metricMembers.append(("rkl_single", byReference { metrics(singleReverse[$0]) }))
        metricMembers.append(("fkl_single", byReference { metrics(singleForward[$0]) }))
        return .object(JSONText.scenarioHeader(scenario) + [
            ("policies", .object(policies)),
            ("fkl_lambda", .number(s.forwardKL.lambda)),
            ("fkl_escaped_mass", .number(s.forwardKL.escapedMass)),
            ("implied_rewards", impliedRewardsJSON()),
            ("values", .object([
                ("rkl", .number(s.reverseKLValue)),
                ("rkl_bound", .number(s.reverseKLBound)),
                ("rkl_single", byReference { .number(s.singleReverseKLValues[$0]) }),
                ("fkl", .number(s.forwardKLValue)),
                ("fkl_bound", .number(s.forwardKLBound)),
                ("fkl_single", byReference { .number(s.singleForwardKLValues[$0]) }),
                ("mrpo_gap", .number(s.mrpoGap)),
            ])),
            ("support", .object([
                ("intersection", .array(s.supports.intersection.map { .bool($0) })),
                ("union", .array(s.supports.union.map { .bool($0) })),
                ("intersection_size", .number(Double(s.supports.intersectionSize))),
                ("union_size", .number(Double(s.supports.unionSize))),
            ])),
            ("metrics", .object(metricMembers)),
            ("coverage", SolveReport.coverageJSON(s, referenceNames: scenario.references.map(\.name))),
            ("remarks", .array(remarks.map { .string($0) })),
        ])
    }
}
