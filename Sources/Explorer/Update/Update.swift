import KLMath
import Foundation
import TerminalUI

/// The explorer's update function: given a state and a message, changes the state and
/// returns the effects to perform. It does no I/O and reads no clock, so the same state and
/// message always give the same result. A whole step leaves the state settled: the analysis
/// solved for the current scenario, the sweeps asked for, the lab restarted on an edit.
public enum Update {
    /// The whole step: applies `message` to `state`, settles it, and returns the effects.
    public static func update(_ state: inout ExplorerState, _ message: Message) -> [Effect] {
        update(&state, messages: [message])
    }

    /// Applies `messages` in order and settles once: keys that arrived faster than frames (a
    /// held key) are solved for once, not once each. Returns the effects of the messages, then
    /// those of settling.
    public static func update(_ state: inout ExplorerState, messages: [Message]) -> [Effect] {
        messages.flatMap { apply(&state, $0) } + settle(&state)
    }

    /// Brings what is derived from the scenario up to date after messages were applied: re-solves
    /// when the scenario changed, refreshes the sweep view's sweeps and restarts the coverage lab
    /// on an edited scenario. Does nothing when nothing changed.
    public static func settle(_ state: inout ExplorerState) -> [Effect] {
        state.solveIfNeeded() + state.lab.restartIfEdited(state.scenario, revision: state.history.document.revision)
    }

    /// Applies one message without settling; the session applies a batch of events, with the
    /// effects each asks for performed in between (a listing arrives before the next key), and
    /// then settles once.
    public static func apply(_ state: inout ExplorerState, _ message: Message) -> [Effect] {
        switch message {
        case .event(.resize(let width, let height)):
            state.screen = ScreenSize(width: width, height: height)
            state.keepSelectionVisible()
            return []
        case .event(.mouse(let mouse)):
            return state.handleMouse(mouse)
        case .event(.key(let key)):
            state.message = nil
            return state.handleKey(key)
        case .loaded(let url, let result):
            state.finishLoading(url, result)
            return []
        case .saved(let url, let result):
            state.finishSaving(url, result)
            return []
        case .saveConflict(let url):
            state.overlay = .confirm(.overwrite(url))
            return []
        case .exported(let url, let error):
            state.message = error.map { StatusMessage("could not write \(state.displayPath(url)): \($0)", kind: .error) }
                ?? StatusMessage("chart written to \(url.standardizedFileURL.path)", kind: .success)
            return []
        case .labProgress(let generation, let report):
            state.lab.receive(generation: generation, report: report, finished: false)
            return []
        case .labFinished(let generation, let report):
            state.lab.receive(generation: generation, report: report, finished: true)
            return []
        case .sweepProgress(let generation, let partial):
            state.sweep.receive(generation: generation, partial, finished: false)
            return []
        case .sweepFinished(let generation, let partial):
            state.sweep.receive(generation: generation, partial, finished: true)
            return []
        case .tick:
            state.advancePlayback()
            return []
        case .listed(let folder, let entries):
            return state.receiveListing(folder: folder, entries)
        case .pickedFile(let url):
            guard case .picker = state.overlay else { return [] }
            return state.choose(url)
        }
    }
}

extension ExplorerState {
    /// Sends a key to the open overlay, or runs its main-screen command.
    mutating func handleKey(_ key: Key) -> [Effect] {
        if ScreenLayout.isTooSmall(screen) { return handleKeyOnTooSmallScreen(key) }
        if playback != nil {
            switch key {
            case .character("<"): changePlaySpeed(by: -1)
            case .character(">"): changePlaySpeed(by: 1)
            default: pausePlaying()
            }
            return []
        }
        switch overlay {
        case nil:
            guard let command = KeyMap.command(for: key) else { return [] }
            return run(command)
        case .help(let offset):
            switch key {
            case .escape, .enter, .character("?"), .character("q"), .function(1): overlay = nil
            case .down, .character("j"): scrollHelp(to: offset + 1)
            case .up, .character("k"): scrollHelp(to: offset - 1)
            case .pageDown, .character(" "): scrollHelp(to: offset + 10)
            case .pageUp: scrollHelp(to: offset - 10)
            default: break
            }
            return []
        case .explain(let topic):
            switch key {
            case .escape, .enter, .character("i"), .character("q"): overlay = nil
            case .right, .down, .tab, .character("l"), .character("j"): stepExplanation(topic, by: 1)
            case .left, .up, .backTab, .character("h"), .character("k"): stepExplanation(topic, by: -1)
            default: break
            }
            return []
        case .dpo(let first):
            scrollDPOView(from: first, key: key)
            return []
        case .labBeta:
            if [.escape, .enter, .character("B"), .character("q")].contains(key) { overlay = nil }
            return []
        case .messageBox:
            if [.escape, .enter, .character("q"), .character(" ")].contains(key) { overlay = nil }
            return []
        case .confirm(let question):
            return answer(question, with: key)
        case .input(let input):
            return handleInput(input, key: key)
        case .picker(let picker):
            return handlePicker(picker, key: key)
        case .seriesMenu(let selected):
            handleSeriesMenu(selected: selected, key: key)
            return []
        }
    }

    /// Scrolls the key reference to `offset`, kept between its top and the offset that shows its
    /// last line, so that a key pressed past either end is not stored up.
    private mutating func scrollHelp(to offset: Int) {
        let last = OverlayView.lastHelpOffset(theme: Theme(options), width: screen.width, height: screen.height)
        overlay = .help(offset: min(max(0, offset), last))
    }

    /// The DPO view: ↑/↓ (j/k) scroll its table a row, PgUp/PgDn (Space) a page, Home/End
    /// (g/G) to either end; Esc, Enter, d or q close it.
    private mutating func scrollDPOView(from first: Int, key: Key) {
        let view = DPOView(self)
        let page = view.visibleRows(height: screen.height)
        let wanted: Int
        switch key {
        case .escape, .enter, .character("d"), .character("q"):
            overlay = nil
            return
        case .down, .character("j"): wanted = first + 1
        case .up, .character("k"): wanted = first - 1
        case .pageDown, .character(" "): wanted = first + page
        case .pageUp: wanted = first - page
        case .home, .character("g"): wanted = 0
        case .end, .character("G"): wanted = view.rowCount
        default: return
        }
        overlay = .dpo(first: view.clamped(first: wanted, height: screen.height))
    }

    /// Opens the DPO view, or scrolls it, with response `first` at the top of its table (kept
    /// within the table: a table that fits is shown whole).
    mutating func showDPOView(from first: Int) {
        overlay = .dpo(first: DPOView(self).clamped(first: first, height: screen.height))
    }

    /// The series menu: ↑/↓ (j/k) choose, Space or Enter hides / shows, a shows every
    /// series, 1…9 toggle as on the main screen, Esc, x or q close.
    private mutating func handleSeriesMenu(selected: Int, key: Key) {
        let count = PolicyID.charted(referenceCount: scenario.references.count).count
        switch key {
        case .escape, .character("x"), .character("q"): overlay = nil
        case .down, .character("j"): overlay = .seriesMenu(selected: min(count - 1, selected + 1))
        case .up, .character("k"): overlay = .seriesMenu(selected: max(0, selected - 1))
        case .home: overlay = .seriesMenu(selected: 0)
        case .end: overlay = .seriesMenu(selected: count - 1)
        case .character(" "), .enter: toggleSeries(selected + 1)
        case .character("a"):
            chart.showAllSeries()
            keepSelectionVisible()
        default:
            if case .toggleSeries(let number) = KeyMap.command(for: key) { toggleSeries(number) }
        }
    }

    /// Behind the "terminal too small" notice nothing can be seen, so only quitting acts: q
    /// (or Ctrl-C) quits, or asks on the notice itself when there are unsaved changes.
    private mutating func handleKeyOnTooSmallScreen(_ key: Key) -> [Effect] {
        if case .confirm(.quit) = overlay { return answer(.quit, with: key) }
        guard KeyMap.command(for: key) == .quit else { return [] }
        return run(.quit)
    }

    /// Runs a main-screen command.
    mutating func run(_ command: Command) -> [Effect] {
        switch command {
        case .selectPrevious: selectPosition(chart.selectedPosition - 1)
        case .selectNext: selectPosition(chart.selectedPosition + 1)
        case .pageUp: selectPosition(chart.selectedPosition - chartFit().visible)
        case .pageDown: selectPosition(chart.selectedPosition + chartFit().visible)
        case .selectFirst: selectPosition(0)
        case .selectLast: selectPosition(scenario.responses.count - 1)
        case .cycleSort: cycleSort()
        case .toggleTail: toggleTail()
        case .focusNext: moveFocus(by: 1)
        case .focusPrevious: moveFocus(by: -1)
        case .decrease: stepFocused(direction: -1, large: false)
        case .increase: stepFocused(direction: 1, large: false)
        case .decreaseLarge: stepFocused(direction: -1, large: true)
        case .increaseLarge: stepFocused(direction: 1, large: true)
        case .toggleZero: toggleZero()
        case .typeValue: overlay = .input(TextInput(purpose: .value(focus), editor: LineEditor()))
        case .switchLayout:
            chart.switchLayout()
            keepSelectionVisible()
        case .cycleBarScale: cycleBarScale()
        case .toggleSeries(let number): toggleSeries(number)
        case .seriesMenu: overlay = .seriesMenu(selected: 0)
        case .toggleSweep: sweep.toggle()
        case .exportChart: return exportChart()
        case .toggleLab: return toggleLab()
        case .switchLabGap: switchLabGap()
        case .cancelLab: return cancelOrRerunLab()
        case .moveLabFit(let step): moveLabFit(by: step)
        case .labBetaView: overlay = .labBeta
        case .turnLabNotes: turnLabNotes()
        case .nextTourStep: return stepTour(by: 1)
        case .previousTourStep: return stepTour(by: -1)
        case .nextSweepQuantity:
            sweep.showNextQuantity()
        case .search: overlay = .input(TextInput(purpose: .search(origin: chart.selected), editor: LineEditor()))
        case .toggleNotes: chart.showNotes(!chart.showsNotes)
        case .open: return openPicker()
        case .save: return save()
        case .saveAs: beginSaveAs()
        case .undo: undo()
        case .redo: redo()
        case .help: overlay = .help(offset: 0)
        case .explain: overlay = .explain(focusedTopic)
        case .dpoView: showDPOView(from: chart.selected)
        case .togglePin: togglePin()
        case .play: startPlaying()
        case .slower: changePlaySpeed(by: -1)
        case .faster: changePlaySpeed(by: 1)
        case .quit:
            if history.hasUnsavedChanges { overlay = .confirm(.quit) } else { quitRequested = true }
        case .closeOverlay:
            if lab.isOpen { return lab.close() }
            if chart.showsNotes { chart.showNotes(false) }
        }
        return []
    }

    /// `y` answers yes; `n` and Esc answer no; other keys are ignored.
    private mutating func answer(_ question: Confirmation, with key: Key) -> [Effect] {
        switch key {
        case .character("y"), .character("Y"):
            overlay = nil
            switch question {
            case .quit:
                quitRequested = true
                return []
            case .overwrite(let url):
                return [.save(scenario, to: url, expecting: .anything)]
            case .discardChanges(let url):
                return [.load(url)]
            case .restoreRecovered(let recovered, _):
                restoreRecovered(recovered)
                return []
            }
        case .character("n"), .character("N"), .escape:
            overlay = nil
            if case .overwrite = question { message = StatusMessage("not saved", kind: .info) }
            if case .restoreRecovered = question { message = StatusMessage("recovered edits discarded", kind: .info) }
            return []
        default:
            return []
        }
    }

    /// Edits the text field; Enter accepts it, Esc cancels it.
    private mutating func handleInput(_ input: TextInput, key: Key) -> [Effect] {
        var input = input
        switch key {
        case .escape:
            overlay = nil
            if case .search(let origin) = input.purpose { select(origin) }
            return []
        case .enter:
            overlay = nil
            let text = input.editor.text.trimmingCharacters(in: .whitespaces)
            switch input.purpose {
            case .value(let control): enterValue(text, for: control)
            case .search:
                if !text.isEmpty, !LabelMatch(text).matches(scenario.responses[chart.selected]) {
                    message = StatusMessage("no response label contains \"\(text)\"", kind: .error)
                }
            case .savePath: return saveAs(path: text)
            }
            return []
        default:
            input.editor.apply(key)
            overlay = .input(input)
            if case .search(let origin) = input.purpose { search(input.editor.text, from: origin) }
            return []
        }
    }
}
