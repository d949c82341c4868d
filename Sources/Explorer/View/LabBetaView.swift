import KLMath
import KLScenario
import TerminalUI

/// The lab's β view (`B`, MATH.md "Large-m theory of the lab"): the large-m constants of each
/// method across β, the table of `klscope lab --over beta` from the same computation
/// (`CoverageLab.theoryOverBeta`, one solve per β, no sampling), with the current β marked.
/// It shows how far the constants are from a plain `1/β` factor (the RKL one is not monotone).
enum LabBetaView {
    /// The β values shown: half decades from 0.01 to 10 and the current β, in order.
    static func betas(current: Double) -> [Double] {
        let grid = CoverageLab.logSpaced(from: 0.01, to: 10, steps: 7)
        return (grid.contains(current) ? grid : grid + [current]).sorted()
    }

    /// The text of the view, its prose wrapped to `width`: what the columns are, the table and,
    /// at the current β, why a constant is missing.
    static func lines(_ state: ExplorerState, theme: Theme, width: Int) -> [String] {
        let beta = state.scenario.beta
        let samplers = state.lab.configuration.samplers
        let rows = CoverageLab.theoryOverBeta(state.scenario.problem, betas: betas(current: beta), samplers: samplers)
        func prose(_ text: String) -> [String] { TextLayout.wrap(theme.text(text), width: max(20, width)) }
        var lines = prose(LabOverBetaTable.heading + ". No sampling: one solve per β, with the lab's samplers.") + [""]
        lines += LabOverBetaTable.lines(rows, cellWidth: 9, marked: beta, ascii: theme.ascii).map(theme.text)
        lines.append("")
        let marker = theme.ascii ? ">" : "▶"
        lines += prose("\(marker) marks the current β = \(NumberFormat.short(beta, digits: 3, ascii: theme.ascii)).")
        let current = rows.first { $0.beta == beta }?.theory ?? []
        for theory in current { if let reason = theory.reason { lines += prose("\(theory.method.title) here: \(reason).") } }
        let undefined = KLMethod.allCases.filter { method in !current.contains { $0.method == method } }.map(\.title)
        if !undefined.isEmpty {
            lines += prose(undefined.joined(separator: " and ") + " undefined: the references share no response (the support intersection is empty).")
        }
        return lines
    }
}
