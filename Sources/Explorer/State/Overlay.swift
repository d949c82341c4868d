import Foundation
import KLScenario
import TerminalUI

/// A modal layer over the screen; while one is open, keys go to it and Esc closes it.
public enum Overlay: Sendable, Equatable {
    /// The key reference (`?`), scrolled down by `offset` lines when it does not fit.
    case help(offset: Int)
    /// A text field on the bottom line.
    case input(TextInput)
    /// The scenario picker (`o`).
    case picker(Picker)
    /// The series menu (`x`): every series with whether it is shown; `selected` is the
    /// highlighted one (an index into `PolicyID.all`).
    case seriesMenu(selected: Int)
    /// A box with a message, e.g. why a file failed to load.
    case messageBox(title: String, lines: [String])
    /// A yes/no question.
    case confirm(Confirmation)
    /// What a series or number is (`i`): formula, support, source, meaning, current numbers.
    case explain(ExplainTopic)
    /// The DPO view (`d`): the rewards the optimal policies imply, beside `r`; its table scrolled
    /// to show response `first` at its top when it does not fit.
    case dpo(first: Int)
    /// The lab's β view (`B`): the large-m constants of each method across β.
    case labBeta
}

/// A text field on the bottom line and what its text is for.
public struct TextInput: Sendable, Equatable {
    /// What Enter does with the text.
    public enum Purpose: Sendable, Equatable {
        /// An exact value for a control.
        case value(Control)
        /// An incremental search for a response label, started with `origin` selected.
        case search(origin: Int)
        /// A path to save the scenario to (`S`).
        case savePath
    }

    public var purpose: Purpose
    public var editor: LineEditor
}

/// The folders and scenario files offered by `o`, with a typed path.
public struct Picker: Sendable, Equatable {
    /// The folder browsed; nil for the start view (examples/, the working folder, the installed examples).
    public var folder: URL?
    /// The entries found (`..` and subfolders first), or nil while they are being listed.
    public var entries: [ScenarioListing]?
    /// The highlighted entry.
    public var selected = 0
    /// The path typed so far, relative to the folder browsed (or the working folder); Tab completes it.
    public var path = LineEditor()
    /// Whether Tab went into another folder of the typed path and completes the rest once it is listed.
    public var completesWhenListed = false
}

/// A question that `y` answers yes and `n` or Esc answers no.
public enum Confirmation: Sendable, Equatable {
    /// Quit although there are unsaved changes.
    case quit
    /// Overwrite `url`, which changed on disk since it was opened, or already exists.
    case overwrite(URL)
    /// Open `url` although the current scenario has unsaved changes.
    case discardChanges(URL)
    /// Restore unsaved edits recovered from the journal of an explorer that is gone (`more`:
    /// how many other such journals are offered after this one).
    case restoreRecovered(RecoveredEdits, more: Int)
}
