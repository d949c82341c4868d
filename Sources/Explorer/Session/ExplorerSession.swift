import Foundation
import KLMath
import KLScenario
import TerminalUI

/// The runtime-independent driver of the explorer, used by the ncurses loop and by
/// `klscope render`: it feeds events to `Update`, performs the effects it asks for (file
/// I/O, synchronously, with KLScenario's functions), feeds their results back, re-solves
/// once per batch when the scenario changed, and draws with `ExplorerView`. A class: one
/// explorer has one session, which owns its background runner.
public final class ExplorerSession {
    /// The current state, for tests and for inspection.
    public private(set) var state: ExplorerState
    /// Runs the coverage lab, the sweeps and the picker's listings in the background
    /// (`Effect.startLab`, `Effect.startSweep`, `Effect.list`).
    private let runner = BackgroundRunner()
    /// Whether the picker's listings are made in the background (the interactive explorer: keys
    /// work while a folder of large files is listed, and the entries arrive on a later tick), or
    /// before the next key (`klscope render` and tests, so that replayed keys such as `o <down>`
    /// do not depend on timing).
    public var listsInBackground = true

    /// A session exploring `scenario`, which came from `file` (nil for the built-in default).
    /// Send a `.resize` event first when the terminal is not 80×24: mouse hit-testing and
    /// paging use the last size received.
    public init(scenario: Scenario, file: URL?, options: ExplorerOptions, workingDirectory: URL) {
        state = ExplorerState(scenario: scenario, file: file, stamp: file.flatMap(FileStamp.of), options: options,
                              workingDirectory: workingDirectory)
    }

    /// Starts a guided tour at its first step; `]` and `[` step through it.
    public func startTour(_ tour: TourProgress) {
        run(state.startTour(tour))
        run(Update.settle(&state))
    }

    /// Handles one event and everything it causes.
    public func handle(_ event: TerminalUI.Event) {
        handle([event])
    }

    /// Handles several events in order (keys that arrived faster than frames), performing the
    /// effects of each before the next, then settles once (`Update.settle`: one solve for the batch).
    public func handle(_ events: [TerminalUI.Event]) {
        for event in events {
            run(Update.apply(&state, .event(event)))
        }
        run(Update.settle(&state))
    }

    /// Whether an animation is playing (space): the interactive loop then calls `tick` every frame.
    public var isPlaying: Bool { state.playback != nil }

    /// Moves the animation one frame on.
    public func tick() {
        run(Update.update(&state, .tick))
    }

    /// Performs `effects` and everything their results ask for; the results are applied without
    /// settling (the caller settles once at the end).
    private func run(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if let message = perform(effect) { pending += Update.apply(&state, message) }
        }
    }

    /// Feeds the background work's results (coverage lab and sweep progress) to `Update`; true when
    /// anything arrived, so the caller redraws. The interactive loops call it every tick.
    public func drainBackground() -> Bool {
        let messages = runner.drain()
        for message in messages { run(Update.apply(&state, message)) }
        return !messages.isEmpty
    }

    /// Sets what the coverage lab view runs from now on (`klscope export --pairs …`; tests shrink it to stay quick).
    public func setLabConfiguration(_ configuration: CoverageLab.Configuration) {
        state.lab.configuration = configuration
    }

    /// Blocks until the background work has ended, then drains it: the synchronous path for
    /// `klscope render` and tests, so that what they draw does not depend on timing.
    public func waitForBackground() {
        runner.waitUntilIdle()
        _ = drainBackground()
    }

    /// Opens the coverage lab view if it is closed and blocks until its run has ended (`klscope
    /// export --view lab`); a cancelled run is run again.
    public func runLabToTheEnd() {
        if !state.lab.isOpen || state.lab.run?.phase == .cancelled {
            run(state.lab.isOpen ? state.cancelOrRerunLab() : state.toggleLab())
        }
        waitForBackground()
    }

    /// Whether a sweep job is still computing (for tests).
    var sweepJobIsBusy: Bool { runner.isBusy(.sweep) }

    /// Like `waitForBackground`, for the sweep jobs only (tests, which leave the lab running).
    func waitForSweeps() {
        runner.waitUntilIdle(.sweep)
        _ = drainBackground()
    }

    /// Draws the current state into a grid of the given size.
    public func view(width: Int, height: Int) -> Grid {
        ExplorerView.draw(state, width: width, height: height)
    }

    /// The screen of `view(width:height:)` as text to print (`klscope render`, `tour --render`),
    /// with the style layer of `Snapshot.render` when `styles` is set. Control characters from
    /// the file are already visible escapes in the grid (`Grid.write`), in the same columns as on
    /// the terminal.
    public func printableScreen(width: Int, height: Int, styles: Bool = false) -> String {
        let grid = view(width: width, height: height)
        return styles ? Snapshot.render(grid) : grid.text
    }

    /// True once the user has confirmed quitting.
    public var shouldQuit: Bool { state.quitRequested }

    /// Whether the scenario has edits that are not saved.
    public var hasUnsavedChanges: Bool { state.history.hasUnsavedChanges }

    /// Asks (as a yes/no question over the screen) whether to restore unsaved edits recovered
    /// from a crash journal (`remaining`: how many more are offered after it); yes makes them an
    /// unsaved edit of the file as the journal found it, so saving over a file that changed
    /// since asks first.
    public func offerRecovery(_ recovered: RecoveredEdits, remaining: Int = 0) {
        state.overlay = .confirm(.restoreRecovered(recovered, more: remaining))
    }

    /// Says on the status line that another running explorer has the file open.
    public func reportOpenElsewhere(_ text: String) {
        state.message = StatusMessage(text, kind: .info)
    }

    /// Says on the status line that the recovery journal cannot be written (`failure` words why),
    /// so the user knows a crash would lose the unsaved edits.
    public func reportJournalFailure(_ failure: ScenarioError) {
        state.message = StatusMessage("edits are not being journalled: \(failure.message)", kind: .error)
    }

    /// Writes `data` to `url`, or when that file exists to the first free numbered name beside
    /// it (`x-bars-2.svg`, `x-bars-3.svg`, …): an export never overwrites a file.
    static func writeNumbered(_ data: Data, to url: URL) -> Message {
        let base = url.deletingPathExtension(), suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        for number in 1...10_000 {
            let candidate = number == 1 ? url : URL(fileURLWithPath: base.path + "-\(number)" + suffix)
            do {
                try data.write(to: candidate, options: .withoutOverwriting)
                return .exported(candidate, error: nil)
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch {
                return .exported(candidate, error: error.localizedDescription)
            }
        }
        return .exported(url, error: "10,000 numbered files of this name exist already")
    }

    /// Carries out one effect and returns the message that reports its result.
    private func perform(_ effect: Effect) -> Message? {
        switch effect {
        case .load(let url):
            do throws(ScenarioError) {
                let scenario = try ScenarioLoader.load(contentsOf: url)
                return .loaded(url, .success(LoadedFile(scenario: scenario, stamp: FileStamp.of(url))))
            } catch {
                return .loaded(url, .failure(error))
            }
        case .save(let scenario, let url, let expectation):
            guard expectation.isMet(by: FileStamp.of(url)) else { return .saveConflict(url) }
            do throws(ScenarioError) {
                try ScenarioWriter.save(scenario, to: url)
                return .saved(url, .success(FileStamp.of(url)))
            } catch {
                return .saved(url, .failure(error))
            }
        case .list(let directories, let folder):
            var isDirectory: ObjCBool = false
            if let folder, !(FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                return .pickedFile(folder)
            }
            guard listsInBackground else { return .listed(folder: folder, ScenarioLoader.list(directories: directories, folders: true)) }
            runner.startListing(directories, folder: folder)
            return nil
        case .export(let text, let url):
            return Self.writeNumbered(Data(text.utf8), to: url)
        case .startLab(let problem, let configuration, let generation):
            runner.startLab(problem, configuration, generation: generation)
            return nil
        case .cancelLab:
            runner.cancel(.lab)
            return nil
        case .startSweep(let request):
            runner.startSweep(request)
            return nil
        case .cancelSweep:
            runner.cancel(.sweep)
            return nil
        }
    }
}
