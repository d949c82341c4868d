import Foundation
import KLMath
import KLScenario
import TerminalUI

/// Everything `Update` reacts to: terminal events, and the results of effects that
/// `ExplorerSession` performed on its behalf.
public enum Message: Sendable {
    /// A key, mouse or resize event.
    case event(Event)
    /// A file was read (`Effect.load`), with its stamp on success.
    case loaded(URL, Result<LoadedFile, ScenarioError>)
    /// A file was written (`Effect.save`), with its new stamp on success.
    case saved(URL, Result<FileStamp?, ScenarioError>)
    /// `Effect.save` found the file not as expected (changed on disk, or already there).
    case saveConflict(URL)
    /// The folders and scenario files found for the picker (`Effect.list`), for the folder it
    /// browses (nil: its start view).
    case listed(folder: URL?, [ScenarioListing])
    /// The path typed in the picker names a file, not a folder (`Effect.list`): open it.
    case pickedFile(URL)
    /// A picture was written (`Effect.export`); the error in words when it failed.
    case exported(URL, error: String?)
    /// The coverage lab run `generation` finished another pair count (`Effect.startLab`).
    case labProgress(generation: Int, CoverageLab.Report)
    /// The coverage lab run `generation` ended: its report, or nil when it was cancelled.
    case labFinished(generation: Int, CoverageLab.Report?)
    /// The sweep job `generation` computed a few more points (`Effect.startSweep`).
    case sweepProgress(generation: Int, SweepPartial)
    /// The sweep job `generation` ended: all its points, or nil when it was cancelled.
    case sweepFinished(generation: Int, SweepPartial?)
    /// Time for the next frame of the animation (space); the session sends one per frame while playing.
    case tick
}

/// A scenario read from disk with the stamp of the bytes it was read from.
public struct LoadedFile: Sendable {
    public var scenario: Scenario
    public var stamp: FileStamp?

    public init(scenario: Scenario, stamp: FileStamp?) {
        self.scenario = scenario
        self.stamp = stamp
    }
}

/// Work with the outside world that `Update` asks for and `ExplorerSession` performs.
public enum Effect: Sendable, Equatable {
    /// Read the scenario file at the URL; answer with `Message.loaded`.
    case load(URL)
    /// Write the scenario to the URL if the file on disk is as expected; answer with
    /// `Message.saved`, or `Message.saveConflict` without writing.
    case save(Scenario, to: URL, expecting: DiskExpectation)
    /// List the subfolders and scenario files in these folders; answer with `Message.listed`.
    /// `folder` is the one folder the picker browses (nil: its start view); when it is not a
    /// folder, answer with `Message.pickedFile` instead.
    case list([URL], folder: URL?)
    /// Write an exported picture (SVG text) to the URL; answer with `Message.exported`.
    case export(String, to: URL)
    /// Run the coverage lab in the background; its reports arrive as `Message.labProgress` and
    /// `Message.labFinished` with this generation. Replaces (cancels) any run in progress.
    case startLab(Problem, CoverageLab.Configuration, generation: Int)
    /// Cancel the coverage lab run in progress, if any.
    case cancelLab
    /// Compute the sweep view's stale sweeps in the background; partial results arrive as
    /// `Message.sweepProgress`, the end as `Message.sweepFinished`, with the request's
    /// generation. Replaces (cancels) any sweep job in progress.
    case startSweep(SweepRequest)
    /// Cancel the sweep job in progress, if any.
    case cancelSweep
}

/// What a save expects to find on disk before it overwrites.
public enum DiskExpectation: Sendable, Equatable {
    /// The file as it was when opened or last saved (nil: it did not exist or was unreadable).
    case unchanged(FileStamp?)
    /// No file at all (saving under a new name).
    case absent
    /// Anything: the user agreed to overwrite.
    case anything

    /// Whether a file whose stamp is now `current` (nil when missing) meets the expectation.
    public func isMet(by current: FileStamp?) -> Bool {
        switch self {
        case .unchanged(let stamp): current == nil || current == stamp
        case .absent: current == nil
        case .anything: true
        }
    }
}
