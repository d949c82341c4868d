import Foundation
import KLMath

/// Unsaved edits read back from a recovery journal: the scenario, when the journal was written,
/// and the stamp of the file the edits were made to (nil for the built-in default or a journal
/// that did not record it), so that saving them over a file that changed since can ask first.
public struct RecoveredEdits: Sendable, Equatable {
    public var scenario: Scenario
    public var savedAt: Date
    public var fileStamp: FileStamp?

    public init(scenario: Scenario, savedAt: Date, fileStamp: FileStamp?) {
        self.scenario = scenario
        self.savedAt = savedAt
        self.fileStamp = fileStamp
    }
}

/// The crash-recovery file of one scenario: while the explorer has unsaved edits it keeps the
/// current scenario here (as scenario YAML, replaced atomically), so that a crash, a kill or a
/// closed terminal loses at most the last second of work. A save or a clean quit removes it.
///
/// One journal per scenario path (named after the file and a hash of its absolute path), and one
/// for the built-in default, in `$XDG_STATE_HOME/klscope`, else `~/.local/state/klscope`.
public struct RecoveryJournal: Sendable, Equatable {
    /// The journal file.
    public let url: URL

    /// The journal of `scenarioFile` (nil: the built-in default) inside `directory`.
    public init(for scenarioFile: URL?, in directory: URL) {
        guard let scenarioFile else {
            url = directory.appendingPathComponent("built-in-default.yaml")
            return
        }
        let path = scenarioFile.standardizedFileURL.resolvingSymlinksInPath().path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let name = String(scenarioFile.lastPathComponent.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(80))
        url = directory.appendingPathComponent("\(name)-\(String(hash, radix: 16)).yaml")
    }

    /// `$XDG_STATE_HOME/klscope` when that is an absolute path, else `$HOME/.local/state/klscope`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("klscope")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/klscope")
    }

    /// The first line of a journal, a YAML comment recording the stamp of the edited file.
    static let stampPrefix = "# klscope recovery journal of a file with size "

    /// Writes `scenario` (creating the folder, mode 0700), replacing the previous journal atomically;
    /// `fileStamp` is the stamp of the file on disk the edits were made to (nil: none).
    public func write(_ scenario: Scenario, fileStamp: FileStamp? = nil) throws(ScenarioError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ScenarioError(file: directory.path, message: "cannot create the recovery folder: \(error.localizedDescription)")
        }
        do {
            let header = fileStamp.map { "\(Self.stampPrefix)\($0.size), content hash \(String($0.contentHash, radix: 16))\n" } ?? ""
            try FileSystem.replaceAtomically(atPath: url.path, with: Array((header + ScenarioWriter.yaml(scenario)).utf8))
        } catch {
            throw ScenarioError(file: url.path, message: "cannot write the recovery file: \(error.reason)")
        }
    }

    /// The journaled edits, or nil when there is no readable journal.
    public func read() -> RecoveredEdits? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let date = attributes[.modificationDate] as? Date,
              let scenario = try? ScenarioLoader.load(contentsOf: url)
        else { return nil }
        return RecoveredEdits(scenario: scenario, savedAt: date, fileStamp: stamp())
    }

    /// The file stamp the journal's first line records, if any.
    private func stamp() -> FileStamp? {
        guard let bytes = try? FileSystem.readBytes(atPath: url.path, prefix: 200),
              let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first,
              line.hasPrefix(Self.stampPrefix)
        else { return nil }
        let parts = line.dropFirst(Self.stampPrefix.count).components(separatedBy: ", content hash ")
        guard parts.count == 2, let size = Int(parts[0]), let hash = UInt64(parts[1], radix: 16) else { return nil }
        return FileStamp(size: size, contentHash: hash)
    }

    /// Whether a journal file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Deletes the journal, if any.
    public func remove() {
        unlink(url.path)
    }
}
