import KLMath
import KLScenario
import TerminalUI

/// The DPO view (`d`, MATH.md App. F): the reward each optimal policy implies, `β log(π*_RKL/π_G)`
/// and `λ − β π_A/π*_FKL`, beside `r`, for every response. Each column is shifted by one constant
/// (the mean of `r − r̂` over its support) so that it reads against `r`: on the support it is `r`
/// again; outside the support (where the policy gives 0) the implied reward is undefined, and says so.
enum DPOView {
    /// The text of the view, its prose wrapped to `width`: a note, a table (response, r, the
    /// implied rewards, those of a comparable pin) and what `outside` means.
    static func lines(_ state: ExplorerState, theme: Theme, width: Int) -> [String] {
        var columns: [(String, [Double?])] = implied(state.analysis.solution, beta: state.scenario.beta, rewards: state.scenario.rewards)
        if let pin = state.comparablePin {
            columns += implied(pin.analysis.solution, beta: pin.scenario.beta, rewards: pin.scenario.rewards)
                .map { ($0.0.replacingOccurrences(of: "r̂", with: "pin"), $0.1) }
        }
        let labelWidth = min(14, max(8, state.scenario.responses.map(\.count).max() ?? 0))
        let cell = 10
        func row(_ first: String, _ cells: [String]) -> String {
            TextLayout.pad(first, to: labelWidth, ellipsis: theme.ellipsis)
                + cells.map { String(repeating: " ", count: max(0, cell - $0.count)) + $0 }.joined()
        }
        func prose(_ text: String) -> [String] { TextLayout.wrap(text, width: max(20, width)) }
        var lines = prose("Implied rewards r̂ = β log(π*_RKL/π_G) and λ − β π_A/π*_FKL, each shifted by one constant "
                          + "(the mean of r − r̂ over its support) to read against r: on its support a column is r again.") + [""]
        lines.append(row("response", ["r"] + columns.map(\.0)))
        for y in state.scenario.responses.indices {
            let cells = columns.map { column in column.1[y].map { NumberFormat.short($0, digits: 4, ascii: theme.ascii) } ?? "outside" }
            lines.append(row(theme.text(state.scenario.responses[y]),
                             [NumberFormat.short(state.scenario.rewards[y], digits: 4, ascii: theme.ascii)] + cells))
        }
        lines.append("")
        lines += prose("outside: the policy gives the response 0, so no reward is implied there (undefined).")
        if state.analysis.solution.reverseKL == nil {
            lines += prose("RKL* is undefined: the references share no response (the support intersection is empty).")
        }
        return lines
    }

    /// The shifted implied rewards of RKL* (when defined) and FKL* of `solution`.
    private static func implied(_ solution: Solution, beta: Double, rewards: [Double]) -> [(String, [Double?])] {
        var columns: [(String, [Double?])] = []
        if let reverse = solution.reverseKL, let escort = solution.escort {
            columns.append(("r̂ RKL*", shifted(ImpliedReward.reverseKL(reverse, escort: escort, beta: beta), to: rewards)))
        }
        columns.append(("r̂ FKL*", shifted(ImpliedReward.forwardKL(solution.forwardKL.policy, mixture: solution.mixture, beta: beta,
                                                                  lambda: solution.forwardKL.lambda), to: rewards)))
        return columns
    }

    /// `implied` plus the mean of `r − r̂` over where it is defined.
    private static func shifted(_ implied: [Double?], to rewards: [Double]) -> [Double?] {
        let differences = implied.indices.compactMap { y in implied[y].map { rewards[y] - $0 } }
        guard !differences.isEmpty else { return implied }
        let constant = differences.reduce(0, +) / Double(differences.count)
        return implied.map { $0.map { $0 + constant } }
    }
}
