import Foundation
import KLMath
import KLScenario
import TerminalUI

/// Everything the explorer shows and remembers, as one value. Its parts own their updates:
/// `history` (the scenario being edited, its undo history and file), `chart` (selection,
/// scrolling, order and how the chart is drawn), `sweep` (the sweep view) and `lab` (the coverage
/// lab view); the rest is the solution of the scenario and what the whole screen shares (focus,
/// overlay, status message, screen size, pin, animation, tour).
///
/// `Update` changes it in response to messages; `ExplorerView` draws it. Neither does I/O.
public struct ExplorerState: Sendable {
    /// The scenario being edited, its undo history and its file.
    public internal(set) var history: DocumentHistory

    /// The solution of the scenario and the statistics drawn from it.
    public var analysis: Analysis { currentAnalysis! }
    /// `analysis`; nil only inside `solveIfNeeded`, so that the old policies are freed before
    /// the new ones are computed (at vocabulary scale each policy is megabytes).
    private var currentAnalysis: Analysis?

    /// The chart's selection, scrolling, order and drawing choices.
    public internal(set) var chart = ChartNavigation()
    /// The control that arrow keys change.
    public internal(set) var focus: Control = .beta {
        didSet { sweep.follow(focus) }
    }
    /// The setting pinned for comparison (`p`), if any.
    public internal(set) var pinned: Pin?
    /// The animation playing (space), if any.
    public internal(set) var playback: Playback?
    /// The animation's speed, an index into `Playback.speeds` (`<` `>`), kept between plays.
    public internal(set) var playSpeed = Playback.defaultSpeed
    /// The sweep view (`w`) and its sweeps.
    public internal(set) var sweep = SweepState()
    /// The coverage lab view (`m`): what it runs and the run it shows.
    public internal(set) var lab = LabState()
    /// The guided tour being played (`klscope tour`), if any.
    public internal(set) var tour: TourProgress?
    /// The modal overlay on top of the screen, if any.
    public internal(set) var overlay: Overlay?
    /// The transient message on the bottom line, cleared by the next key.
    public internal(set) var message: StatusMessage?
    /// The terminal size from the last resize event (80×24 until one arrives).
    public internal(set) var screen = ScreenSize(width: 80, height: 24)
    /// Set once the user confirmed quitting.
    public internal(set) var quitRequested = false

    /// Drawing and input options.
    public let options: ExplorerOptions
    /// Where relative paths are resolved and the picker looks for scenarios.
    public let workingDirectory: URL

    /// A fresh state for `scenario`, loaded from `file` (nil for the built-in default).
    init(scenario: Scenario, file: URL?, stamp: FileStamp?, options: ExplorerOptions, workingDirectory: URL) {
        history = DocumentHistory(scenario: scenario, file: file, stamp: stamp)
        currentAnalysis = Analysis(scenario, revision: 0)
        self.options = options
        self.workingDirectory = URL(fileURLWithPath: workingDirectory.path, isDirectory: true)
        if !scenario.loadNotices.isEmpty {
            message = StatusMessage(scenario.loadNotices.joined(separator: "; "), kind: .info)
        }
    }

    /// The scenario being explored.
    public var scenario: Scenario { history.document.scenario }

    /// Whether `analysis` is out of date with the scenario and must be recomputed.
    public var needsSolve: Bool { analysis.revision != history.document.revision }

    /// How `url` is shown: relative to the working directory when inside it.
    public func displayPath(_ url: URL) -> String {
        Self.path(of: url, from: workingDirectory)
    }

    /// The path of `url` relative to the folder `folder` when inside it, else in full.
    static func path(of url: URL, from folder: URL) -> String {
        let base = folder.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Recomputes the cached analysis when the scenario changed since it was made; returns
    /// the effects that bring the sweep view's background job up to date.
    mutating func solveIfNeeded() -> [Effect] {
        if needsSolve {
            let carried = analysis.carried
            currentAnalysis = nil
            currentAnalysis = Analysis(scenario, revision: history.document.revision, carrying: carried)
        }
        chart.refreshOrder(scenario, analysis)
        return sweep.refresh(for: analysis.solution.problem)
    }
}

/// The size of the terminal in cells.
public struct ScreenSize: Sendable, Equatable {
    public var width: Int
    public var height: Int
}

/// One line on the status bar until the next key.
public struct StatusMessage: Sendable, Equatable {
    /// Whether the message reports a success, a neutral fact or a problem.
    public enum Kind: Sendable, Equatable { case info, success, error }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }
}

/// A probability that `0` set to zero: which reference, which response.
public struct ZeroedProbability: Sendable, Hashable {
    public var reference: Int
    public var response: Int
}

/// The two chart layouts, switched with `v`.
public enum ChartLayout: Sendable, Equatable {
    /// One block per response with a horizontal bar per series.
    case rows
    /// Grouped vertical bars, one group per response.
    case columns
}
