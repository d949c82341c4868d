import ArgumentParser
import Foundation
import KLMath
import KLScenario
import TerminalUI

/// `klscope solve`: prints every policy and value of a scenario as a table, JSON or CSV.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Print the policies, roots and optimal values of a scenario.",
        discussion: """
            The table has one row per response (reward, support mark, each reference, π_G, π_A, \
            π_H, RKL*, FKL*, MRPO), then λ, the escaped mass, the optimal values beside their \
            upper bounds, the MRPO gap and the diagnostics of every policy. CSV has one row per \
            response, then a blank line and quantity,value rows: β, the weights, |I|, |U|, λ, the \
            escaped mass, both optimal values and bounds, the MRPO gap (empty when undefined). \
            JSON has stable keys, full double precision and null for undefined or infinite values; \
            implied_rewards holds the DPO view: β log(π*_RKL/π_G) (r up to a constant on I) and \
            λ − β π_A/π*_FKL (r on U).
            """
    )

    /// The output formats of `solve`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Argument(help: "A scenario file (YAML or JSON).")
    var file: String

    @OptionGroup var overrides: ScenarioOverrides

    @Option(help: "Output format: table, json or csv.")
    var format: Format = .table

    @Option(help: ArgumentHelp("List only the N responses with the largest values of --by (table and CSV); the table adds a row summing the rest.", valueName: "N"))
    var top: Int?

    @Option(help: ArgumentHelp("Order the rows by this column, largest first: reward, a reference's name, escort, mixture, harmonic, rkl, fkl or mrpo, or the same as on screen (π_G, pi_G, RKL*, RKL, …) (default with --top: rkl).", valueName: "column"))
    var by: String?

    func run() throws {
        let scenario = try overrides.applied(to: loadScenarioOrExit(file))
        let report = SolveReport(scenario: scenario)
        let rows = try selectedRows(report)
        // Written piece by piece: a vocabulary's report is tens of megabytes of text.
        var output = BufferedOutput()
        switch format {
        case .table: report.writeTable(to: &output, rows: rows)
        case .json: report.writeJSON(to: &output)
        case .csv: report.writeCSV(to: &output, rows: rows)
        }
        output.flush()
    }
}

extension SolveCommand {
    /// The responses `--top` and `--by` ask for, in order; nil for all of them in file order.
    /// Mistakes exit with status 2 and a message.
    func selectedRows(_ report: SolveReport) throws -> [Int]? {
        guard top != nil || by != nil else { return nil }
        if format == .json { try fail("--top and --by apply to the table and CSV; JSON always lists every response") }
        if let top, top < 1 { try fail("--top must be at least 1, got \(top)") }
        let name = by ?? "rkl"
        guard let column = report.column(named: name) else {
            try fail("--by \(name): no such column; use one of \(report.columnNames.joined(separator: ", "))")
        }
        guard let rows = report.responses(by: column, limit: top) else {
            try fail("--by \(name): the policy does not exist (the references share no response); order by fkl or mixture instead")
        }
        return rows
    }
}
