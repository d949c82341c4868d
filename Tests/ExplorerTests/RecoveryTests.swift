import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The crash-recovery journal kept by `RecoveryKeeper` and the restore question.
@Suite struct RecoveryKeeperTests {
    @Test func editsAreJournaledThrottledAndRemovedOnSaveAndUndo() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lesson.yaml")
        try ScenarioWriter.save(Fixtures.loadExample("agree.yaml"), to: file)
        var session = ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: file), file: file,
                                      options: ExplorerOptions(), workingDirectory: folder)
        var keeper = RecoveryKeeper(directory: folder.appendingPathComponent("state"), interval: .seconds(1))
        let journal = keeper.journal(for: session)
        let start = ContinuousClock.now
        keeper.update(session, now: start)
        #expect(!journal.exists, "nothing to journal before an edit")

        try session.handle(KeyNotation.parse("<right>"))
        keeper.update(session, now: start)
        #expect(journal.read()?.scenario == session.state.scenario, "the first edit is journaled at once")

        try session.handle(KeyNotation.parse("<right>"))
        keeper.update(session, now: start + .milliseconds(500))
        #expect(journal.read()?.scenario != session.state.scenario, "throttled")
        keeper.update(session, now: start + .milliseconds(1100))
        #expect(journal.read()?.scenario == session.state.scenario, "written once the interval has passed")

        try session.handle(KeyNotation.parse("uu"))
        keeper.update(session, now: start + .seconds(3))
        #expect(!journal.exists, "undoing every edit removes the journal")

        try session.handle(KeyNotation.parse("<right>"))
        keeper.update(session, now: start + .seconds(5))
        #expect(journal.exists)
        try session.handle(KeyNotation.parse("s"))
        #expect(!session.hasUnsavedChanges)
        keeper.update(session, now: start + .seconds(7))
        #expect(!journal.exists, "saving removes the journal")
    }

    /// Case 5 of the files issue: the journal records the stamp of the file the edits were made
    /// to; after restoring them over a file that changed on disk since, saving asks first.
    @Test func savingRecoveredEditsOverAFileChangedSinceAsks() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lesson.yaml")
        try ScenarioWriter.save(Fixtures.loadExample("agree.yaml"), to: file)
        var first = ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: file), file: file,
                                    options: ExplorerOptions(), workingDirectory: folder)
        var keeper = RecoveryKeeper(directory: folder.appendingPathComponent("state"))
        try first.handle(KeyNotation.parse("<right>"))
        keeper.update(first)
        let journal = keeper.journal(for: first)
        #expect(journal.read()?.fileStamp == FileStamp.of(file))
        // The explorer is killed; someone retitles the file; a new explorer starts on it.
        let retitled = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "title: ", with: "title: Retitled ")
        try retitled.write(to: file, atomically: true, encoding: .utf8)
        var second = ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: file), file: file,
                                     options: ExplorerOptions(), workingDirectory: folder)
        let recovered = try #require(journal.read())
        second.offerRecovery(recovered)
        #expect(second.view(width: 120, height: 40).text.contains("were recovered; the file changed"))
        try second.handle(KeyNotation.parse("y s"))
        #expect(second.state.overlay == .confirm(.overwrite(file)), "saving asks before overwriting the retitled file")
        try second.handle(KeyNotation.parse("n"))
        #expect(try String(contentsOf: file, encoding: .utf8) == retitled)
        #expect(second.hasUnsavedChanges)
    }

    @Test func restoreQuestionRestoresAsAnUnsavedEditOrDiscards() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var recovered = Scenario.builtInDefault
        recovered.beta = 2.5
        var keeper = RecoveryKeeper(directory: folder)
        var session = try Fixtures.session()
        let journal = keeper.journal(for: session)
        try journal.write(recovered)
        let saved = try #require(journal.read())
        #expect(saved.scenario == recovered)
        keeper.adopt(journal)
        session.offerRecovery(saved)
        keeper.update(session)
        #expect(journal.exists, "kept while the question is open")
        let text = session.view(width: 120, height: 40).text
        #expect(text.contains("Unsaved edits from"))
        #expect(text.contains("were recovered. Restore them?"))

        var yes = session
        try yes.handle(KeyNotation.parse("y"))
        #expect(yes.state.scenario.beta == 2.5)
        #expect(yes.hasUnsavedChanges)
        var no = session
        try no.handle(KeyNotation.parse("n"))
        #expect(no.state.scenario == .builtInDefault)
        keeper.update(no)
        #expect(!journal.exists, "declining removes the journal")
    }

    /// Case 2 of the files issue: a journal that cannot be written is said once, and the keeper
    /// keeps trying, so the journal appears once the folder can be written again.
    @Test func aJournalFailureIsSaidOnceAndRetried() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Tests run as root, where permissions do not stop writes: the state "folder" is a file.
        let state = folder.appendingPathComponent("state")
        try Data().write(to: state)
        var keeper = RecoveryKeeper(directory: state, interval: .milliseconds(300))
        var session = try Fixtures.session()
        let start = ContinuousClock.now
        try session.handle(KeyNotation.parse("<right>"))
        keeper.update(session, now: start)
        let handedOut = keeper.newFailure()
        let failure = try #require(handedOut, "the failure is handed out")
        session.reportJournalFailure(failure)
        #expect(session.view(width: 120, height: 40).text.contains("edits are not being journalled"))
        keeper.update(session, now: start + .milliseconds(400))
        let again = keeper.newFailure()
        #expect(again == nil, "said once, not at every retry")
        try FileManager.default.removeItem(at: state)
        keeper.update(session, now: start + .milliseconds(800))
        #expect(keeper.journal(for: session).read()?.scenario == session.state.scenario, "retried and written")
        #expect(keeper.lastError == nil)
    }

    @Test func journalsAreNamedPerFileAndFollowXDG() {
        let directory = URL(fileURLWithPath: "/state")
        let a = RecoveryJournal(for: URL(fileURLWithPath: "/x/lesson.yaml"), in: directory)
        let b = RecoveryJournal(for: URL(fileURLWithPath: "/y/lesson.yaml"), in: directory)
        #expect(a != b)
        #expect(a.url.lastPathComponent.hasPrefix("lesson.yaml-"))
        #expect(RecoveryJournal(for: nil, in: directory).url.lastPathComponent == "built-in-default.yaml")
        #expect(RecoveryJournal.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/klscope")
        #expect(RecoveryJournal.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path == "/h/.local/state/klscope")
        #expect(RecoveryJournal.defaultDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/klscope")
    }
}
