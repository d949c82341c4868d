import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The crash-recovery journal kept by `RecoveryKeeper` and the restore question.
@Suite struct RecoveryKeeperTests {
    /// A copy of an example in `folder`, and a session on it as loaded.
    static func sessionOnCopy(in folder: URL, example: String = "agree.yaml") throws -> (URL, ExplorerSession) {
        let file = folder.appendingPathComponent("lesson.yaml")
        if !FileManager.default.fileExists(atPath: file.path) { try ScenarioWriter.save(Fixtures.loadExample(example), to: file) }
        return (file, ExplorerSession(scenario: try ScenarioLoader.load(contentsOf: file), file: file,
                                      options: ExplorerOptions(), workingDirectory: folder))
    }

    /// The explorer with `owner` on the file in `folder`, started (journal created, others offered).
    static func explorer(_ owner: Int32, in folder: URL) throws -> (session: ExplorerSession, keeper: RecoveryKeeper) {
        let session = try sessionOnCopy(in: folder).1
        var keeper = RecoveryKeeper(directory: folder.appendingPathComponent("state"), owner: JournalOwner(pid: owner, started: 1_800_000_000))
        keeper.start(session)
        return (session, keeper)
    }

    /// Waits, for up to 10 s, until no process holds the locks of `journals`, whose explorers'
    /// keepers are gone. A lock goes with the last descriptor of its file, and a process that a
    /// concurrent test spawns gets a copy of every descriptor open in this test process, which it
    /// holds until it starts its program: on a loaded machine that takes long enough for a later
    /// explorer to take a killed one for a live one.
    static func waitUntilReleased(_ journals: [RecoveryJournal]) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while journals.contains(where: \.ownerIsRunning), ContinuousClock.now < deadline { usleep(10_000) }
        let held = journals.filter(\.ownerIsRunning)
        try #require(held.isEmpty, "the killed explorers' locks are still held: \(held.map(\.url.lastPathComponent))")
    }

    @Test func editsAreJournalledAsTheyAreMadeAndForgottenOnSaveUndoAndQuit() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var (session, keeper) = try Self.explorer(1, in: folder)
        let loaded = session.state.scenario
        let journal = keeper.journal(for: session)
        #expect(journal.exists && journal.ownerIsRunning, "the journal is held from the start")
        #expect(journal.read(onto: loaded) == nil, "no edits to offer")

        try session.handle(KeyNotation.parse("<right> <tab> <right> <tab> <right>"))
        keeper.update(session)
        #expect(journal.read(onto: loaded)?.scenario == session.state.scenario, "journalled at once, replayed onto the file as loaded")

        try session.handle(KeyNotation.parse("uuu"))
        keeper.update(session)
        #expect(journal.read(onto: loaded) == nil, "undoing every edit empties the log")

        try session.handle(KeyNotation.parse("<right> s"))
        #expect(!session.hasUnsavedChanges)
        keeper.update(session)
        let saved = try ScenarioLoader.load(contentsOf: session.state.history.file!)
        #expect(journal.read(onto: saved) == nil, "saving empties the log")
        try session.handle(KeyNotation.parse("<right>"))
        keeper.update(session)
        #expect(journal.read(onto: saved)?.scenario == session.state.scenario, "edits after a save are journalled against the saved file")
        #expect(journal.read(onto: saved)?.fileStamp == FileStamp.of(session.state.history.file!))

        keeper.finish()
        #expect(!journal.exists, "a clean quit removes the journal")
    }

    /// An undo back past a save cannot be replayed onto the saved file: the whole scenario is journalled.
    @Test func anUndoPastASaveJournalsTheScenario() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var (session, keeper) = try Self.explorer(1, in: folder)
        try session.handle(KeyNotation.parse("<right> s u"))
        keeper.update(session)
        let saved = try ScenarioLoader.load(contentsOf: session.state.history.file!)
        let recovered = try #require(keeper.journal(for: session).read(onto: saved))
        #expect(recovered.edits == nil)
        #expect(recovered.scenario == session.state.scenario)
        keeper.finish()
    }

    /// Case 9 of the files issue: at n = 150,000 an edit appends a few bytes to the journal;
    /// the scenario (megabytes as YAML) is never written, and the journal stays kilobytes.
    @Test func anEditAtVocabularyScaleWritesBytesNotTheScenario() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = SyntheticScenario.make(responses: 150_000, references: 2, seed: 7)
        let session = try Fixtures.session(scenario)
        var keeper = RecoveryKeeper(directory: folder, owner: JournalOwner(pid: 1, started: 1))
        keeper.start(session)
        let created = keeper.bytesWritten
        #expect(created < 100, "the journal starts as a header")
        // β, a weight, a reward, a probability's odds, and a typed probability.
        for keys in ["<right>", "<tab> <right>", "<tab> <right>", "<tab> <right>", "<enter> 0.01 <enter>", "j <left>"] {
            let before = keeper.bytesWritten
            try session.handle(KeyNotation.parse(keys))
            keeper.update(session)
            #expect(keeper.bytesWritten > before, "\(keys) is journalled")
            #expect(keeper.bytesWritten - before <= 100, "\(keys) wrote \(keeper.bytesWritten - before) bytes")
        }
        let journal = keeper.journal(for: session)
        let text = try String(contentsOf: journal.url, encoding: .utf8)
        #expect(!text.contains("responses"), "the scenario itself was never written")
        #expect(journal.read(onto: scenario)?.scenario == session.state.scenario, "replayed exactly")
        keeper.finish()
    }

    /// A long session appends line after line; the journal is compacted as it grows, so it stays
    /// a few kilobytes and still replays to the same scenario.
    @Test func aLongSessionsJournalIsCompacted() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try Fixtures.session()
        var keeper = RecoveryKeeper(directory: folder, owner: JournalOwner(pid: 1, started: 1))
        keeper.start(session)
        for step in 0..<2_000 {
            try session.handle(KeyNotation.parse(step % 2 == 0 ? "<right>" : "<left> <left>"))
            keeper.update(session)
        }
        try session.handle(KeyNotation.parse("<tab> <tab> <tab> <right>"))
        keeper.update(session)
        let journal = keeper.journal(for: session)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journal.url.path)[.size] as? Int)
        #expect(size <= JournalWriter.compactionThreshold + 100, "the journal of 2,001 edits is \(size) bytes")
        #expect(keeper.bytesWritten > 2 * JournalWriter.compactionThreshold, "it was compacted at least once")
        #expect(journal.read(onto: .builtInDefault)?.scenario == session.state.scenario)
        keeper.finish()
    }

    /// Case 5 of the files issue: the journal records the stamp of the file the edits were made
    /// to; after restoring them over a file that changed on disk since, saving asks first.
    @Test func savingRecoveredEditsOverAFileChangedSinceAsks() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lesson.yaml")
        let killed: RecoveryJournal
        do {  // the first explorer edits and is killed (its lock goes with it)
            var (first, keeper) = try Self.explorer(1, in: folder)
            try first.handle(KeyNotation.parse("<right>"))
            keeper.update(first)
            killed = keeper.journal(for: first)
            #expect(killed.read(onto: Fixtures.loadExample("agree.yaml"))?.fileStamp == FileStamp.of(file))
        }
        try Self.waitUntilReleased([killed])
        // Someone retitles the file; a new explorer starts on it.
        let retitled = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "title: ", with: "title: Retitled ")
        try retitled.write(to: file, atomically: true, encoding: .utf8)
        var (second, keeper) = try Self.explorer(2, in: folder)
        let text = second.view(width: 120, height: 40).text
        #expect(text.contains("The file changed on disk since"), "\(text)")
        try second.handle(KeyNotation.parse("y s"))
        #expect(second.state.overlay == .confirm(.overwrite(file)), "saving asks before overwriting the retitled file")
        try second.handle(KeyNotation.parse("n"))
        #expect(try String(contentsOf: file, encoding: .utf8) == retitled)
        #expect(second.hasUnsavedChanges)
        keeper.finish()
    }

    /// Case 1 of the files issue: two explorers on one file keep a journal each; the second is
    /// told the file is open in the first, is offered nothing, and its quitting leaves the first's
    /// journal alone.
    @Test func twoRunningExplorersKeepTheirOwnJournals() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var (a, keeperA) = try Self.explorer(101, in: folder)
        try a.handle(KeyNotation.parse("<right>"))
        keeperA.update(a)
        var (b, keeperB) = try Self.explorer(202, in: folder)
        #expect(b.state.overlay == nil, "a live explorer's journal is not offered")
        #expect(b.state.message?.text.contains("also open in another klscope (pid 101)") == true)
        #expect(keeperA.journal(for: a) != keeperB.journal(for: b))
        try b.handle(KeyNotation.parse("q"))
        keeperB.update(b)
        keeperB.finish()
        #expect(!keeperB.journal(for: b).exists)
        #expect(keeperA.journal(for: a).read(onto: Fixtures.loadExample("agree.yaml"))?.scenario == a.state.scenario,
                "the first explorer's journal survives the second's quitting")
        keeperA.finish()
    }

    /// Two explorers edit and are killed: a third is offered both journals, one after the other,
    /// each saying when it was written and what it changes; declining deletes that one, restoring
    /// removes it once its edits are in the third explorer's own journal.
    @Test func journalsOfGoneExplorersAreOfferedOneByOne() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var gone: [RecoveryJournal] = []
        var empty: RecoveryJournal?
        do {  // two explorers edit, a third has no edits; all are killed
            var running = try [101, 202, 303].map { try Self.explorer($0, in: folder) }
            for (k, keys) in ["<right> <right>", "<tab> <tab> <tab> <right>"].enumerated() {
                var (session, keeper) = running[k]
                try session.handle(KeyNotation.parse(keys))
                keeper.update(session)
                running[k] = (session, keeper)
            }
            gone = running.prefix(2).map { $0.keeper.journal(for: $0.session) }
            empty = running[2].keeper.journal(for: running[2].session)
        }
        let emptyJournal = try #require(empty)
        try Self.waitUntilReleased(gone + [emptyJournal])
        var (third, keeper) = try Self.explorer(404, in: folder)
        #expect(!emptyJournal.exists, "a gone explorer's journal without edits is deleted, not offered")
        let first = third.view(width: 120, height: 40).text.replacingOccurrences(of: "\n", with: " ")
        #expect(first.contains("(klscope pid 101, which has"), "\(first)")
        #expect(first.contains("1 edit: β 0.5 → 0.72"), "\(first)")
        #expect(first.contains("1 more recovered journal"), "\(first)")
        try third.handle(KeyNotation.parse("n"))
        keeper.update(third)
        #expect(!gone[0].exists, "declined: deleted")
        let second = third.view(width: 120, height: 40).text.replacingOccurrences(of: "\n", with: " ")
        #expect(second.contains("pid 202") && second.contains("1 edit: reward"), "\(second)")
        try third.handle(KeyNotation.parse("y"))
        keeper.update(third)
        #expect(!gone[1].exists, "restored: its edits are in this explorer's journal now")
        #expect(keeper.journal(for: third).read(onto: Fixtures.loadExample("agree.yaml"))?.scenario == third.state.scenario)
        keeper.finish()
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
        let session = try Fixtures.session()
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
        keeper.update(session, now: start + .milliseconds(500))
        #expect(!keeper.journal(for: session).exists, "not retried within the interval")
        keeper.update(session, now: start + .milliseconds(800))
        #expect(keeper.journal(for: session).read(onto: .builtInDefault)?.scenario == session.state.scenario, "retried and written")
        #expect(keeper.lastError == nil)
        keeper.finish()
    }

    @Test func journalsAreNamedPerFileAndOwnerAndFollowXDG() {
        let directory = URL(fileURLWithPath: "/state")
        let owner = JournalOwner(pid: 4711, started: 1_800_000_000)
        let a = RecoveryJournal(for: URL(fileURLWithPath: "/x/lesson.yaml"), in: directory, owner: owner)
        let b = RecoveryJournal(for: URL(fileURLWithPath: "/y/lesson.yaml"), in: directory, owner: owner)
        let c = RecoveryJournal(for: URL(fileURLWithPath: "/x/lesson.yaml"), in: directory, owner: JournalOwner(pid: 4711, started: 1_800_000_001))
        #expect(a != b && a != c)
        #expect(a.url.lastPathComponent.hasPrefix("lesson.yaml-"))
        #expect(a.url.lastPathComponent.hasSuffix(".4711-1800000000.journal"))
        #expect(a.ownerPid == 4711)
        #expect(RecoveryJournal(for: nil, in: directory, owner: owner).url.lastPathComponent == "built-in-default.4711-1800000000.journal")
        #expect(RecoveryJournal.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/klscope")
        #expect(RecoveryJournal.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path == "/h/.local/state/klscope")
        #expect(RecoveryJournal.defaultDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/klscope")
    }
}
