import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// Opening from the picker, failed loads, saving and the on-disk change check.
@Suite struct FileTests {
    /// A working folder with `examples/disjoint.yaml`, `examples/escape.yaml` and a broken `broken.yaml`.
    private func folder() throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        let examples = folder.appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        for name in ["disjoint.yaml", "escape.yaml"] {
            try FileManager.default.copyItem(at: Fixtures.example(name), to: examples.appendingPathComponent(name))
        }
        try "title: Broken\nbeta: 1\nresponses: [a, b]\nrewards: [1]\nreferences: []\n"
            .write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private func entries(_ session: ExplorerSession) -> [ScenarioListing] {
        guard case .picker(let picker) = session.state.overlay else { return [] }
        return picker.entries ?? []
    }

    @Test func pickerListsExamplesAndTheWorkingFolder() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(keys: "o", workingDirectory: folder)
        #expect(entries(session).map(\.url.lastPathComponent) == [folder.deletingLastPathComponent().lastPathComponent, "examples",
                                                                  "broken.yaml", "disjoint.yaml", "escape.yaml"])
        #expect(entries(session).map(\.isFolder) == [true, true, false, false, false])
        #expect(entries(session)[3].title == Fixtures.loadExample("disjoint.yaml").title)
        guard case .picker(let picker) = session.state.overlay else { return }
        #expect(picker.selected == 2, "the first entry after ..")
    }

    /// Issue 11 item 11: the interactive explorer lists in the background. After `o` the picker
    /// is open and says it is listing; keys edit, move and close it before the listing arrives
    /// (results reach the state only when drained), and a listing for a closed picker changes nothing.
    @Test func keysWorkWhileTheListingIsPending() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let numbers = Array(repeating: "0.5", count: 2_000_000).joined(separator: ", ")
        try "title: Huge\nbeta: 1\nresponses: [\(numbers)]\n".write(to: folder.appendingPathComponent("huge.yaml"), atomically: false, encoding: .utf8)
        let session = ExplorerSession(scenario: Fixtures.three, file: nil, options: ExplorerOptions(), workingDirectory: folder)
        #expect(session.listsInBackground)
        session.handle(.resize(width: 120, height: 40))
        session.handle(.key(.character("o")))
        guard case .picker(let pending) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(pending.entries == nil)
        #expect(session.view(width: 120, height: 40).text.contains("listing scenario files"))
        try session.handle(KeyNotation.parse("h u <down> <left>"))
        guard case .picker(let typing) = session.state.overlay else { return }
        #expect(typing.path.text == "hu" && typing.entries == nil)
        session.waitForBackground()
        guard case .picker(let listed) = session.state.overlay else { return }
        #expect(listed.path.text == "hu")
        #expect(try #require(listed.entries).map(\.title).contains("Huge"))
        // Closed before its listing arrived: the listing is dropped.
        try session.handle(KeyNotation.parse("<esc> o <esc>"))
        #expect(session.state.overlay == nil)
        session.waitForBackground()
        #expect(session.state.overlay == nil)
    }

    @Test func pickerNavigationAndOpening() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(keys: "l o <down> <down> <down> <up>", workingDirectory: folder)
        guard case .picker(let picker) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(picker.selected == 3)
        // Unsaved changes: opening asks first; n keeps everything.
        try session.handle(KeyNotation.parse("<enter>"))
        #expect(session.state.overlay == .confirm(.discardChanges(folder.appendingPathComponent("examples/disjoint.yaml"))))
        try session.handle(KeyNotation.parse("y"))
        #expect(session.state.scenario == Fixtures.loadExample("disjoint.yaml"))
        #expect(session.state.history.file?.lastPathComponent == "disjoint.yaml")
        #expect(!session.hasUnsavedChanges)
        #expect(session.state.history.undoStack.isEmpty)
        #expect(session.state.message?.text.hasPrefix("opened examples/disjoint.yaml") == true)
        #expect(session.state.analysis.solution.supports.intersectionIsEmpty)
    }

    @Test func pickerGoesIntoFoldersAndBackUp() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Enter on the highlighted folder (examples/, one up from broken.yaml) goes into it.
        let session = try Fixtures.session(keys: "o <up> <enter>", workingDirectory: folder)
        guard case .picker(let inside) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(inside.folder?.path == folder.appendingPathComponent("examples").standardizedFileURL.path)
        #expect(entries(session).map { session.state.pickerName($0, in: inside) } == ["../", "disjoint.yaml", "escape.yaml"])
        // .. goes back up to the working folder.
        try session.handle(KeyNotation.parse("<home> <enter>"))
        guard case .picker(let up) = session.state.overlay else { return }
        #expect(up.folder?.path == folder.standardizedFileURL.path)
        #expect(entries(session).map { session.state.pickerName($0, in: up) } == ["../", "examples/", "broken.yaml"])
    }

    @Test func pickerTypedPathWithTabCompletion() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Fixtures.example("escape.yaml"), to: folder.appendingPathComponent("examples/escape-copy.yaml"))
        // "ex" Tab completes to "examples/", a folder, and goes into it; "e" Tab completes what
        // two files share and says so; "." Tab then completes to escape.yaml.
        let session = try Fixtures.session(keys: "o e x <tab> e <tab>", workingDirectory: folder)
        guard case .picker(let picker) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(picker.folder?.path == folder.appendingPathComponent("examples").standardizedFileURL.path)
        #expect(picker.path.text == "escape")
        #expect(session.state.message?.text == "2 entries begin with \"escape\"")
        try session.handle(KeyNotation.parse(". <tab>"))
        guard case .picker(let completed) = session.state.overlay else { return }
        #expect(completed.path.text == "escape.yaml")
        #expect(session.state.pickerName(try #require(completed.entries)[completed.selected], in: completed) == "escape.yaml")
        try session.handle(KeyNotation.parse("<enter>"))
        #expect(session.state.history.file?.lastPathComponent == "escape.yaml")
        #expect(session.state.overlay == nil)
        let none = try Fixtures.session(keys: "o z <tab>", workingDirectory: folder)
        #expect(none.state.message?.text == "nothing here begins with \"z\"")
    }

    @Test func pickerOpensATypedAbsolutePathOutsideTheWorkingFolder() throws {
        let folder = try folder()
        let elsewhere = try Fixtures.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: elsewhere)
        }
        // Started in a folder with no examples/: a typed folder path is browsed, a typed file path opened.
        let session = try Fixtures.session(keys: "o", workingDirectory: elsewhere)
        try session.handle(KeyNotation.parse(folder.appendingPathComponent("examples").path + "<enter>"))
        guard case .picker(let picker) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(picker.folder?.path == folder.appendingPathComponent("examples").standardizedFileURL.path)
        #expect(entries(session).count == 3)
        try session.handle(KeyNotation.parse("d i s <tab> <enter>"))
        #expect(session.state.history.file?.lastPathComponent == "disjoint.yaml")
        // Tab on a typed path into another folder lists that folder and completes there.
        let typed = try Fixtures.session(keys: "o", workingDirectory: elsewhere)
        try typed.handle(KeyNotation.parse(folder.path + "/examples/esc<tab>"))
        guard case .picker(let completed) = typed.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(completed.folder?.path == folder.appendingPathComponent("examples").standardizedFileURL.path)
        #expect(completed.path.text == "escape.yaml")
    }

    @Test func failedLoadShowsTheErrorAndKeepsTheScenario() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(Fixtures.three, keys: "o <enter>", workingDirectory: folder)
        #expect(session.state.scenario == Fixtures.three)
        #expect(session.state.history.file == nil)
        guard case .messageBox(let title, let lines) = session.state.overlay else {
            Issue.record("no message box")
            return
        }
        #expect(title == "Could not open broken.yaml")
        #expect(lines.first?.contains("broken.yaml:") == true)
        #expect(lines.first?.contains("rewards") == true)
        let closed = try Fixtures.session(Fixtures.three, keys: "o <enter> <esc>", workingDirectory: folder)
        #expect(closed.state.overlay == nil)
    }

    @Test func saveOfTheBuiltInDefaultAsksForAPath() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(keys: "l s mine <enter>", workingDirectory: folder)
        let url = folder.appendingPathComponent("mine.yaml")
        #expect(session.state.history.file?.standardizedFileURL == url.standardizedFileURL)
        #expect(!session.hasUnsavedChanges)
        #expect(session.state.message?.text == "saved to mine.yaml")
        #expect(try ScenarioLoader.load(contentsOf: url).beta == session.state.scenario.beta)
    }

    @Test func saveAsAsksBeforeReplacingAnotherFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("examples/escape.yaml")
        let before = try String(contentsOf: target, encoding: .utf8)
        let session = try Fixtures.session(keys: "S examples/escape.yaml <enter>", workingDirectory: folder)
        #expect(session.state.overlay == .confirm(.overwrite(target)))
        try session.handle(KeyNotation.parse("n"))
        #expect(try String(contentsOf: target, encoding: .utf8) == before)
        try session.handle(KeyNotation.parse("S examples/escape.yaml <enter> y"))
        #expect(try ScenarioLoader.load(contentsOf: target).title == Scenario.builtInDefault.title)
    }

    @Test func saveNoticesAFileChangedOnDisk() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("examples/escape.yaml")
        let session = ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: url), file: url,
                                      options: ExplorerOptions(), workingDirectory: folder)
        try session.handle(KeyNotation.parse("l s"))
        #expect(!session.hasUnsavedChanges)
        // Someone else edits the file; the next save asks.
        try (String(contentsOf: url, encoding: .utf8) + "\n# edited elsewhere\n").write(to: url, atomically: true, encoding: .utf8)
        try session.handle(KeyNotation.parse("l s"))
        #expect(session.state.overlay == .confirm(.overwrite(url)))
        #expect(session.hasUnsavedChanges)
        try session.handle(KeyNotation.parse("y"))
        #expect(!session.hasUnsavedChanges)
        // The session's values replace the file's; the file's own text around them (here the
        // other editor's comment) is kept, as every save keeps it.
        #expect(try ScenarioLoader.load(contentsOf: url).beta == session.state.scenario.beta)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("edited elsewhere"))
    }

    @Test func saveFailureIsShownInABox() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(keys: "l S missing/folder/x.yaml <enter>", workingDirectory: folder)
        guard case .messageBox(let title, _) = session.state.overlay else {
            Issue.record("no message box")
            return
        }
        #expect(title == "Could not save missing/folder/x.yaml")
        #expect(session.hasUnsavedChanges)
        #expect(session.state.history.file == nil)
    }
}
