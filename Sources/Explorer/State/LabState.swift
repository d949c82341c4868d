import KLMath
import KLScenario

/// The coverage lab view (`m`): what it runs, and the run it shows while it is open. It owns its
/// updates: opening and closing the view, starting, cancelling and restarting runs (each with a
/// new generation number), and taking in their reports, of which those of other generations
/// are stale and ignored.
public struct LabState: Sendable {
    /// The run the view shows; nil while the view is closed.
    public private(set) var run: LabRun?
    /// The last run's generation number (each run gets a new one).
    private(set) var generation = 0
    /// What the view runs: `klscope lab`'s defaults (tests and `klscope export --pairs` change it).
    public internal(set) var configuration = CoverageLab.Configuration()

    /// Whether the view is open.
    public var isOpen: Bool { run != nil }

    /// Starts a new run of `scenario`, document revision `revision` (new generation), replacing
    /// any other; a scenario with more responses than the lab takes runs nothing.
    mutating func start(_ scenario: Scenario, revision: Int, gap: CoverageLab.Gap, fitStart: Int) -> [Effect] {
        generation += 1
        let cancelOld: [Effect] = run?.phase == .running ? [.cancelLab] : []
        guard scenario.responses.count <= CoverageLab.maximumResponses else {
            run = LabRun(generation: generation, revision: revision, phase: .tooLarge, report: nil, gap: gap, fitStart: fitStart)
            return cancelOld
        }
        run = LabRun(generation: generation, revision: revision, phase: .running, report: nil, gap: gap, fitStart: fitStart)
        return cancelOld + [.startLab(scenario.problem, configuration, generation: generation)]
    }

    /// Starts a run of `scenario` keeping the open run's gap and fit range (the defaults when closed).
    mutating func restart(_ scenario: Scenario, revision: Int) -> [Effect] {
        start(scenario, revision: revision, gap: run?.gap ?? .suboptimality, fitStart: run?.fitStart ?? 0)
    }

    /// Closes the view, cancelling a run in progress.
    mutating func close() -> [Effect] {
        guard let run else { return [] }
        self.run = nil
        return run.phase == .running ? [.cancelLab] : []
    }

    /// Cancels the run, or runs `scenario` again when it is not running.
    mutating func cancelOrRerun(_ scenario: Scenario, revision: Int) -> [Effect] {
        guard var run else { return [] }
        switch run.phase {
        case .running:
            run.phase = .cancelled
            self.run = run
            return [.cancelLab]
        case .finished, .cancelled:
            return restart(scenario, revision: revision)
        case .tooLarge:
            return []
        }
    }

    /// Switches between the sub-optimality and the optimality gap.
    mutating func switchGap() {
        guard let gap = run?.gap else { return }
        run?.gap = gap == .suboptimality ? .optimality : .suboptimality
    }

    /// A partial or final report of run `generation`; stale generations are ignored.
    mutating func receive(generation: Int, report: CoverageLab.Report?, finished: Bool) {
        guard var run, run.generation == generation, run.phase == .running else { return }
        if let report { run.report = report }
        if finished { run.phase = report == nil ? .cancelled : .finished }
        self.run = run
    }

    /// After an edit to revision `revision`: a run of an older revision is cancelled and
    /// started again on `scenario`.
    mutating func restartIfEdited(_ scenario: Scenario, revision: Int) -> [Effect] {
        guard let run, run.revision != revision else { return [] }
        return restart(scenario, revision: revision)
    }

    /// The smallest `m` the view's slopes are fitted over.
    var fitFrom: Int { configuration.pairCounts[min(run?.fitStart ?? 0, configuration.pairCounts.count - 1)] }

    /// The fit starts `step` pair counts later (earlier when negative), keeping at least two.
    mutating func moveFit(by step: Int) {
        guard let fitStart = run?.fitStart else { return }
        run?.fitStart = min(max(0, configuration.pairCounts.count - 2), max(0, fitStart + step))
    }

    /// The next page of the notes (the view wraps it round to the first page).
    mutating func turnNotes() {
        run?.notesPage += 1
    }
}

/// A run of `CoverageLab` on the current scenario, performed in the background by
/// `ExplorerSession` (`Effect.startLab`), whose partial and final reports arrive as
/// `Message.labProgress` / `Message.labFinished`, with what the view shows of it.
public struct LabRun: Sendable {
    /// Where the run stands.
    public enum Phase: Sendable, Equatable {
        /// Running; the report holds the steps finished so far.
        case running
        /// Every pair count is done.
        case finished
        /// Cancelled (`c`); the report holds the steps finished before.
        case cancelled
        /// The scenario has more responses than the lab takes; nothing runs.
        case tooLarge
    }

    /// The run's generation; messages of other generations are ignored.
    public fileprivate(set) var generation: Int
    /// The document revision the run is for.
    public fileprivate(set) var revision: Int
    public fileprivate(set) var phase: Phase
    /// The latest report (partial while running); nil before the first pair count finishes.
    public fileprivate(set) var report: CoverageLab.Report?
    /// The gap plotted (`g` switches).
    public fileprivate(set) var gap: CoverageLab.Gap = .suboptimality
    /// The slopes are fitted over the pair counts from this index of the grid on (`f`/`F` move it).
    public fileprivate(set) var fitStart = 0
    /// How many times `N` turned the notes' page (the view wraps it round to the first page).
    public fileprivate(set) var notesPage = 0
}

extension ExplorerState {
    /// Opens the lab view and starts a run (`m`), or closes it and cancels its run.
    mutating func toggleLab() -> [Effect] {
        lab.isOpen ? lab.close() : lab.start(scenario, revision: history.document.revision, gap: .suboptimality, fitStart: 0)
    }

    /// `c` in the lab view: cancels the run, or runs again when it is not running.
    mutating func cancelOrRerunLab() -> [Effect] {
        guard labIsOpen() else { return [] }
        return lab.cancelOrRerun(scenario, revision: history.document.revision)
    }

    /// `g` in the lab view: switches between the sub-optimality and the optimality gap.
    mutating func switchLabGap() {
        if labIsOpen() { lab.switchGap() }
    }

    /// `f` / `F` in the lab view: the fit starts one pair count later / earlier, keeping at least two.
    mutating func moveLabFit(by step: Int) {
        guard labIsOpen() else { return }
        lab.moveFit(by: step)
        message = StatusMessage("slopes fitted over m ≥ \(lab.fitFrom) (f: later, F: earlier)", kind: .info)
    }

    /// `N` in the lab view: the next page of the notes, when they do not fit (the first after the last).
    mutating func turnLabNotes() {
        if labIsOpen() { lab.turnNotes() }
    }

    /// Whether the lab view is open; when it is not, says so on the status line.
    private mutating func labIsOpen() -> Bool {
        if !lab.isOpen { message = StatusMessage("the coverage lab is closed; m opens it", kind: .info) }
        return lab.isOpen
    }
}
