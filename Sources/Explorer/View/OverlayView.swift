import KLMath
import Foundation
import TerminalUI

/// Draws the modal overlays as boxes in the middle of the screen: help, the scenario
/// picker, message boxes and yes/no questions. (Text fields live on the status line.)
enum OverlayView {
    static func draw(_ state: ExplorerState, theme: Theme, width: Int, height: Int, into grid: inout Grid) {
        switch state.overlay {
        case .help(let offset): drawHelp(offset: offset, theme: theme, width: width, height: height, into: &grid)
        case .picker(let picker): drawPicker(picker, state: state, theme: theme, width: width, height: height, into: &grid)
        case .seriesMenu(let selected): drawSeriesMenu(selected: selected, state: state, theme: theme, width: width, height: height, into: &grid)
        case .messageBox(let title, let lines):
            drawText(title: theme.text(title), lines: lines.map(theme.text), footer: "Enter or Esc closes", style: .plain, theme: theme, width: width, height: height, into: &grid)
        case .confirm(let question):
            drawText(title: "Please confirm", lines: [theme.text(text(of: question, state: state))], footer: "y yes   n no",
                     style: theme.heading, theme: theme, width: width, height: height, into: &grid)
        case .explain(let topic):
            let explanation = Explanation(topic, state: state, theme: theme)
            let arrows = theme.ascii ? "Left/Right" : "←/→"
            drawText(title: theme.text(explanation.title), lines: explanation.lines.map(theme.text),
                     footer: "\(arrows) other series and numbers   Esc closes", style: .plain, theme: theme,
                     width: width, height: height, into: &grid)
        case .dpo(let first):
            let view = DPOView(state, theme: theme, width: DPOView.proseWidth(screenWidth: width))
            let shown = view.visibleRows(height: height)
            let top = view.clamped(first: first, height: height)
            let arrows = theme.ascii ? "Up/Down" : "↑↓"
            let footer = shown < view.rowCount
                ? "\(arrows) PgUp PgDn scroll (rows \(top + 1)-\(top + shown) of \(view.rowCount))   Esc or d closes" : "Esc or d closes"
            drawText(title: "DPO view: implied rewards", lines: view.intro + view.rows(top..<(top + shown)) + view.notes,
                     footer: footer, style: .plain, theme: theme, width: width, height: height, preformatted: true, into: &grid)
        case .labBeta:
            drawText(title: "Coverage lab: large-m constants across β", lines: LabBetaView.lines(state, theme: theme, width: min(72, width - 8)),
                     footer: "Esc or B closes", style: .plain, theme: theme, width: width, height: height, preformatted: true, into: &grid)
        case .input, nil: break
        }
    }

    /// A box of the given inner size centred on the screen (clipped to it); returns the inside.
    private static func centeredBox(innerWidth: Int, innerHeight: Int, title: String, theme: Theme,
                                    width: Int, height: Int, into grid: inout Grid) -> Rect {
        let boxWidth = min(width - 2, innerWidth + 4)
        let boxHeight = min(height - 2, innerHeight + 2)
        let rect = Rect(x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2), width: boxWidth, height: boxHeight)
        let inner = grid.drawBox(rect, style: theme.box, lineStyle: theme.heading, title: title, titleStyle: theme.heading)
        return Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
    }

    // MARK: Help

    /// The documented choices, shown under the keys.
    static let helpNotes = [
        "0 acts on the focused reference; with β or the reward focused, on the first one.",
        "Opening a file clears the undo history. Keys 1…9 number the series as in the legend; x lists every series.",
    ]

    /// The key reference laid out for a screen `width` columns wide: its lines (the keys in one or
    /// two columns, a blank line, the notes) and the width of the box's inside.
    private static func helpLines(theme: Theme, width: Int) -> (lines: [[(String, Style)]], innerWidth: Int) {
        let entries: [(String, String)] = KeyMap.bindings.map { (theme.ascii ? $0.asciiKeys : $0.keys, $0.summary) }
            + KeyMap.overlayKeys.map { (theme.ascii ? $0.asciiKeys : $0.keys, $0.summary) }
        let keyWidth = entries.map(\.0.count).max()! + 2
        let entryWidth = keyWidth + entries.map(\.1.count).max()!
        let twoColumns = 2 * entryWidth + 2 <= width - 6
        let columnWidth = twoColumns ? 2 * entryWidth + 2 : entryWidth
        let perColumn = twoColumns ? (entries.count + 1) / 2 : entries.count
        let notes = helpNotes.map(theme.text).flatMap { TextLayout.wrap($0, width: max(20, min(columnWidth, width - 8))) }
        var lines: [[(String, Style)]] = (0..<perColumn).map { row in
            var line: [(String, Style)] = []
            for column in 0..<(twoColumns ? 2 : 1) {
                let index = column * perColumn + row
                guard index < entries.count else { continue }
                if column > 0 { line.append(("  ", .plain)) }
                line.append((TextLayout.pad(entries[index].0, to: keyWidth), theme.key))
                line.append((TextLayout.pad(entries[index].1, to: entryWidth - keyWidth), .plain))
            }
            return line
        }
        lines.append([])
        lines += notes.map { [($0, theme.muted)] }
        return (lines, max(columnWidth, notes.map(\.count).max() ?? 0))
    }

    /// How many of `lineCount` lines of the key reference a screen `height` rows high shows: all of
    /// them, or one row fewer than the box's inside, which then says how to scroll.
    private static func helpVisibleLines(_ lineCount: Int, height: Int) -> Int {
        let inside = min(height - 2, lineCount + 2) - 2
        return lineCount > inside ? inside - 1 : inside
    }

    /// The largest useful scroll offset of the key reference on a `width`×`height` screen: the one
    /// that shows its last line at the bottom.
    static func lastHelpOffset(theme: Theme, width: Int, height: Int) -> Int {
        let count = helpLines(theme: theme, width: width).lines.count
        return max(0, count - helpVisibleLines(count, height: height))
    }

    private static func drawHelp(offset: Int, theme: Theme, width: Int, height: Int, into grid: inout Grid) {
        let (lines, innerWidth) = helpLines(theme: theme, width: width)
        let inner = centeredBox(innerWidth: innerWidth, innerHeight: lines.count,
                                title: "Keys (Esc closes)", theme: theme, width: width, height: height, into: &grid)
        let visibleHeight = helpVisibleLines(lines.count, height: height)
        let first = min(max(0, offset), max(0, lines.count - visibleHeight))
        for (index, line) in lines.dropFirst(first).prefix(visibleHeight).enumerated() {
            var column = inner.x
            for (text, style) in line {
                column += grid.write(text, column: column, row: inner.y + index, style: style, limit: inner.maxX - column)
            }
        }
        if visibleHeight < lines.count {
            let arrows = theme.ascii ? "Up/Down" : "↑↓"
            grid.write("\(arrows) scroll (\(first + 1)-\(first + visibleHeight) of \(lines.count))", column: inner.x,
                       row: inner.maxY - 1, style: theme.muted, limit: inner.width)
        }
    }

    // MARK: Picker

    private static func drawPicker(_ picker: Picker, state: ExplorerState, theme: Theme, width: Int, height: Int, into grid: inout Grid) {
        let innerWidth = min(width - 6, 90)
        let title = "Open a scenario" + (picker.folder.map { " in " + theme.text(state.displayPath($0)) + "/" } ?? "")
        guard let entries = picker.entries else {
            let inner = centeredBox(innerWidth: innerWidth, innerHeight: 1, title: title, theme: theme, width: width, height: height, into: &grid)
            grid.write("listing scenario files" + theme.ellipsis, column: inner.x, row: inner.y, style: theme.muted)
            return
        }
        let wanted = min(max(1, entries.count) * 2 + 3, height - 4)
        let inner = centeredBox(innerWidth: innerWidth, innerHeight: wanted, title: title, theme: theme, width: width, height: height, into: &grid)
        let slots = max(1, (inner.height - 3) / 2)
        let first = min(max(0, picker.selected - slots + 1), max(0, entries.count - slots))
        if entries.isEmpty {
            grid.write("No folders or scenario files (.yaml, .yml, .json) here.", column: inner.x, row: inner.y, limit: inner.width)
        }
        for slot in 0..<min(slots, entries.count - first) {
            let index = first + slot
            let entry = entries[index]
            let row = inner.y + slot * 2
            let path = ExplorerState.isParentEntry(entry) ? "" : state.pickerName(entry, in: picker)
            let isSelected = index == picker.selected
            let marker = isSelected ? theme.selectedMarker + " " : "  "
            let titleWidth = max(10, inner.width - path.count - 4)
            let line = marker + TextLayout.pad(theme.text(entry.title), to: titleWidth, ellipsis: theme.ellipsis) + "  "
                + TextLayout.truncate(theme.text(path), to: inner.width - titleWidth - 4, ellipsis: theme.ellipsis)
            grid.write(TextLayout.pad(line, to: inner.width), column: inner.x, row: row, style: isSelected ? theme.selected : .plain)
            let note = entry.loadError.map { "cannot be opened: \($0.message)" } ?? entry.firstNoteLine
            grid.write(TextLayout.truncate(theme.text(note), to: inner.width - 4, ellipsis: theme.ellipsis), column: inner.x + 4,
                       row: row + 1, style: entry.loadError == nil ? theme.muted : theme.error)
        }
        let label = "path: "
        let field = picker.path.visible(width: max(1, inner.width - label.count - 1))
        grid.write(label, column: inner.x, row: inner.maxY - 2, style: theme.key)
        let shown = theme.text(field.text)
        grid.write(shown, column: inner.x + label.count, row: inner.maxY - 2, limit: inner.width - label.count)
        let cursorCharacter: Character = field.cursorColumn < shown.count ? Array(shown)[field.cursorColumn] : " "
        grid[inner.x + label.count + field.cursorColumn, inner.maxY - 2] = Cell(cursorCharacter, style: Style(reverse: true))
        let arrows = theme.ascii ? "Up/Down" : "↑↓"
        let position = entries.isEmpty ? "" : "   (\(picker.selected + 1) of \(entries.count))"
        grid.write("\(arrows) choose   type a path, Tab completes   Enter open   Esc close" + position,
                   column: inner.x, row: inner.maxY - 1, style: theme.muted, limit: inner.width)
    }

    // MARK: PolicyID menu

    /// Every series on a line: shown or hidden, its legend key (1…9, none from the tenth
    /// on), its swatch, name and what it is; scrolled to keep the highlighted one in view.
    private static func drawSeriesMenu(selected: Int, state: ExplorerState, theme: Theme, width: Int, height: Int,
                                       into grid: inout Grid) {
        let referenceCount = state.scenario.references.count
        let all = PolicyID.charted(referenceCount: referenceCount)
        let arrows = theme.ascii ? "Up/Down" : "↑↓"
        let footer = "\(arrows) choose   Space show/hide   a all   Esc close"
        let names = all.map { theme.text(theme.name($0, in: state.scenario)) }
        let lines = all.indices.map { index in
            names[index] + (all[index].isReference ? "" : "  " + theme.explanation(all[index]))
        }
        let innerWidth = min(width - 6, max(footer.count, 10 + (lines.map(\.count).max() ?? 0)))
        let inner = centeredBox(innerWidth: innerWidth, innerHeight: min(all.count, height - 8) + 2, title: "PolicyID",
                                theme: theme, width: width, height: height, into: &grid)
        let slots = max(1, inner.height - 2)
        let first = min(max(0, selected - slots + 1), max(0, all.count - slots))
        for slot in 0..<min(slots, all.count - first) {
            let index = first + slot, series = all[index], row = inner.y + slot
            let isSelected = index == selected
            let hidden = state.chart.hiddenSeries.contains(series)
            let rowStyle = isSelected ? theme.selected : Style.plain
            grid.write(TextLayout.pad((isSelected ? theme.selectedMarker : " ") + (hidden ? " [ ] " : " [x] "), to: inner.width),
                       column: inner.x, row: row, style: rowStyle)
            grid.write(index < 9 ? "\(index + 1)" : " ", column: inner.x + 6, row: row, style: theme.key)
            grid[inner.x + 7, row] = Cell(theme.swatch(series, referenceCount: referenceCount),
                                          style: hidden ? theme.hidden : theme.style(series, referenceCount: referenceCount))
            grid.write(lines[index], column: inner.x + 9, row: row, style: isSelected ? theme.selected : (hidden ? theme.hidden : .plain),
                       limit: inner.width - 9)
        }
        grid.write(footer, column: inner.x, row: inner.maxY - 1, style: theme.muted, limit: inner.width)
    }

    // MARK: Text boxes

    /// A box of `lines`, wrapped to its width unless they are `preformatted` (a table: cut at its edge).
    private static func drawText(title: String, lines: [String], footer: String, style: Style, theme: Theme,
                                 width: Int, height: Int, preformatted: Bool = false, into grid: inout Grid) {
        let longest = max(footer.count, title.count + 4, lines.map(\.count).max() ?? 0)
        let innerWidth = min(width - 8, max(36, min(72, longest)))
        let wrapped = preformatted ? lines : lines.flatMap { TextLayout.wrap($0, width: innerWidth) }
        let inner = centeredBox(innerWidth: innerWidth, innerHeight: wrapped.count + 2, title: title, theme: theme,
                                width: width, height: height, into: &grid)
        for (index, line) in wrapped.prefix(max(0, inner.height - 2)).enumerated() {
            grid.write(line, column: inner.x, row: inner.y + index, style: style, limit: inner.width)
        }
        grid.write(footer, column: inner.x, row: inner.maxY - 1, style: theme.key, limit: inner.width)
    }

    /// The question a confirmation asks, in words.
    static func text(of question: Confirmation, state: ExplorerState) -> String {
        switch question {
        case .quit:
            "There are unsaved changes. Quit anyway?"
        case .overwrite(let url):
            url.standardizedFileURL == state.history.file?.standardizedFileURL
                ? "\(state.displayPath(url)) changed on disk since it was opened. Overwrite it?"
                : "\(state.displayPath(url)) already exists. Overwrite it?"
        case .discardChanges(let url):
            "There are unsaved changes. Discard them and open \(state.displayPath(url))?"
        case .restoreRecovered(let recovered, let more):
            "Unsaved edits from \(recoveryTime(recovered.savedAt))"
                + (recovered.journal.ownerPid.map { " (klscope pid \($0), which has ended)" } ?? "")
                + " were recovered: \(recovered.summary)."
                + (recovered.fileStamp != nil && recovered.fileStamp != state.history.stamp ? " The file changed on disk since." : "")
                + (more > 0 ? " (\(more) more recovered journal\(more == 1 ? "" : "s") after this; after a restore they are kept for the next start.)" : "")
                + " Restore them?"
        }
    }

    /// When a recovery journal was written, in local time: `2026-11-29 14:05:09`.
    static func recoveryTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
