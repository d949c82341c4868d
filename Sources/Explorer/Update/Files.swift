import KLMath
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

    /// `o`: opens the picker on its start view and asks for its listing.
    mutating func openPicker() -> [Effect] {
        overlay = .picker(Picker(entries: nil))
        return [.list(pickerDirectories, folder: nil)]
    }

    /// The folder the picker's typed path and `..` are relative to.
    func pickerBase(_ picker: Picker) -> URL {
        picker.folder ?? workingDirectory
    }

    /// How the picker names `entry` for typing and completion: its path from the picker's base,
    /// with a trailing `/` for a folder (`..` for the folder above).
    func pickerName(_ entry: ScenarioListing, in picker: Picker) -> String {
        if Self.isParentEntry(entry) { return "../" }
        let name = Self.path(of: entry.url, from: pickerBase(picker))
        return entry.isFolder ? name + "/" : name
    }

    /// Whether `entry` is the picker's `..`, the folder above the one shown.
    static func isParentEntry(_ entry: ScenarioListing) -> Bool {
        entry.isFolder && entry.title == "../"
    }

    /// Keys in the picker: ↑/↓ move, typing edits the path, Tab completes it, Enter opens the
    /// typed path or the highlighted entry (going into a folder), Esc closes.
    mutating func handlePicker(_ picker: Picker, key: Key) -> [Effect] {
        var picker = picker
        let count = picker.entries?.count ?? 0
        switch key {
        case .escape:
            overlay = nil
            return []
        case .up: picker.selected -= 1
        case .down: picker.selected += 1
        case .pageUp: picker.selected -= 10
        case .pageDown: picker.selected += 10
        case .home: picker.selected = 0
        case .end: picker.selected = count - 1
        case .tab: return completePickerPath(picker)
        case .enter:
            let typed = picker.path.text
            if !typed.isEmpty {
                let url = URL(fileURLWithPath: (typed as NSString).expandingTildeInPath, relativeTo: pickerBase(picker)).standardizedFileURL
                return browse(url, in: picker)
            }
            guard let entries = picker.entries, entries.indices.contains(picker.selected) else { return [] }
            let entry = entries[picker.selected]
            return entry.isFolder ? browse(entry.url, in: picker) : choose(entry.url)
        default:
            guard picker.path.apply(key) else { return [] }
            // Highlight the first entry the typed path begins.
            let typed = picker.path.text
            if !typed.isEmpty, let first = picker.entries?.firstIndex(where: { pickerName($0, in: picker).hasPrefix(typed) }) {
                picker.selected = first
            }
        }
        picker.selected = min(max(picker.selected, 0), max(0, count - 1))
        overlay = .picker(picker)
        return []
    }

    /// Tab in the picker: completes the typed path to the longest beginning its matches share;
    /// when that is a folder of the list, the picker goes into it.
    mutating func completePickerPath(_ picker: Picker) -> [Effect] {
        var picker = picker
        let typed = picker.path.text
        let names = (picker.entries ?? []).map { pickerName($0, in: picker) }
        let matches = names.indices.filter { names[$0].hasPrefix(typed) }
        guard let first = matches.first else {
            // A path into another folder: list that folder, then complete the rest of the name there.
            if let slash = typed.lastIndex(of: "/") {
                let folderPart = String(typed[...slash])
                let folder = URL(fileURLWithPath: (folderPart as NSString).expandingTildeInPath, relativeTo: pickerBase(picker)).standardizedFileURL
                if folder.path != pickerBase(picker).standardizedFileURL.path {
                    let effects = browse(folder, in: picker)
                    if case .picker(var inside) = overlay {
                        inside.path = LineEditor(String(typed[typed.index(after: slash)...]))
                        inside.completesWhenListed = true
                        overlay = .picker(inside)
                    }
                    return effects
                }
            }
            message = StatusMessage("nothing here begins with \"\(typed)\"", kind: .error)
            return []
        }
        var common = names[first]
        for index in matches.dropFirst() {
            common = String(zip(common, names[index]).prefix { $0 == $1 }.map(\.0))
        }
        if let entries = picker.entries, let folder = names.indices.first(where: { entries[$0].isFolder && names[$0] == common }) {
            return browse(entries[folder].url, in: picker)
        }
        picker.path = LineEditor(common)
        picker.selected = first
        if matches.count > 1 { message = StatusMessage("\(matches.count) entries begin with \"\(common)\"", kind: .info) }
        overlay = .picker(picker)
        return []
    }

    /// Shows the folder `url` in the picker (a file there is opened instead, `Message.pickedFile`).
    private mutating func browse(_ url: URL, in picker: Picker) -> [Effect] {
        let folder = url.standardizedFileURL
        overlay = .picker(Picker(folder: folder, entries: nil))
        return [.list([folder], folder: folder)]
    }

    /// The picker's listing arrived: kept when the picker still shows that folder, with `..` first
    /// (except at the root); the first file is highlighted (else the first folder after `..`).
    /// A completion waiting for the listing (Tab on a path into another folder) is finished.
    mutating func receiveListing(folder: URL?, _ entries: [ScenarioListing]) -> [Effect] {
        guard case .picker(var picker) = overlay, picker.folder == folder else { return [] }
        let base = pickerBase(picker).standardizedFileURL
        let up = base.path == "/" ? [] : [ScenarioListing(url: base.deletingLastPathComponent(), title: "../", firstNoteLine: "the folder above", isFolder: true)]
        let all = up + entries
        picker.entries = all
        picker.selected = all.firstIndex { !$0.isFolder } ?? min(up.count, max(0, all.count - 1))
        overlay = .picker(picker)
        guard picker.completesWhenListed else { return [] }
        picker.completesWhenListed = false
        overlay = .picker(picker)
        return completePickerPath(picker)
    }

    /// Opens the file at `url` from the picker, asking first when there are unsaved changes.
    mutating func choose(_ url: URL) -> [Effect] {
        if history.hasUnsavedChanges {
            overlay = .confirm(.discardChanges(url))
            return []
        }
        overlay = nil
        return [.load(url)]
    }

    /// `s`: saves to the scenario's file, checking that it did not change on disk; the
    /// built-in default has no file, so it asks for a path like `S`.
    mutating func save() -> [Effect] {
        guard let file = history.file else {
            beginSaveAs()
            return []
        }
        return [.save(scenario, to: file, expecting: .unchanged(history.stamp))]
    }

    /// `S`: asks for a path, offering the current file's.
    mutating func beginSaveAs() {
        overlay = .input(TextInput(purpose: .savePath, editor: LineEditor(history.file.map(displayPath) ?? "")))
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
        let expectation: DiskExpectation = url == history.file?.standardizedFileURL ? .unchanged(history.stamp) : .absent
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
            history.open(loaded.scenario, file: url, stamp: loaded.stamp)
            pinned = nil
            chart.open(referenceCount: loaded.scenario.references.count)
            if let k = focus.reference, k >= loaded.scenario.references.count { focus = .beta }
            overlay = nil
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
            history.markSaved(to: url, stamp: newStamp)
            message = StatusMessage("saved to \(displayPath(url))", kind: .success)
        }
    }
}
