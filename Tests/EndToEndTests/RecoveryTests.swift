import Foundation
import Platform
import Testing

/// Crash recovery in the real binary: unsaved edits survive SIGKILL and SIGHUP, are offered on the
/// next start, and a failed save keeps them.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct RecoveryTests {
    /// The journals in the session's state folder.
    static func journals(_ tmux: TmuxSession) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tmux.journalDirectory.path)) ?? []).filter { $0.hasSuffix(".journal") }
    }

    /// A copy of the built-in example in the session's folder, to edit freely.
    static func scenarioCopy(_ tmux: TmuxSession) throws -> String {
        let path = tmux.directory.appendingPathComponent("lesson.yaml").path
        try FileManager.default.copyItem(atPath: Paths.packageRoot.appendingPathComponent("examples/chat-vs-math.yaml").path, toPath: path)
        return path
    }

    @Test(arguments: [(SIGKILL, 137), (SIGHUP, 129)])
    func editsSurviveTheProcessBeingKilledAndAreRestored(signal: Int32, status: Int) throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let file = try Self.scenarioCopy(tmux)
        let original = try String(contentsOfFile: file, encoding: .utf8)
        try tmux.startKlscope(binary, [file])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        let before = try #require(Title(first))
        try tmux.press("Right", "Right")
        let edited = try tmux.waitForScreen("β to change") { Title($0).map { $0.beta != before.beta } ?? false }
        let editedTitle = try #require(Title(edited))
        // The journal is written within a second of the edit.
        let deadline = Date().addingTimeInterval(1)
        while Self.journals(tmux).isEmpty && Date() < deadline { usleep(20_000) }
        #expect(Self.journals(tmux).count == 1, "the explorer keeps one journal")
        #expect(Glibc.kill(try tmux.pid(), signal) == 0)
        #expect(try tmux.exitStatus() == status)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == original, "the file itself is untouched")
        #expect(Self.journals(tmux).count == 1, "the journal outlives the process")

        try tmux.startKlscope(binary, [file])
        try tmux.waitForScreen("the recovery question") { $0.contains("were recovered: 1 edit: β") }
        try tmux.press("y")
        let restored = try tmux.waitForScreen("the restored β") { Title($0)?.beta == editedTitle.beta && !$0.contains("Restore them?") }
        #expect(Title(restored)?.weights == editedTitle.weights)
        // Restored edits are unsaved: quitting asks, and a clean quit removes the journal.
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        #expect(Self.journals(tmux).isEmpty, "a clean quit removes the journal")
    }

    @Test func decliningTheRecoveredEditsRemovesTheJournal() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let file = try Self.scenarioCopy(tmux)
        try tmux.startKlscope(binary, [file])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("Right")
        try tmux.waitForScreen("β to change") { Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        let deadline = Date().addingTimeInterval(1)
        while Self.journals(tmux).isEmpty && Date() < deadline { usleep(20_000) }
        #expect(Glibc.kill(try tmux.pid(), SIGKILL) == 0)
        _ = try tmux.exitStatus()
        let killed = Self.journals(tmux)
        #expect(killed.count == 1)

        try tmux.startKlscope(binary, [file])
        try tmux.waitForScreen("the recovery question") { $0.contains("Restore them?") }
        try tmux.press("n")
        let screen = try tmux.waitForScreen("the explorer without the question") { !$0.contains("Restore them?") && Title($0) != nil }
        #expect(Title(screen)?.beta == Title(first)?.beta, "declined: the file's own β")
        let deadline2 = Date().addingTimeInterval(2)
        while Self.journals(tmux).contains(killed[0]) && Date() < deadline2 { usleep(20_000) }
        #expect(!Self.journals(tmux).contains(killed[0]), "a declined journal is removed")
        try tmux.press("q")
        #expect(try tmux.exitStatus() == 0)
    }

    @Test func savingIntoAFolderThatCannotBeWrittenShowsAnErrorAndKeepsTheEdits() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let file = try Self.scenarioCopy(tmux)
        // Tests run as root, where permissions do not stop writes: use a "folder" that is a file.
        let notAFolder = tmux.directory.appendingPathComponent("not-a-folder")
        try "".write(to: notAFolder, atomically: true, encoding: .utf8)
        try tmux.startKlscope(binary, [file])
        let first = try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("Right")
        let edited = try tmux.waitForScreen("β to change") { Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        try tmux.press("S")
        usleep(300_000)
        try tmux.press("C-u")
        try tmux.type(notAFolder.path + "/lesson.yaml")
        // The whole message, not its first words: a capture can land while a frame is still arriving.
        let failed = try tmux.waitForScreen("the save error") { $0.contains("cannot save") && $0.contains("not a folder") }
        #expect(Title(failed)?.beta == Title(edited)?.beta, "the edit is kept")
        #expect(!Self.journals(tmux).isEmpty, "the journal is kept")
        try tmux.press("Escape")
        try tmux.waitForScreen("the error box to close") { !$0.contains("cannot save") }
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
    }

    /// Case 3 of the files issue: under `ulimit -f 1` with SIGXFSZ at its default action (which
    /// would kill the process), the journal write fails with EFBIG instead: klscope keeps running,
    /// says once that edits are not being journalled, leaves no temporary file, and a save fails
    /// in words with the edit kept.
    @Test func aFileSizeLimitDoesNotKillTheExplorerAndIsSaidOnTheStatusLine() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        // A limit of 1 KiB: the journal (a header, then a line per edit) reaches it after some
        // fifty probability steps (which, unlike β steps, do not replace each other in the log).
        let file = try SaveFailureTests.copyExample(into: tmux.directory).path
        let original = try String(contentsOfFile: file, encoding: .utf8)
        try tmux.startKlscope(binary, [file], setup: "trap - XFSZ; ulimit -S -f 1")
        try tmux.waitForScreen("the explorer") { Title($0)?.beta != nil }
        try tmux.press("BTab")
        var said = ""
        for _ in 0..<150 where !SaveFailureTests.flattened(said).contains("edits are not being journalled") {
            try tmux.press("Right")  // one at a time: the next key's message would replace the failure's
            said = try tmux.waitForScreen("the step") { $0.contains("renormalised") || $0.contains("journalled") }
            usleep(30_000)
            said = try tmux.screen()
        }
        #expect(SaveFailureTests.flattened(said).contains("file-size limit"), "\(said)")
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: tmux.journalDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "no temporary file is left: \(leftovers)")
        try tmux.press("s")
        try tmux.waitForScreen("the save error") {
            $0.contains("cannot save") && SaveFailureTests.flattened($0).contains("file-size limit")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == original, "the file is untouched")
        try tmux.press("Escape")
        try tmux.waitForScreen("the error box to close") { !$0.contains("cannot save") }
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0, "klscope was not killed by SIGXFSZ")
    }

    /// Case 1 of the files issue: two explorers on one file. B is told A has it open and offered
    /// nothing; B quitting leaves A's journal; both edit and are killed; a third explorer is
    /// offered both journals, one after the other.
    @Test func twoExplorersOnOneFileKeepTheirOwnJournals() throws {
        let binary = try Paths.requireBinary()
        let a = try TmuxSession(width: 120, height: 40)
        defer { a.kill() }
        let b = try TmuxSession(width: 120, height: 40, sharingStateWith: a)
        defer { b.kill() }
        let file = try Self.scenarioCopy(a)
        try a.startKlscope(binary, [file])
        let first = try a.waitForScreen("explorer A") { Title($0)?.beta != nil }
        try a.press("Right")
        try a.waitForScreen("A's edit") { Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        let pidA = try a.pid()
        let journalA = try #require(Self.journals(a).first)
        #expect(journalA.contains(".\(pidA)-"), "named with A's pid: \(journalA)")

        try b.startKlscope(binary, [file])
        let told = try b.waitForScreen("B told that A has the file open") { $0.contains("also open in another klscope (pid \(pidA))") }
        #expect(!told.contains("were recovered"), "A's live journal is not offered")
        try b.press("q")
        #expect(try b.exitStatus() == 0)
        #expect(Self.journals(a) == [journalA], "B quitting leaves only A's journal")

        try b.startKlscope(binary, [file])
        try b.waitForScreen("explorer B") { Title($0)?.beta != nil && $0.contains("also open") }
        try b.press("Left")
        try b.waitForScreen("B's edit") { Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        let pidB = try b.pid()
        let deadline = Date().addingTimeInterval(2)
        while Self.journals(a).count < 2 && Date() < deadline { usleep(20_000) }
        #expect(Glibc.kill(pidA, SIGKILL) == 0)
        #expect(Glibc.kill(pidB, SIGKILL) == 0)
        #expect(try a.exitStatus() == 137)
        #expect(try b.exitStatus() == 137)

        try a.startKlscope(binary, [file])
        let offer = try a.waitForScreen("the first recovered journal") {
            $0.contains("were recovered") && SaveFailureTests.flattened($0).contains("1 more recovered journal")
        }
        let flat = SaveFailureTests.flattened(offer)
        #expect(flat.contains("1 edit: β"), "\(offer)")
        try a.press("n")
        try a.waitForScreen("the second recovered journal") { $0.contains("were recovered") && !SaveFailureTests.flattened($0).contains("1 more") }
        try a.press("y")
        try a.waitForScreen("the restored edit") { !$0.contains("were recovered") && Title($0).map { $0.beta != Title(first)?.beta } ?? false }
        try a.press("q")
        try a.waitForScreen("the unsaved-changes question") { $0.contains("unsaved") }
        try a.press("y")
        #expect(try a.exitStatus() == 0)
        #expect(Self.journals(a).isEmpty, "declined, restored and the third's own: all gone")
    }
}
