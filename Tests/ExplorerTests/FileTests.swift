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
        #expect(entries(session).map(\.url.lastPathComponent) == ["broken.yaml", "disjoint.yaml", "escape.yaml"])
        #expect(entries(session)[1].title == Fixtures.loadExample("disjoint.yaml").title)
    }

    @Test func pickerNavigationAndOpening() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var session = try Fixtures.session(keys: "l o j j j k", workingDirectory: folder)
        guard case .picker(let picker) = session.state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        #expect(picker.selected == 1)
        // Unsaved changes: opening asks first; n keeps everything.
        try session.handle(KeyNotation.parse("<enter>"))
        #expect(session.state.overlay == .confirm(.discardChanges(folder.appendingPathComponent("examples/disjoint.yaml"))))
        try session.handle(KeyNotation.parse("y"))
        #expect(session.state.scenario == Fixtures.loadExample("disjoint.yaml"))
        #expect(session.state.file?.lastPathComponent == "disjoint.yaml")
        #expect(!session.hasUnsavedChanges)
        #expect(session.state.undoStack.isEmpty)
        #expect(session.state.message?.text.hasPrefix("opened examples/disjoint.yaml") == true)
        #expect(session.state.analysis.solution.supports.intersectionIsEmpty)
    }

    @Test func failedLoadShowsTheErrorAndKeepsTheScenario() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session(Fixtures.three, keys: "o <enter>", workingDirectory: folder)
        #expect(session.state.scenario == Fixtures.three)
        #expect(session.state.file == nil)
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
        #expect(session.state.file?.standardizedFileURL == url.standardizedFileURL)
        #expect(!session.hasUnsavedChanges)
        #expect(session.state.message?.text == "saved to mine.yaml")
        #expect(try ScenarioLoader.load(contentsOf: url).beta == session.state.scenario.beta)
    }

    @Test func saveAsAsksBeforeReplacingAnotherFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("examples/escape.yaml")
        let before = try String(contentsOf: target, encoding: .utf8)
        var session = try Fixtures.session(keys: "S examples/escape.yaml <enter>", workingDirectory: folder)
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
        var session = ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: url), file: url,
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
        #expect(session.state.file == nil)
    }
}
