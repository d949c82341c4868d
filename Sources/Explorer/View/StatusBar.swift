import Foundation
import KLScenario
import TerminalUI

/// The bottom line: a text field, a transient message, or hints for the focused control
/// and the main keys.
enum StatusBar {
    static func draw(_ state: ExplorerState, theme: Theme, width: Int, row: Int, into grid: inout Grid) {
        if case .input(let input) = state.overlay {
            drawInput(input, state: state, theme: theme, width: width, row: row, into: &grid)
            return
        }
        if let message = state.message {
            let style: Style = switch message.kind {
            case .error: theme.error
            case .success: theme.success
            case .info: .plain
            }
            grid.write(TextLayout.truncate(theme.text(message.text), to: width - 2, ellipsis: theme.ellipsis), column: 1, row: row, style: style)
            return
        }
        var column = 1
        for (key, meaning) in focusHint(state, theme: theme) {
            column += grid.write(key, column: column, row: row, style: theme.key)
            column += grid.write(" " + meaning + "  ", column: column, row: row, style: theme.muted)
        }
        let arrows = theme.ascii ? "Up/Dn" : "↑↓"
        var keys: [(String, String)] = [(arrows, "select"), ("Tab", "focus"), ("v", "layout"), ("n", "notes"),
                                        ("o", "open"), ("s", "save"), ("u", "undo"), ("?", "help"), ("q", "quit")]
        func length(_ keys: [(String, String)]) -> Int { keys.map { $0.0.count + $0.1.count + 3 }.reduce(0, +) }
        while !keys.isEmpty, column + length(keys) > width { keys.removeFirst() }
        column = width - length(keys) + 1
        for (key, meaning) in keys {
            column += grid.write(key, column: column, row: row, style: theme.key)
            column += grid.write(" " + meaning + "  ", column: column, row: row, style: theme.muted)
        }
    }

    /// What the arrow keys do to the focused control.
    private static func focusHint(_ state: ExplorerState, theme: Theme) -> [(String, String)] {
        let arrows = theme.ascii ? "Left/Right" : "←→"
        let t = theme.times
        let name: String
        let small: String, large: String
        switch state.focus {
        case .beta: (name, small, large) = (theme.beta, "\(t)1.2", "\(t)3")
        case .weight(let k): (name, small, large) = ("weight \(state.scenario.references[k].name)", "±0.05", "±0.2")
        case .reward: (name, small, large) = ("reward", "±0.1", "±1")
        case .probability(let k): (name, small, large) = ("p \(state.scenario.references[k].name)", "odds \(t)1.2", "\(t)3")
        }
        return [(arrows, "\(name) \(small)"), ("H L", large), ("Enter", "type"), ("0", "zero")]
    }

    private static func drawInput(_ input: TextInput, state: ExplorerState, theme: Theme, width: Int, row: Int, into grid: inout Grid) {
        let scenario = state.scenario
        let y = state.chart.selected
        let prompt: String
        var suffix = ""
        switch input.purpose {
        case .value(.beta): prompt = "\(theme.beta) = "
        case .value(.weight(let k)): prompt = "weight \(scenario.references[k].name) (0…1) = "
        case .value(.reward): prompt = "reward of \(scenario.responses[y]) = "
        case .value(.probability(let k)): prompt = "p \(scenario.references[k].name)(\(scenario.responses[y])) (0…1) = "
        case .search:
            prompt = "/"
            let query = input.editor.text
            if !query.isEmpty, !LabelMatch(query).matches(scenario.responses[y]) { suffix = "  (no match)" }
        case .savePath: prompt = "save as: "
        }
        let hint = "  Enter accept  Esc cancel"
        var column = 1 + grid.write(prompt, column: 1, row: row, style: theme.heading, limit: width / 2)
        let fieldWidth = max(4, width - column - hint.count - suffix.count - 1)
        let (text, cursor) = input.editor.visible(width: fieldWidth)
        grid.write(text, column: column, row: row)
        let cursorCharacter: Character = cursor < text.count ? Array(text)[cursor] : " "
        grid[column + cursor, row] = Cell(cursorCharacter, style: Style(reverse: true))
        column += max(text.count, cursor + 1)
        column += grid.write(suffix, column: column, row: row, style: theme.error)
        grid.write(hint, column: max(column, width - hint.count - 1), row: row, style: theme.muted)
    }
}
