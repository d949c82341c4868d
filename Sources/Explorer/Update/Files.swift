import Foundation
import KLScenario
import TerminalUI

extension ExplorerState {
    /// The folders the picker lists: `examples/` under the working directory, the directory
    /// itself, and the installed examples (`ScenarioListing.installedExamplesDirectory`).
    var pickerDirectories: [URL] {
        [workingDirectory.appendingPathComponent("examples", isDirectory: true), workingDirectory]
            + [ScenarioListing.installedExamplesDirectory].compactMap { $0 }
    }

    /// `o`: opens the picker and asks for the list of scenario files.
    mutating func openPicker() -> [Effect] {
        overlay = .picker(Picker(entries: nil))
        return [.list(pickerDirectories)]
    }

    /// Keys in the picker: move, open the highlighted file, or close.
    mutating func handlePicker(_ picker: Picker, key: Key) -> [Effect] {
        var picker = picker
        let count = picker.entries?.count ?? 0
        switch key {
        case .escape, .character("q"):
            overlay = nil
            return []
        case .up, .character("k"): picker.selected -= 1
        case .down, .character("j"): picker.selected += 1
        case .pageUp: picker.selected -= 10
        case .pageDown: picker.selected += 10
        case .home: picker.selected = 0
        case .end: picker.selected = count - 1
        case .enter:
            guard let entries = picker.entries, entries.indices.contains(picker.selected) else { return [] }
            let url = entries[picker.selected].url
            if hasUnsavedChanges {
                overlay = .confirm(.discardChanges(url))
                return []
            }
            overlay = nil
            return [.load(url)]
        default: return []
        }
        picker.selected = min(max(picker.selected, 0), max(0, count - 1))
        overlay = .picker(picker)
        return []
    }

    /// `s`: saves to the scenario's file, checking that it did not change on disk; the
    /// built-in default has no file, so it asks for a path like `S`.
    mutating func save() -> [Effect] {
        guard let file else {
            beginSaveAs()
            return []
        }
        return [.save(scenario, to: file, expecting: .unchanged(stamp))]
    }

    /// `S`: asks for a path, offering the current file's.
    mutating func beginSaveAs() {
        overlay = .input(TextInput(purpose: .savePath, editor: LineEditor(file.map(displayPath) ?? "")))
    }

    /// Saves to `path` (relative to the working directory; `.yaml` added when there is no
    /// extension), asking before replacing a file that is not the scenario's own.
    mutating func saveAs(path: String) -> [Effect] {
        guard !path.isEmpty else {
            message = StatusMessage("no path typed: not saved", kind: .error)
            return []
        }
        var url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: workingDirectory).standardizedFileURL
        if url.pathExtension.isEmpty { url.appendPathExtension("yaml") }
        let expectation: DiskExpectation = url == file?.standardizedFileURL ? .unchanged(stamp) : .absent
        return [.save(scenario, to: url, expecting: expectation)]
    }

    /// A file was read: it replaces the scenario (clearing the undo history), or the error
    /// is shown in a box and the current scenario stays.
    mutating func finishLoading(_ url: URL, _ result: Result<LoadedFile, ScenarioError>) {
        switch result {
        case .failure(let error):
            overlay = .messageBox(title: "Could not open \(displayPath(url))",
                                  lines: [error.description, "", "The current scenario is unchanged."])
        case .success(let loaded):
            document = Document(scenario: loaded.scenario, revision: nextRevision, change: nil)
            nextRevision += 1
            savedRevision = document.revision
            undoStack.removeAll()
            redoStack.removeAll()
            file = url
            stamp = loaded.stamp
            zeroed.removeAll()
            pinned = nil
            let seriesNow = Set(Series.all(referenceCount: loaded.scenario.references.count))
            hiddenSeries.formIntersection(seriesNow)
            if let k = focus.reference, k >= loaded.scenario.references.count { focus = .beta }
            overlay = nil
            scrollTop = 0
            select(0)
            let notices = loaded.scenario.loadNotices
            message = StatusMessage((["opened \(displayPath(url))"] + notices).joined(separator: "; "), kind: notices.isEmpty ? .success : .info)
        }
    }

    /// A file was written (or not).
    mutating func finishSaving(_ url: URL, _ result: Result<FileStamp?, ScenarioError>) {
        switch result {
        case .failure(let error):
            overlay = .messageBox(title: "Could not save \(displayPath(url))", lines: [error.description])
        case .success(let newStamp):
            file = url
            stamp = newStamp
            savedRevision = document.revision
            // The file on disk is now this document: edits are journalled from here, and the
            // documents of the undo history are no longer edits of it.
            document.edits = []
            for i in undoStack.indices { undoStack[i].edits = nil }
            for i in redoStack.indices { redoStack[i].edits = nil }
            message = StatusMessage("saved to \(displayPath(url))", kind: .success)
        }
    }
}
