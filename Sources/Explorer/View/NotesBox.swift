import Foundation
import KLScenario
import TerminalUI

/// The scenario's notes in a box under the chart (`n`).
enum NotesBox {
    /// The notes wrapped to `width`, as drawn.
    static func lines(_ scenario: Scenario, theme: Theme, width: Int) -> [String] {
        TextLayout.wrap(theme.text(text(scenario)), width: width)
    }

    /// The text shown: the notes, or a sentence saying there are none. A line break
    /// followed by a lower-case letter continues the sentence, so it is joined for
    /// wrapping; other line breaks are kept.
    private static func text(_ scenario: Scenario) -> String {
        guard !scenario.notes.isEmpty else { return "This scenario has no notes." }
        var text = ""
        for line in scenario.notes.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty {
                text += trimmed.first?.isLowercase == true && text.last != "\n" ? " " : "\n"
            }
            text += trimmed
        }
        return text
    }

    static func draw(_ state: ExplorerState, theme: Theme, in rect: Rect, into grid: inout Grid) {
        let inner = grid.drawBox(rect, style: theme.box, lineStyle: theme.frame, title: "Notes (n hides)", titleStyle: theme.heading)
        let inset = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        let lines = lines(state.scenario, theme: theme, width: inset.width)
        for (index, line) in lines.prefix(inset.height).enumerated() {
            let isLastShown = index == inset.height - 1 && lines.count > inset.height
            grid.write(isLastShown ? TextLayout.truncate(line + " " + theme.ellipsis, to: inset.width, ellipsis: theme.ellipsis) : line,
                       column: inset.x, row: inset.y + index, style: state.scenario.notes.isEmpty ? theme.muted : .plain)
        }
    }
}
