import Foundation
import KLScenario

/// The scenario being edited and its history: the document with its revision and edit log, the
/// undo and redo stacks, which revision is saved, the file it belongs to and that file's stamp.
/// Its mutating methods are the only place these change, so they keep the history's rules: a
/// revision is never reused, the undo stack holds at most `undoLimit` documents, an edit clears
/// the redo stack, and opening a scenario starts a new history.
public struct DocumentHistory: Sendable {
    /// The scenario being edited, with its revision number.
    public private(set) var document: Document
    /// Earlier documents, most recent last (`u`).
    public private(set) var undoStack: [Document] = []
    /// Undone documents, most recent last (Ctrl-R).
    public private(set) var redoStack: [Document] = []
    /// The revision that matches the file on disk (or the built-in default as it started).
    public private(set) var savedRevision = 0
    /// The next unused document revision.
    private var nextRevision = 1
    /// The file the scenario was loaded from or saved to; nil for the built-in default.
    public private(set) var file: URL?
    /// The file's modification stamp when it was loaded or saved, to notice outside changes.
    public private(set) var stamp: FileStamp?
    /// The recovery journal whose edits were last restored (so that it is removed once they are
    /// in this explorer's own journal).
    public private(set) var restoredJournal: RecoveryJournal?
    /// Probabilities set to zero with `0`, remembered so that `0` again restores them (until
    /// another scenario is opened).
    public private(set) var zeroed: [ZeroedProbability: Double] = [:]

    /// The most undo steps kept; older ones are forgotten.
    static let undoLimit = 500

    /// A history starting at `scenario`, loaded from `file` (nil for the built-in default).
    init(scenario: Scenario, file: URL?, stamp: FileStamp?) {
        document = Document(scenario: scenario, revision: 0, change: nil)
        self.file = file
        self.stamp = stamp
    }

    /// Whether the scenario differs from the file it came from (or from the built-in default).
    public var hasUnsavedChanges: Bool { document.revision != savedRevision }

    /// Applies `change` to a copy of the scenario; when it changes something, the copy becomes
    /// the new document (its edit log extended by `record` of the result, see `Document.edits`)
    /// and the old one goes on the undo stack. Returns whether it did; a refused edit leaves
    /// everything as it was.
    mutating func edit(_ description: Change, recording record: (Scenario) -> ScenarioEdit,
                       _ change: (inout Scenario) throws(EditRefusal) -> Void) throws(EditRefusal) -> Bool {
        var scenario = document.scenario
        try change(&scenario)
        guard scenario != document.scenario else { return false }
        commit(scenario, change: description, edits: document.edits?.appending(record(scenario)))
        return true
    }

    /// Replaces the scenario with edits recovered from a crash journal, as one undoable, unsaved
    /// edit of the file as the journal found it: its stamp becomes the one a save expects.
    /// Returns whether the scenario changed.
    mutating func restore(_ recovered: RecoveredEdits) -> Bool {
        guard recovered.scenario != document.scenario else { return false }
        // The edit log becomes the journal's, not one edit appended to this one's.
        commit(recovered.scenario, change: Change("restored recovered edits"), edits: recovered.edits)
        restoredJournal = recovered.journal
        if file != nil, let journalStamp = recovered.fileStamp { stamp = journalStamp }
        return true
    }

    /// Names the last edit anew (how it reads in the undo history).
    mutating func describeLastEdit(_ change: Change) {
        document.change = change
    }

    /// One step of an animation: `scenario` becomes the document without an undo step of its
    /// own (`keepMoves` makes one when the animation stops).
    mutating func move(to scenario: Scenario, recording edit: ScenarioEdit) {
        document = Document(scenario: scenario, revision: nextRevision, change: nil, edits: document.edits?.appending(edit))
        nextRevision += 1
    }

    /// The animation stopped away from `origin`: the moves since are one edit, `change`, undone back to `origin`.
    mutating func keepMoves(from origin: Document, as change: Change) {
        pushUndo(origin)
        redoStack.removeAll()
        document.change = change
    }

    /// `u`: returns to the document before the last edit; returns the document undone, nil when
    /// there is nothing to undo.
    mutating func undo() -> Document? {
        guard let previous = undoStack.popLast() else { return nil }
        let undone = document
        redoStack.append(undone)
        document = previous
        return undone
    }

    /// Ctrl-R: re-applies the last undone edit; returns the document redone, nil when there is
    /// nothing to redo.
    mutating func redo() -> Document? {
        guard let next = redoStack.popLast() else { return nil }
        undoStack.append(document)
        document = next
        return next
    }

    /// Starts a new history at `scenario`, saved as `file` with `stamp` (nil, nil for a scenario
    /// that has no file, such as a tour's stop).
    mutating func open(_ scenario: Scenario, file: URL?, stamp: FileStamp?) {
        document = Document(scenario: scenario, revision: nextRevision, change: nil)
        nextRevision += 1
        savedRevision = document.revision
        undoStack.removeAll()
        redoStack.removeAll()
        zeroed.removeAll()
        self.file = file
        self.stamp = stamp
    }

    /// The document was written to `url`, whose stamp is now `stamp`.
    mutating func markSaved(to url: URL, stamp: FileStamp?) {
        file = url
        self.stamp = stamp
        savedRevision = document.revision
        // The file on disk is now this document: edits are journalled from here, and the
        // documents of the undo history are no longer edits of it.
        document.edits = []
        for i in undoStack.indices { undoStack[i].edits = nil }
        for i in redoStack.indices { redoStack[i].edits = nil }
    }

    /// Remembers the value `0` zeroed at `key` (nil: forgets it once restored).
    mutating func rememberZeroed(_ value: Double?, at key: ZeroedProbability) {
        zeroed[key] = value
    }

    private mutating func commit(_ scenario: Scenario, change: Change, edits: [ScenarioEdit]?) {
        pushUndo(document)
        redoStack.removeAll()
        document = Document(scenario: scenario, revision: nextRevision, change: change, edits: edits)
        nextRevision += 1
    }

    private mutating func pushUndo(_ document: Document) {
        undoStack.append(document)
        if undoStack.count > Self.undoLimit { undoStack.removeFirst(undoStack.count - Self.undoLimit) }
    }
}

/// The scenario as edited, one entry of the undo history.
public struct Document: Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// A number that changes with every edit and is never reused.
    public var revision: Int
    /// The edit that produced this document; nil for a loaded one.
    public var change: Change?
    /// The edits from the file as loaded or last saved to this document, as the recovery
    /// journal records them; nil when the document is not reached by edits from there (an undo
    /// past a save).
    public var edits: [ScenarioEdit]? = []
}

/// An edit in words: what changed, and from which value to which (both as shown on screen).
public struct Change: Sendable {
    /// What was edited: "β", "weight general", "code(fix)", or a whole edit ("restored recovered edits").
    public var subject: String
    /// The value before and after the edit; nil when the edit is not one value.
    public var values: (before: String, after: String)?

    public init(_ subject: String, from before: String, to after: String) {
        self.subject = subject
        values = (before, after)
    }

    public init(_ subject: String) {
        self.subject = subject
        values = nil
    }

    /// "weight general 0 → 1.000", said when the edit is made or redone.
    public var done: String {
        values.map { "\(subject) \($0.before) → \($0.after)" } ?? subject
    }

    /// "weight general back to 0 (was 1.000)", said when the edit is undone.
    public var undone: String {
        values.map { "\(subject) back to \($0.before) (was \($0.after))" } ?? subject
    }
}
