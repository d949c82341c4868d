import KLMath

/// The coverage lab view (`m`): a run of `CoverageLab` on the current scenario, performed in the
/// background by `ExplorerSession` (`Effect.startLab`), whose partial and final reports arrive as
/// `Message.labProgress` / `Message.labFinished`. Every run has a generation number; messages of
/// any other generation are stale and ignored. Editing the scenario while the view is open
/// cancels the run and starts a new one on the edited scenario.
public struct LabState: Sendable {
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

    /// The run the view shows; messages of other generations are ignored.
    public internal(set) var generation: Int
    /// The document revision the run is for.
    public internal(set) var revision: Int
    public internal(set) var phase: Phase
    /// The latest report (partial while running); nil before the first pair count finishes.
    public internal(set) var report: CoverageLab.Report?
    /// The gap plotted (`g` switches).
    public internal(set) var gap: CoverageLab.Gap = .suboptimality
    /// The slopes are fitted over the pair counts from this index of the grid on (`f`/`F` move it).
    public internal(set) var fitStart = 0
    /// How many times `N` turned the notes' page (the view wraps it round to the first page).
    public internal(set) var notesPage = 0
}

extension ExplorerState {
    /// Opens the lab view and starts a run (`m`), or closes it and cancels its run.
    mutating func toggleLab() -> [Effect] {
        lab == nil ? startLab(gap: .suboptimality, fitStart: 0) : closeLab()
    }

    /// Closes the lab view, cancelling a run in progress.
    mutating func closeLab() -> [Effect] {
        guard let lab else { return [] }
        self.lab = nil
        return lab.phase == .running ? [.cancelLab] : []
    }

    /// Starts a new run of the current scenario (new generation), replacing any other.
    mutating func startLab(gap: CoverageLab.Gap, fitStart: Int) -> [Effect] {
        labGeneration += 1
        let cancelOld: [Effect] = lab?.phase == .running ? [.cancelLab] : []
        guard scenario.responses.count <= CoverageLab.maximumResponses else {
            lab = LabState(generation: labGeneration, revision: document.revision, phase: .tooLarge, report: nil, gap: gap, fitStart: fitStart)
            return cancelOld
        }
        lab = LabState(generation: labGeneration, revision: document.revision, phase: .running, report: nil, gap: gap, fitStart: fitStart)
        return cancelOld + [.startLab(scenario.problem, labConfiguration, generation: labGeneration)]
    }

    /// `c` in the lab view: cancels the run, or runs again when it is not running.
    mutating func cancelOrRerunLab() -> [Effect] {
        guard var lab else {
            message = StatusMessage("the coverage lab is closed; m opens it", kind: .info)
            return []
        }
        switch lab.phase {
        case .running:
            lab.phase = .cancelled
            self.lab = lab
            return [.cancelLab]
        case .finished, .cancelled:
            return startLab(gap: lab.gap, fitStart: lab.fitStart)
        case .tooLarge:
            return []
        }
    }

    /// `g` in the lab view: switches between the sub-optimality and the optimality gap.
    mutating func switchLabGap() {
        guard lab != nil else {
            message = StatusMessage("the coverage lab is closed; m opens it", kind: .info)
            return
        }
        lab!.gap = lab!.gap == .suboptimality ? .optimality : .suboptimality
    }

    /// A partial or final report of run `generation`; stale generations are ignored.
    mutating func receiveLab(generation: Int, report: CoverageLab.Report?, finished: Bool) {
        guard var lab, lab.generation == generation, lab.phase == .running else { return }
        if let report { lab.report = report }
        if finished { lab.phase = report == nil ? .cancelled : .finished }
        self.lab = lab
    }

    /// After an edit: a run of an older revision is cancelled and started again on the new one.
    mutating func restartLabIfEdited() -> [Effect] {
        guard let lab, lab.revision != document.revision else { return [] }
        return startLab(gap: lab.gap, fitStart: lab.fitStart)
    }

    /// The smallest `m` the lab view's slopes are fitted over.
    var labFitFrom: Int { labConfiguration.pairCounts[min(lab?.fitStart ?? 0, labConfiguration.pairCounts.count - 1)] }

    /// `f` / `F` in the lab view: the fit starts one pair count later / earlier, keeping at least two.
    mutating func moveLabFit(by step: Int) {
        guard var lab else {
            message = StatusMessage("the coverage lab is closed; m opens it", kind: .info)
            return
        }
        lab.fitStart = min(max(0, labConfiguration.pairCounts.count - 2), max(0, lab.fitStart + step))
        self.lab = lab
        message = StatusMessage("slopes fitted over m ≥ \(labFitFrom) (f: later, F: earlier)", kind: .info)
    }

    /// `N` in the lab view: the next page of the notes, when they do not fit (the first after the last).
    mutating func turnLabNotes() {
        guard lab != nil else {
            message = StatusMessage("the coverage lab is closed; m opens it", kind: .info)
            return
        }
        lab!.notesPage += 1
    }
}
