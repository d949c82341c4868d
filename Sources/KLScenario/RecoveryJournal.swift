import Foundation
import KLMath

/// The explorer process a journal belongs to: its process id and start time (seconds since
/// 1970), which together name its journal, so that a later process with the same id never
/// takes an old journal for its own.
public struct JournalOwner: Sendable, Hashable {
    public var pid: Int32
    public var started: Int

    public init(pid: Int32, started: Int) {
        self.pid = pid
        self.started = started
    }

    /// This process, started when this is first asked for.
    public static let current = JournalOwner(pid: getpid(), started: time(nil))
}

/// Unsaved edits read back from another explorer's recovery journal: the edits (nil when the
/// journal holds a whole scenario instead), the scenario they make of the file as loaded, when
/// the journal was written, the stamp of the file the edits were made to (nil for the built-in
/// default), so that saving them over a file that changed since can ask first, and the edits in
/// words ("2 edits: β 0.5 → 2, reward code 1 → 1.5").
public struct RecoveredEdits: Sendable, Equatable {
    public var journal: RecoveryJournal
    public var edits: [ScenarioEdit]?
    public var scenario: Scenario
    public var savedAt: Date
    public var fileStamp: FileStamp?
    public var summary: String
}

/// The crash-recovery journal of one explorer on one scenario: a small text log of the edits
/// since the file was loaded or saved (`ScenarioEdit`s, one a line, appended as they are made),
/// headed by the stamp of the file they apply to. The explorer holds an exclusive `flock` on it
/// while it runs, so another explorer can tell a live journal from one whose owner is gone;
/// a clean quit removes it.
///
/// Journals live in `$XDG_STATE_HOME/klscope`, else `~/.local/state/klscope`, named after the
/// file, a hash of its absolute path, and the owner: `lesson.yaml-1f2e….4711-1796300000.journal`.
public struct RecoveryJournal: Sendable, Hashable {
    /// The journal file.
    public let url: URL

    /// The journal `owner` keeps of `scenarioFile` (nil: the built-in default) inside `directory`.
    public init(for scenarioFile: URL?, in directory: URL, owner: JournalOwner) {
        url = directory.appendingPathComponent(Self.prefix(for: scenarioFile) + "\(owner.pid)-\(owner.started).journal")
    }

    private init(url: URL) { self.url = url }

    /// The start of the names of every journal of `scenarioFile`.
    private static func prefix(for scenarioFile: URL?) -> String {
        guard let scenarioFile else { return "built-in-default." }
        let path = scenarioFile.standardizedFileURL.resolvingSymlinksInPath().path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let name = String(scenarioFile.lastPathComponent.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(80))
        return "\(name)-\(String(hash, radix: 16))."
    }

    /// Every journal of `scenarioFile` in `directory` (any owner, live or gone), oldest name first.
    public static func all(for scenarioFile: URL?, in directory: URL) -> [RecoveryJournal] {
        let prefix = prefix(for: scenarioFile)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".journal") }.sorted()
            .map { RecoveryJournal(url: directory.appendingPathComponent($0)) }
    }

    /// `$XDG_STATE_HOME/klscope` when that is an absolute path, else `$HOME/.local/state/klscope`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("klscope")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/klscope")
    }

    /// The process id in the journal's name.
    public var ownerPid: Int32? {
        let name = url.deletingPathExtension().lastPathComponent
        return name.split(separator: ".").last?.split(separator: "-").first.flatMap { Int32($0) }
    }

    /// Whether the explorer that writes this journal still runs (holds its lock).
    public var ownerIsRunning: Bool {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    /// Whether a journal file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Deletes the journal, if any.
    public func remove() {
        unlink(url.path)
    }

    /// The journal's edits replayed onto `loaded` (the file as this explorer loaded it); nil when
    /// there is no readable journal, it holds no edits, or they do not apply to `loaded`.
    public func read(onto loaded: Scenario) -> RecoveredEdits? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let date = attributes[.modificationDate] as? Date,
              let bytes = try? FileSystem.readBytes(atPath: url.path, limit: ScenarioLimits.maxFileBytes),
              let contents = JournalText.parse(String(decoding: bytes, as: UTF8.self), directory: url.deletingLastPathComponent())
        else { return nil }
        switch contents.body {
        case .edits(let edits):
            guard !edits.isEmpty, let scenario = try? loaded.replaying(edits) else { return nil }
            return RecoveredEdits(journal: self, edits: edits, scenario: scenario, savedAt: date,
                                  fileStamp: contents.stamp, summary: loaded.describing(edits))
        case .snapshot(let scenario):
            return RecoveredEdits(journal: self, edits: nil, scenario: scenario, savedAt: date,
                                  fileStamp: contents.stamp, summary: "edits that undo past a save (the whole scenario)")
        }
    }
}

/// The text of a journal: a header (the format, the stamp of the file the edits apply to), then
/// either one edit a line, each `<index> <edit>`, meaning "the log cut to `index` entries, then
/// this edit" (`<index> cut` only cuts, after an undo), or `snapshot` and a whole scenario in YAML.
enum JournalText {
    static let magic = "klscope recovery journal 2"

    /// What a journal holds after its header.
    enum Body {
        case edits([ScenarioEdit])
        case snapshot(Scenario)
    }

    static func header(_ stamp: FileStamp?) -> String {
        magic + "\n" + (stamp.map { "file \($0.size) \(String($0.contentHash, radix: 16))" } ?? "file none") + "\n"
    }

    /// The line that sets entry `index` of the log to `edit`.
    static func line(_ index: Int, _ edit: ScenarioEdit) -> String {
        switch edit {
        case .beta(let value): "\(index) beta \(value)\n"
        case .weights(let values): "\(index) weights " + values.map { "\($0)" }.joined(separator: " ") + "\n"
        case .reward(let y, let value): "\(index) reward \(y) \(value)\n"
        case .probability(let k, let y, let value): "\(index) probability \(k) \(y) \(value)\n"
        case .odds(let k, let y, let factor): "\(index) odds \(k) \(y) \(factor)\n"
        }
    }

    /// A whole journal holding `edits` (nil: `scenario` itself).
    static func compact(_ edits: [ScenarioEdit]?, scenario: Scenario, stamp: FileStamp?) -> String {
        guard let edits else { return header(stamp) + "snapshot\n" + ScenarioWriter.yaml(scenario) }
        return header(stamp) + edits.enumerated().map { line($0.offset, $0.element) }.joined()
    }

    static func parse(_ text: String, directory: URL) -> (stamp: FileStamp?, body: Body)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == magic else { return nil }
        let file = lines[1].split(separator: " ")
        var stamp: FileStamp?
        if file.count == 3, file[0] == "file", let size = Int(file[1]), let hash = UInt64(file[2], radix: 16) {
            stamp = FileStamp(size: size, contentHash: hash)
        } else if lines[1] != "file none" {
            return nil
        }
        if lines.count > 2, lines[2] == "snapshot" {
            let yaml = lines.dropFirst(3).joined(separator: "\n")
            guard let scenario = try? ScenarioLoader.parse(yaml, fileName: "recovery journal", baseDirectory: directory) else { return nil }
            return (stamp, .snapshot(scenario))
        }
        var edits: [ScenarioEdit] = []
        for line in lines.dropFirst(2) where !line.isEmpty {
            let words = line.split(separator: " ")
            guard words.count >= 2, let index = Int(words[0]), (0...edits.count).contains(index) else { break }  // a torn last line
            let numbers = words.dropFirst(2).map { Double($0) }
            guard !numbers.contains(nil) else { break }
            let n = numbers.map { $0! }
            let edit: ScenarioEdit?
            switch (words[1], n.count) {
            case ("cut", 0): edit = nil
            case ("beta", 1): edit = .beta(n[0])
            case ("weights", 1...): edit = .weights(n)
            case ("reward", 2): edit = .reward(response: Int(n[0]), n[1])
            case ("probability", 3): edit = .probability(reference: Int(n[0]), response: Int(n[1]), n[2])
            case ("odds", 3): edit = .odds(reference: Int(n[0]), response: Int(n[1]), factor: n[2])
            default: return (stamp, .edits(edits))
            }
            edits.removeLast(edits.count - index)
            if let edit { edits.append(edit) }
        }
        return (stamp, .edits(edits))
    }
}

/// The journal an explorer writes: created with its lock held, appended to as edits are made
/// (each append costs the size of the new edits, not of the scenario), and rewritten compactly
/// (atomically, the lock moving with it) when the file changes, the log must be replaced, or it
/// has grown to several times its compact size.
public final class JournalWriter {
    /// The journal written.
    public let journal: RecoveryJournal
    /// Every byte this writer has written, for tests that count.
    public private(set) var bytesWritten = 0
    /// How many times the whole journal was rewritten.
    public private(set) var rewrites = 0
    private var descriptor: Int32 = -1
    private var stamp: FileStamp?
    /// The log as on disk; nil when the journal holds a snapshot.
    private var logged: [ScenarioEdit]? = []
    private var size = 0
    /// A journal longer than this many bytes is compacted once it is twice its compact size.
    public static let compactionThreshold = 8192

    /// Creates `journal` (and its folder, mode 0700) holding no edits, with its lock held.
    public init(_ journal: RecoveryJournal, stamp: FileStamp?) throws(ScenarioError) {
        self.journal = journal
        let directory = journal.url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ScenarioError(file: directory.path, message: "cannot create the recovery folder: \(error.localizedDescription)")
        }
        self.stamp = stamp
        try rewrite(JournalText.header(stamp))
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Brings the journal to `edits` (nil: edits that cannot be replayed onto the file, so
    /// `scenario` itself is written) against the file with `stamp`.
    public func record(_ edits: [ScenarioEdit]?, scenario: Scenario, stamp: FileStamp?) throws(ScenarioError) {
        if let edits, let logged, stamp == self.stamp {
            if size >= Self.compactionThreshold {
                let compact = JournalText.compact(edits, scenario: scenario, stamp: stamp)
                if size >= 2 * compact.utf8.count {
                    try rewrite(compact)
                    self.logged = edits
                    return
                }
            }
            let kept = zip(logged, edits).prefix { $0 == $1 }.count
            guard kept < logged.count || kept < edits.count else { return }
            let text = kept == edits.count
                ? "\(kept) cut\n"
                : edits[kept...].enumerated().map { JournalText.line(kept + $0.offset, $0.element) }.joined()
            try append(Array(text.utf8))
            self.logged = edits
        } else {
            self.stamp = stamp
            logged = nil
            try rewrite(JournalText.compact(edits, scenario: scenario, stamp: stamp))
            logged = edits
        }
    }

    /// Closes and deletes the journal.
    public func remove() {
        journal.remove()
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func append(_ bytes: [UInt8]) throws(ScenarioError) {
        if let code = FileSystem.writeAll(bytes, to: descriptor) {
            // A torn line is ignored on reading; the next write starts afresh.
            logged = nil
            throw ScenarioError(file: journal.url.path, message: "cannot write the recovery file: \(FileSystemError(code: code).reason)")
        }
        size += bytes.count
        bytesWritten += bytes.count
    }

    /// Replaces the journal with `text`: written to a locked temporary file renamed over it, so
    /// that the journal is never half-written and never unlocked while its owner runs.
    private func rewrite(_ text: String) throws(ScenarioError) {
        let bytes = Array(text.utf8)
        let temporary = journal.url.path + ".tmp"
        let fresh = open(temporary, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        func fail(_ code: Int32) -> ScenarioError {
            ScenarioError(file: journal.url.path, message: "cannot write the recovery file: \(FileSystemError(code: code).reason)")
        }
        guard fresh >= 0 else { throw fail(errno) }
        var failure = flock(fresh, LOCK_EX | LOCK_NB) == 0 ? nil : errno
        if failure == nil { failure = FileSystem.writeAll(bytes, to: fresh) }
        if failure == nil, rename(temporary, journal.url.path) != 0 { failure = errno }
        if let code = failure {
            close(fresh)
            unlink(temporary)
            throw fail(code)
        }
        if descriptor >= 0 { close(descriptor) }
        descriptor = fresh
        size = bytes.count
        bytesWritten += bytes.count
        rewrites += 1
    }
}
