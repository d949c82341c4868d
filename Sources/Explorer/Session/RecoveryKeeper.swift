import Foundation
import KLScenario

/// Keeps this explorer's crash-recovery journal in step with a session, and deals with the
/// journals of other explorers on the same file.
///
/// From `start` to `finish` the explorer holds its own journal (locked, so others can tell it
/// runs): the log of the edits since the file was loaded or saved, appended to as they are made
/// (`JournalWriter`), so that a write costs the size of the edit, not of the scenario. At start,
/// the journals of the same file whose owner is gone are offered for restoring one after
/// another (declined ones are deleted; after one is restored, the rest are kept for a later
/// start), and a journal whose owner still runs is left alone and named on the status line.
/// The interactive loop calls `update` after every batch of events and on every idle tick.
public struct RecoveryKeeper {
    /// Where journals live.
    public let directory: URL
    /// The shortest time between two attempts to write a journal that failed.
    public let interval: Duration
    /// The explorer whose journal this is.
    public let owner: JournalOwner
    /// This explorer's journal, open and locked, and the revision and stamp last recorded in it.
    private var writer: JournalWriter?
    private var recorded: (revision: Int, stamp: FileStamp?)?
    private var lastAttempt: ContinuousClock.Instant?
    /// Journals of gone explorers still to be offered, and the one being offered.
    private var offers: [RecoveredEdits] = []
    private var offered: RecoveredEdits?
    /// The last error writing the journal (nil once a write succeeds again).
    public private(set) var lastError: ScenarioError?
    /// Whether `lastError` has been handed out by `newFailure`.
    private var failureReported = false

    public init(directory: URL, interval: Duration = .milliseconds(300), owner: JournalOwner = .current) {
        self.directory = directory
        self.interval = interval
        self.owner = owner
    }

    /// The journal this explorer keeps of the session's current file.
    public func journal(for session: ExplorerSession) -> RecoveryJournal {
        RecoveryJournal(for: session.state.history.file, in: directory, owner: owner)
    }

    /// Every byte written to this explorer's journals so far (for tests that count).
    public var bytesWritten: Int { writer?.bytesWritten ?? 0 }

    /// Creates this explorer's journal and looks for the journals of other explorers (`survey`).
    public mutating func start(_ session: ExplorerSession) {
        update(session)
        survey(session)
    }

    /// Offers the journals of the session's file left by explorers that are gone (deleting those
    /// without edits), and says on the status line when another running explorer has it open.
    private mutating func survey(_ session: ExplorerSession) {
        let others = RecoveryJournal.all(for: session.state.history.file, in: directory).filter { $0 != journal(for: session) }
        let live = others.filter(\.ownerIsRunning)
        for journal in others where !live.contains(journal) {
            if let recovered = journal.read(onto: session.state.scenario) { offers.append(recovered) } else { journal.remove() }
        }
        if session.state.history.file != nil, !live.isEmpty {
            let pids = live.compactMap(\.ownerPid).map(String.init).joined(separator: ", ")
            session.reportOpenElsewhere("also open in another klscope (pid \(pids)); each keeps its own unsaved edits")
        }
        offerNext(session)
    }

    private mutating func offerNext(_ session: ExplorerSession) {
        guard !offers.isEmpty else { return }
        let next = offers.removeFirst()
        offered = next
        session.offerRecovery(next, remaining: offers.count)
    }

    /// Records the session's edits in the journal (replacing it when the session opened another
    /// file), and follows up an answered recovery question. `force` ignores the retry interval
    /// after a failure (before the process ends on a signal).
    public mutating func update(_ session: ExplorerSession, now: ContinuousClock.Instant = .now, force: Bool = false) {
        let state = session.state
        if case .confirm(.restoreRecovered) = state.overlay { return }  // a journal is being offered
        if let answered = offered {
            offered = nil
            if state.history.restoredJournal == answered.journal {
                offers = []  // kept on disk for a later start
            } else {
                answered.journal.remove()
                offerNext(session)
                if offered != nil { return }
            }
        }
        let target = journal(for: session)
        let opened = writer.map { $0.journal != target } ?? false  // the session opened another file
        if opened {
            writer?.remove()
            writer = nil
        }
        let stamp = state.history.file == nil ? nil : state.history.stamp
        if let recorded, writer != nil, recorded.revision == state.history.document.revision, recorded.stamp == stamp { return }
        if lastError != nil, !force, let lastAttempt, now - lastAttempt < interval { return }
        lastAttempt = now
        do throws(ScenarioError) {
            if writer == nil { writer = try JournalWriter(target, stamp: stamp) }
            try writer?.record(state.history.hasUnsavedChanges ? state.history.document.edits : [], scenario: state.scenario, stamp: stamp)
            recorded = (state.history.document.revision, stamp)
            lastError = nil
            failureReported = false
        } catch {
            lastError = error
            return
        }
        if let restored = state.history.restoredJournal, restored != target, restored.exists { restored.remove() }
        if opened { survey(session) }
    }

    /// The journal's write failure, the first time it is asked for after writes started failing
    /// (nil otherwise), so the session says it once; the keeper goes on trying at every interval
    /// and a later failure after a success is new again.
    public mutating func newFailure() -> ScenarioError? {
        guard let lastError, !failureReported else { return nil }
        failureReported = true
        return lastError
    }

    /// A clean quit: the edits were saved or deliberately discarded, so this explorer's journal
    /// goes (and only it).
    public mutating func finish() {
        writer?.remove()
        writer = nil
    }
}
