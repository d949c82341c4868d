import Foundation
import Platform
import Testing

/// Saving when the file cannot be written in full, in the real binary: under a file-size limit
/// (`ulimit -f`, write() failing with EFBIG) and on a full disk (a tiny tmpfs, ENOSPC). Each time
/// the error is shown in words, the previous file is byte-for-byte intact, no temporary file is
/// left behind, and the edit stays in the explorer, unsaved.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed, so the terminal cannot be driven"))
struct SaveFailureTests {
    static let example = "examples/instruct-vs-math.yaml"

    /// Whether a tmpfs can be mounted here (as root in some sandboxes; not in most containers).
    static let canMountTmpfs: Bool = {
        guard let directory = try? Paths.temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: directory) }
        guard (try? spawnAndWait(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", directory.path])) == 0 else { return false }
        _ = try? spawnAndWait(["umount", directory.path])
        return true
    }()

    @Test func savingBeyondTheFileSizeLimitSaysSoAndKeepsTheFileAndTheEdit() throws {
        let binary = try Paths.requireBinary()
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let folder = tmux.directory.appendingPathComponent("lesson")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = try Self.copyExample(into: folder)
        // A limit of one 1024-byte block: the scenario (over 1 KiB) cannot be written, while the
        // runner's pid and exit files can. SIGXFSZ ignored, so write() fails with EFBIG instead
        // of the signal killing klscope.
        try tmux.startKlscope(binary, [file.path], setup: "trap '' XFSZ; ulimit -S -f 1")
        try Self.expectSaveFailure(tmux, file: file, folder: folder, words: "the file is too large for the file-size limit")
    }

    @Test(.enabled(if: SaveFailureTests.canMountTmpfs, "mounting a tmpfs is not permitted here"))
    func savingToAFullDiskSaysSoAndKeepsTheFileAndTheEdit() throws {
        let binary = try Paths.requireBinary()
        let folder = try Paths.temporaryDirectory()
        #expect(try spawnAndWait(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) == 0)
        defer {
            _ = try? spawnAndWait(["umount", "-l", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        let tmux = try TmuxSession(width: 120, height: 40)
        defer { tmux.kill() }
        let file = try Self.copyExample(into: folder)
        // Fill the rest of the disk (dd stops with "No space left on device").
        _ = try spawnAndWait(["dd", "if=/dev/zero", "of=\(folder.path)/filler", "bs=4096"])
        var space = statvfs()
        #expect(statvfs(folder.path, &space) == 0 && space.f_bavail == 0, "the tmpfs is full")
        try tmux.startKlscope(binary, [file.path])
        try Self.expectSaveFailure(tmux, file: file, folder: folder, words: "the disk is full")
    }

    /// A copy of the example in `folder`, to edit.
    static func copyExample(into folder: URL) throws -> URL {
        let file = folder.appendingPathComponent("lesson.yaml")
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent(example), to: file)
        return file
    }

    /// With klscope started on `file`: edits β, saves with `s`, and checks the failure.
    static func expectSaveFailure(_ tmux: TmuxSession, file: URL, folder: URL, words: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let original = try Data(contentsOf: file)
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let first = try tmux.waitForScreen("the explorer", sourceLocation: sourceLocation) { Title($0)?.beta != nil }
        let ignored = try String(contentsOfFile: "/proc/\(try tmux.pid())/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
            .flatMap { UInt64($0.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        #expect(words == "the disk is full" || (ignored ?? 0) & (1 << UInt64(SIGXFSZ - 1)) != 0,
                "SIGXFSZ stays ignored in klscope", sourceLocation: sourceLocation)
        try tmux.press("Right")
        let edited = try tmux.waitForScreen("β to change", sourceLocation: sourceLocation) {
            Title($0).map { $0.beta != Title(first)?.beta } ?? false
        }
        let editedTitle = try #require(Title(edited), sourceLocation: sourceLocation)
        try tmux.press("s")
        // The box may wrap the message: compare its text without borders and line breaks.
        let failed = try tmux.waitForScreen("the save error", sourceLocation: sourceLocation) {
            flattened($0).contains("cannot save")
        }
        #expect(flattened(failed).contains(words), "\(failed)", sourceLocation: sourceLocation)
        #expect(try Data(contentsOf: file) == original, "the file is byte-for-byte unchanged", sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == listing,
                "no temporary file is left in the folder", sourceLocation: sourceLocation)
        try tmux.press("Escape")
        let after = try tmux.waitForScreen("the error box to close", sourceLocation: sourceLocation) {
            !flattened($0).contains("cannot save") && Title($0) != nil
        }
        #expect(Title(after) == editedTitle, "the edit is kept", sourceLocation: sourceLocation)
        try tmux.press("q")
        try tmux.waitForScreen("the unsaved-changes question", sourceLocation: sourceLocation) { $0.contains("unsaved") }
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0, sourceLocation: sourceLocation)
        #expect(try Data(contentsOf: file) == original, "quitting without saving leaves the file", sourceLocation: sourceLocation)
    }

    /// The screen's text with box borders removed and runs of spaces and line breaks made one space.
    static func flattened(_ screen: String) -> String {
        screen.replacingOccurrences(of: "│", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }
}
