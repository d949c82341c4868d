import Foundation
import KLScenario

/// Keeps the crash-recovery journal in step with a session: while there are unsaved edits, the
/// current scenario is journaled (at most every `interval`, and only when the document changed);
/// once they are saved or undone, or when the session opens another file, the journal goes.
/// The interactive loop calls `update` after every batch of events and on every idle tick, so an
/// edit reaches the journal within `interval` plus one tick.
public struct RecoveryKeeper {
    /// Where journals live.
    public let directory: URL
    /// The shortest time between two journal writes.
    public let interval: Duration
    /// The journal currently on disk that this keeper wrote or adopted, and the revision in it.
    private var written: (journal: RecoveryJournal, revision: Int)?
    private var lastWrite: ContinuousClock.Instant?
    /// The last error writing the journal (nil once a write succeeds again).
    public private(set) var lastError: ScenarioError?
    /// Whether `lastError` has been handed out by `newFailure`.
    private var failureReported = false

    public init(directory: URL, interval: Duration = .milliseconds(300)) {
        self.directory = directory
        self.interval = interval
    }

    /// The journal of the session's current file.
    public func journal(for session: ExplorerSession) -> RecoveryJournal {
        RecoveryJournal(for: session.state.file, in: directory)
    }

    /// Takes charge of an existing journal offered for restoring, so that it is removed when the
    /// offer is declined (or replaced when edits follow).
    public mutating func adopt(_ journal: RecoveryJournal) {
        written = (journal, -1)
    }

    /// Writes, replaces or removes the journal as the session's state requires. `force` skips the
    /// throttle (before the process ends on a signal).
    public mutating func update(_ session: ExplorerSession, now: ContinuousClock.Instant = .now, force: Bool = false) {
        let state = session.state
        if case .confirm(.restoreRecovered) = state.overlay { return }  // the journal is being offered
        let current = journal(for: session)
        if let written, written.journal != current || !state.hasUnsavedChanges {
            written.journal.remove()
            self.written = nil
        }
        guard state.hasUnsavedChanges, written?.revision != state.document.revision else { return }
        if !force, let lastWrite, now - lastWrite < interval { return }
        lastWrite = now
        do throws(ScenarioError) {
            try current.write(state.scenario, fileStamp: state.file == nil ? nil : state.stamp)
            written = (current, state.document.revision)
            lastError = nil
            failureReported = false
        } catch {
            lastError = error
        }
    }

    /// The journal's write failure, the first time it is asked for after writes started failing
    /// (nil otherwise), so the session says it once; the keeper goes on trying at every interval
    /// and a later failure after a success is new again.
    public mutating func newFailure() -> ScenarioError? {
        guard let lastError, !failureReported else { return nil }
        failureReported = true
        return lastError
    }

    /// A clean quit: the edits were saved or deliberately discarded, so the journal goes.
    public mutating func finish(_ session: ExplorerSession) {
        written?.journal.remove()
        written = nil
        if !session.state.hasUnsavedChanges || session.shouldQuit { journal(for: session).remove() }
    }
}
