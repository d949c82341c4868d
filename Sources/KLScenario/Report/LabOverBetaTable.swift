import KLMath
import TerminalUI

/// The large-m constants of the coverage lab across β as a text table: `klscope lab --over beta`
/// prints it, the explorer's β view (`B`) shows it. The rows come from `CoverageLab.theoryOverBeta`.
public enum LabOverBetaTable {
    /// What the columns are, in one line.
    public static let heading = "Large-m constants across β: lim m·E[sub-optimality gap] (sub) and lim √m·E[optimality gap] (opt); — where none exists"

    /// The header and one line per β: β, then each method's sub-optimality and optimality
    /// constants, each right-aligned in `cellWidth` columns; the row whose β is `marked` starts
    /// with `▶` (`>` in ASCII). `ascii` spells the missing constant `-` instead of `—`.
    public static func lines(_ rows: [(beta: Double, theory: [CoverageLab.Theory])], cellWidth: Int = 10,
                             marked: Double? = nil, ascii: Bool = false) -> [String] {
        let methods = KLMethod.allCases
        func line(_ cells: [String]) -> String { cells.map { TextLayout.pad($0, to: cellWidth, .right) }.joined(separator: " ") }
        let header = line(["beta"] + methods.flatMap { ["\($0.title) sub", "\($0.title) opt"] })
        return [header] + rows.map { row in
            let beta = (row.beta == marked ? (ascii ? "> " : "▶ ") : "") + NumberFormat.short(row.beta, digits: 3, ascii: ascii)
            return line([beta] + methods.flatMap { method in
                CoverageLab.Gap.allCases.map { gap in
                    row.theory.first { $0.method == method }?.constant(gap).map { NumberFormat.short($0, digits: 3, ascii: ascii) } ?? (ascii ? "-" : "—")
                }
            })
        }
    }
}
