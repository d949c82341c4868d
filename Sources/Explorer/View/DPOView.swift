import KLMath
import KLScenario
import TerminalUI

/// The DPO view (`d`, MATH.md App. F): the reward each optimal policy implies, `β log(π*_RKL/π_G)`
/// and `λ − β π_A/π*_FKL`, beside `r`, for every response. Each column is shifted by one constant
/// (the mean of `r − r̂` over its support) so that it reads against `r`: on the support it is `r`
/// again; outside the support (where the policy gives 0) the implied reward is undefined, and says so.
///
/// The table has a row per response, which at a vocabulary's scale is far more than a screen: the
/// view formats only the rows shown, and scrolls them between its fixed note above and below.
struct DPOView {
    /// The note above the table, a blank line and the table's heading.
    let intro: [String]
    /// A blank line and what `outside` (and an undefined RKL*) means, below the table.
    let notes: [String]
    /// The table's rows: one per response.
    let rowCount: Int
    private let state: ExplorerState
    private let labelWidth: Int
    private let theme: Theme
    private static let cell = 10

    /// The view of `state`, its prose wrapped to `width`; the implied rewards are computed only
    /// when `rows` are asked for.
    init(_ state: ExplorerState, theme: Theme, width: Int) {
        self.state = state
        self.theme = theme
        rowCount = state.scenario.responses.count
        labelWidth = max(8, min(14, state.analysis.longestLabel))
        var titles = Self.titles(state.analysis.solution)
        if let pin = state.comparablePin {
            titles += Self.titles(pin.analysis.solution).map { $0.replacingOccurrences(of: "r̂", with: "pin") }
        }
        func prose(_ text: String) -> [String] { TextLayout.wrap(text, width: max(20, width)) }
        intro = prose("Implied rewards r̂ = β log(π*_RKL/π_G) and λ − β π_A/π*_FKL, each shifted by one constant "
                      + "(the mean of r − r̂ over its support) to read against r: on its support a column is r again.")
            + ["", Self.row("response", ["r"] + titles, labelWidth: labelWidth, theme: theme)]
        var notes = [""] + prose("outside: the policy gives the response 0, so no reward is implied there (undefined).")
        if state.analysis.solution.reverseKL == nil {
            notes += prose("RKL* is undefined: the references share no response (the support intersection is empty).")
        }
        self.notes = notes
    }

    /// The view as the explorer shows it on `state`'s screen.
    init(_ state: ExplorerState) {
        self.init(state, theme: Theme(state.options), width: Self.proseWidth(screenWidth: state.screen.width))
    }

    /// The width the prose is wrapped to on a screen `screenWidth` columns wide.
    static func proseWidth(screenWidth: Int) -> Int { min(72, screenWidth - 8) }

    /// The table's rows of the responses in `range`.
    func rows(_ range: Range<Int>) -> [String] {
        var columns = Self.implied(state.analysis.solution, beta: state.scenario.beta, rewards: state.scenario.rewards)
        if let pin = state.comparablePin {
            columns += Self.implied(pin.analysis.solution, beta: pin.scenario.beta, rewards: pin.scenario.rewards)
        }
        let number = { NumberFormat.short($0, digits: 4, ascii: theme.ascii) }
        return range.map { y in
            Self.row(theme.text(state.scenario.responses[y]),
                     [number(state.scenario.rewards[y])] + columns.map { $0[y].map(number) ?? "outside" },
                     labelWidth: labelWidth, theme: theme)
        }
    }

    /// How many of the table's rows a box on a screen `height` rows high shows (at least one):
    /// all of them when they fit, else what is left beside the notes, the blank line and the
    /// footer inside the box's border.
    func visibleRows(height: Int) -> Int {
        max(1, min(rowCount, height - 6 - intro.count - notes.count))
    }

    /// `first` (the first row shown) kept within the table on a screen `height` rows high.
    func clamped(first: Int, height: Int) -> Int {
        max(0, min(first, rowCount - visibleRows(height: height)))
    }

    private static func row(_ first: String, _ cells: [String], labelWidth: Int, theme: Theme) -> String {
        TextLayout.pad(first, to: labelWidth, ellipsis: theme.ellipsis)
            + cells.map { String(repeating: " ", count: max(0, cell - $0.count)) + $0 }.joined()
    }

    /// The titles of the columns `implied` gives for `solution`.
    private static func titles(_ solution: Solution) -> [String] {
        (solution.reverseKL != nil && solution.escort != nil ? ["r̂ RKL*"] : []) + ["r̂ FKL*"]
    }

    /// The shifted implied rewards of RKL* (when defined) and FKL* of `solution`, in the order of `titles`.
    private static func implied(_ solution: Solution, beta: Double, rewards: [Double]) -> [[Double?]] {
        var columns: [[Double?]] = []
        if let reverse = solution.reverseKL, let escort = solution.escort {
            columns.append(shifted(ImpliedReward.reverseKL(reverse, escort: escort, beta: beta), to: rewards))
        }
        columns.append(shifted(ImpliedReward.forwardKL(solution.forwardKL.policy, mixture: solution.mixture, beta: beta,
                                                       lambda: solution.forwardKL.lambda), to: rewards))
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
