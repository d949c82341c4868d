import Foundation
import KLScenario
import TerminalUI

/// The title line: scenario title, file name with the unsaved mark, `β`, the normalised weights.
enum TitleBar {
    static func draw(_ state: ExplorerState, theme: Theme, width: Int, into grid: inout Grid) {
        grid.fill(Rect(x: 0, y: 0, width: width, height: 1), with: Cell(" ", style: theme.titleBar))
        let scenario = state.scenario
        // A tour's steps have no file of their own: the tour and the step stand in for it.
        let source = state.history.file.map { state.displayPath($0) }
            ?? state.tour.map { "\($0.file) step \($0.index + 1)/\($0.stops.count)" } ?? "built-in"
        let file = theme.text(source) + (state.history.hasUnsavedChanges ? " " + theme.unsavedMark : "")
        let weights = scenario.normalizedWeights
        let named = scenario.references.indices.map { (state.playback?.target == .weight($0) ? "\(theme.playMark) " : "") + "\(scenario.references[$0].name) \(NumberFormat.short(weights[$0], digits: 3, ascii: theme.ascii))" }
        let bare = weights.map { NumberFormat.short($0, digits: 3, ascii: theme.ascii) }.joined(separator: "/")
        let separator = " \(theme.verticalRule) "
        let playing = state.playback.map { $0.target == .beta ? "\(theme.playMark) " : "" } ?? ""
        let beta = playing + "\(theme.beta) \(theme.number(scenario.beta))"
        var right = [file, beta, "\(theme.alpha) " + named.joined(separator: " ")].joined(separator: separator)
        if right.count > width * 3 / 4 { right = [file, beta, "\(theme.alpha) " + bare].joined(separator: separator) }
        let titleRoom = width - right.count - separator.count - 2
        let title = TextLayout.truncate(theme.text(scenario.title), to: max(0, titleRoom), ellipsis: theme.ellipsis)
        grid.write(title, column: 1, row: 0, style: theme.titleText)
        let rightStart = max(1 + title.count + separator.count, width - 1 - right.count)
        if title.isEmpty {
            grid.write(right, column: 1, row: 0, style: theme.titleBar, limit: width - 2)
        } else {
            grid.write(separator + right, column: rightStart - separator.count, row: 0, style: theme.titleBar, limit: width - rightStart + separator.count - 1)
        }
    }
}
