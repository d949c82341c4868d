#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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

    /// Writes `scenario` (creating the folder, mode 0700), replacing the previous journal atomically.
    public func write(_ scenario: Scenario) throws(ScenarioError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ScenarioError(file: directory.path, message: "cannot create the recovery folder: \(error.localizedDescription)")
        }
        do {
            try FileSystem.replaceAtomically(atPath: url.path, with: Array(ScenarioWriter.yaml(scenario).utf8))
        } catch {
            throw ScenarioError(file: url.path, message: "cannot write the recovery file: \(error.reason)")
        }
    }

    /// The journaled scenario and when it was written, or nil when there is no readable journal.
    public func read() -> (scenario: Scenario, savedAt: Date)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let date = attributes[.modificationDate] as? Date,
              let scenario = try? ScenarioLoader.load(contentsOf: url)
        else { return nil }
        return (scenario, date)
    }

    /// Whether a journal file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Deletes the journal, if any.
    public func remove() {
        unlink(url.path)
    }
}
