import Foundation
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The sweep view (`w`): line charts over β and over the first reference's weight.
@Suite struct SweepViewTests {
    static let twoReferences = Fixtures.loadExample("partial-overlap.yaml")

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshots(width: Int, height: Int) throws {
        let file = Fixtures.example("partial-overlap.yaml")
        let session = try Fixtures.session(Self.twoReferences, file: file, keys: "w", width: width, height: height)
        try expectSnapshot(session.view(width: width, height: height), named: "sweep-\(width)x\(height)")
        let three = try Fixtures.session(Fixtures.three, keys: "w W W", width: width, height: height,
                                         options: ExplorerOptions(color: .monochrome))
        try expectSnapshot(three.view(width: width, height: height), named: "sweep-three-mono-ownkl-\(width)x\(height)")
    }

    @Test func theObjectiveOverBetaIsClippedAndSaysSo() throws {
        let file = Fixtures.example("partial-overlap.yaml")
        let session = try Fixtures.session(Self.twoReferences, file: file, keys: "w W W W", width: 120, height: 40)
        #expect(session.state.sweep.quantity == .objective)
        try expectSnapshot(session.view(width: 120, height: 40), named: "sweep-objective-clipped-120x40")
        let text = session.view(width: 120, height: 40).text
        #expect(text.contains("over β (log scale) · clipped below -1.895; min -193.0"), "\(text)")
        #expect(!text.contains("-193.0 │"))
        // The bounds are drawn beside the objectives, with their values now.
        #expect(text.contains("╌ Σα max J_k   ┄ Σα max J_FKL,k"))
        let solution = session.state.analysis.solution
        #expect(text.contains("Σα max J_k \(NumberFormat.short(solution.reverseKLBound, digits: 4))"))
        #expect(text.contains("Σα max J_FKL,k \(NumberFormat.short(solution.forwardKLBound, digits: 4))"))
        // Expected reward spans its range at small β already: nothing is clipped.
        let reward = try Fixtures.session(Self.twoReferences, file: file, keys: "w", width: 120, height: 40)
        #expect(!reward.view(width: 120, height: 40).text.contains("clipped"))
    }

    /// With three references the weight sweep is over the focused weight (the last one focused
    /// when the focus moves on), the others in proportion; the title says whose.
    @Test func theWeightSweepOfThreeFollowsTheFocusedWeight() throws {
        let session = try Fixtures.session(Fixtures.three, keys: "w", width: 120, height: 40)
        #expect(session.state.sweep.cache.weight?.reference == 0)
        #expect(session.view(width: 120, height: 40).text.contains("over α a (others in proportion; Tab to a weight sweeps it)"))
        try session.handle(KeyNotation.parse("<tab> <tab>"))
        session.waitForSweeps()
        #expect(session.state.focus == .weight(1))
        let sweep = try #require(session.state.sweep.cache.weight)
        #expect(sweep.reference == 1)
        #expect(sweep == Sweep.weight(session.state.analysis.solution.problem, reference: 1, steps: sweep.points.count))
        #expect(session.view(width: 120, height: 40).text.contains("over α b (others in proportion"))
        // Changing b's own weight does not redo its sweep.
        try session.handle(KeyNotation.parse("l L"))
        session.waitForSweeps()
        #expect(session.state.sweep.cache.weight == sweep, "b's own weight does not change its sweep")
        // Keys in one batch: the last weight focused counts, also when the focus moved on (to the reward).
        try session.handle(KeyNotation.parse("<tab> <tab>"))
        session.waitForSweeps()
        #expect(session.state.focus == .reward && session.state.sweep.cache.weight?.reference == 2)
        #expect(session.view(width: 120, height: 40).text.contains("over α c (others in proportion"))
    }

    @Test func wTogglesAndWCyclesTheQuantity() throws {
        let session = try Fixtures.session(Self.twoReferences, keys: "w")
        #expect(session.state.sweep.isShown)
        #expect(session.view(width: 120, height: 40).text.contains("Sweep"))
        session.handle(.key(.character("W")))
        #expect(session.state.sweep.quantity == .entropy)
        session.handle(.key(.character("w")))
        #expect(!session.state.sweep.isShown)
        #expect(!session.view(width: 120, height: 40).text.contains("Sweep ·"))
    }

    /// The column of the β marker (▲) on the first chart's axis.
    private func markerColumn(_ grid: Grid) -> Int? {
        for row in 0..<grid.height {
            if let index = grid.line(row).firstIndex(of: "▲") { return grid.line(row).distance(from: grid.line(row).startIndex, to: index) }
        }
        return nil
    }

    @Test func theMarkerFollowsBetaAndTheSweepIsNotRecomputed() throws {
        let session = try Fixtures.session(Self.twoReferences, keys: "w")
        let before = try #require(markerColumn(session.view(width: 120, height: 40)))
        let betaSweep = session.state.sweep.cache.beta, weightSweep = session.state.sweep.cache.weight
        #expect(betaSweep != nil && weightSweep != nil)
        try session.handle(KeyNotation.parse("L L"))   // β ×9
        session.waitForSweeps()
        let after = try #require(markerColumn(session.view(width: 120, height: 40)))
        #expect(after > before + 3)
        #expect(session.state.sweep.cache.beta == betaSweep, "β keys must not recompute the β sweep")
        #expect(session.state.sweep.cache.weight != weightSweep, "the weight sweep is at the current β")
        // A weight change redoes the β sweep, and leaves the weight sweep alone.
        let weightNow = session.state.sweep.cache.weight
        try session.handle(KeyNotation.parse("<tab> l"))
        session.waitForSweeps()
        #expect(session.state.sweep.cache.beta != betaSweep)
        #expect(session.state.sweep.cache.weight == weightNow)
    }

    @Test func everyPointAgreesWithTheExplorersOwnSolveAtTheCurrentBeta() throws {
        let session = try Fixtures.session(Self.twoReferences, keys: "w")
        let sweep = try #require(session.state.sweep.cache.beta)
        #expect(sweep.points.count == SweepCache.points(responses: 5))
        #expect(SweepCache.points(responses: 19_999) == 11)
        var problem = session.state.scenario.problem
        problem.beta = sweep.points[20].parameter
        #expect(Sweep.point(problem.beta, Solution(problem)) == sweep.points[20])
    }

    @Test func noSweepUntilShownAndNoneForLargeScenarios() throws {
        let small = try Fixtures.session(Self.twoReferences)
        #expect(small.state.sweep.cache.beta == nil)
        let large = SyntheticScenario.make(responses: SweepCache.responseLimit, references: 2)
        let session = try Fixtures.session(large, keys: "w")
        #expect(session.state.sweep.cache.beta == nil)
        let text = session.view(width: 120, height: 40).text
        #expect(text.contains("sweep too large: \(SweepCache.responseLimit) responses; use klscope sweep"))
    }

    // MARK: Background jobs

    private func key(_ character: Character) -> Message { .event(.key(.character(character))) }

    /// A state with the sweep view open, as `Update` leaves it (no session, no runner), and the effects of `w`.
    private func openState() throws -> (ExplorerState, [Effect]) {
        var state = try Fixtures.session(Self.twoReferences).state
        let effects = Update.update(&state, key("w"))
        return (state, effects)
    }

    @Test func openingTheViewStartsOneJobAndBetaKeysRestartOnlyTheWeightSweep() throws {
        var (state, effects) = try openState()
        let problem = state.analysis.solution.problem
        let steps = SweepCache.points(responses: 5)
        #expect(effects == [.startSweep(SweepRequest(problem: problem, beta: true, weight: true, reference: 0, steps: steps, generation: 1))])
        #expect(Update.settle(&state).isEmpty, "the same job is not started twice")
        #expect(state.sweep.cache.job?.partial.total == 2 * steps)
        let result = try #require(effects.first.flatMap { if case .startSweep(let request) = $0 { request } else { nil } }
            .flatMap { $0.run(isCancelled: { false }, progress: { _ in }) })
        _ = Update.update(&state, .sweepFinished(generation: 1, result))
        #expect(state.sweep.cache.job == nil)
        #expect(state.sweep.cache.beta == Sweep.beta(problem, steps: steps))
        #expect(state.sweep.cache.weight == Sweep.weight(problem, steps: steps))
        // β: only the weight sweep is redone (a new generation); the β sweep stays.
        let edited = Update.update(&state, key("l"))
        #expect(edited == [.startSweep(SweepRequest(problem: state.analysis.solution.problem, beta: false, weight: true, reference: 0,
                                                     steps: steps, generation: 2))])
        #expect(state.sweep.cache.beta != nil && state.sweep.cache.weight == nil)
        // Another edit while it runs replaces it (the runner cancels the one before).
        #expect(Update.update(&state, key("l")).map { if case .startSweep(let request) = $0 { request.generation } else { 0 } } == [3])
        // Closing the view cancels the job.
        #expect(Update.update(&state, key("w")) == [.cancelSweep])
        #expect(state.sweep.cache.job == nil)
    }

    @Test func aBatchOfKeysSettlesOnce() throws {
        var (state, _) = try openState()
        // Three β steps that arrived together (a held key): one solve and one new sweep job for
        // the last β, not a job per key.
        let effects = Update.update(&state, messages: [key("l"), key("l"), key("l")])
        #expect(effects.map { if case .startSweep(let request) = $0 { request.generation } else { 0 } } == [2])
        #expect(state.analysis.revision == state.history.document.revision)
        #expect(state.analysis.solution.problem.beta == state.scenario.beta)
    }

    @Test func staleSweepGenerationsAreIgnored() throws {
        var (state, effects) = try openState()
        guard case .startSweep(let first) = effects.first else { Issue.record("no job"); return }
        let old = try #require(first.run(isCancelled: { false }, progress: { _ in }))
        _ = Update.update(&state, key("l"))   // generation 2
        #expect(state.sweep.cache.job?.generation == 2)
        _ = Update.update(&state, .sweepProgress(generation: 1, old))
        #expect(state.sweep.cache.job?.partial.done == 0)
        _ = Update.update(&state, .sweepFinished(generation: 1, old))
        #expect(state.sweep.cache.job?.generation == 2)
        #expect(state.sweep.cache.beta == nil && state.sweep.cache.weight == nil)
    }

    @Test func theRunnerPostsProgressThenTheFinishedSweeps() throws {
        let problem = Self.twoReferences.problem
        let runner = BackgroundRunner()
        runner.startSweep(SweepRequest(problem: problem, beta: true, weight: true, reference: 0, steps: 61, generation: 7))
        runner.waitUntilIdle(.sweep)
        let messages = runner.drain()
        let progress = messages.compactMap { if case .sweepProgress(7, let partial) = $0 { partial } else { nil } }
        #expect(progress.count >= 10)
        #expect(progress.map(\.done) == progress.map(\.done).sorted())
        #expect(progress.allSatisfy { $0.total == 122 && $0.done < 122 })
        #expect(progress.first?.beta?.points.count == progress.first?.done)
        guard case .sweepFinished(7, let final?) = messages.last else { Issue.record("no finished sweeps"); return }
        #expect(final.done == 122)
        #expect(final.beta == Sweep.beta(problem, steps: 61))
        #expect(final.weight == Sweep.weight(problem, steps: 61))
    }

    @Test func aCancelledJobEndsWithNil() throws {
        let large = SyntheticScenario.make(responses: 19_999, references: 2)
        let runner = BackgroundRunner()
        runner.startSweep(SweepRequest(problem: large.problem, beta: true, weight: true, reference: 0, steps: 11, generation: 1))
        runner.cancel(.sweep)
        runner.waitUntilIdle(.sweep)
        guard case .sweepFinished(1, nil) = runner.drain().last else { Issue.record("not cancelled"); return }
    }

    /// A session on a synthetic scenario of `n` responses with the sweep view open, its job started.
    private func openLarge(_ n: Int) -> ExplorerSession {
        let large = SyntheticScenario.make(responses: n, references: 2)
        let session = ExplorerSession(scenario: large, file: nil, options: ExplorerOptions(), workingDirectory: Fixtures.repository)
        session.handle(.resize(width: 120, height: 40))
        session.handle(.key(.character("w")))
        return session
    }

    @Test func aLargeSweepRunsInTheBackgroundAndShowsProgress() throws {
        let session = openLarge(19_999)
        #expect(session.state.sweep.cache.job?.generation == 1)
        #expect(session.view(width: 120, height: 40).text.contains("computing sweep 0 of 22 points"))
        // A β key while the job runs returns while the new job is still computing: the key costs
        // the explorer's own solve (about 0.2 s at this size in a debug build), not the sweep's
        // 11 solves.
        session.handle(.key(.character("l")))
        #expect(session.sweepJobIsBusy, "the sweep is still computing after the key returned")
        #expect(session.state.sweep.cache.job?.generation == 2, "the edit restarted the job")
        // The first job had not finished its β sweep, so the new one computes both.
        #expect(session.state.sweep.cache.job?.partial.total == 22)
        // Progress arrives while it runs.
        var seen: [Int] = []
        while session.sweepJobIsBusy || session.state.sweep.cache.job != nil {
            if session.drainBackground(), let done = session.state.sweep.cache.job?.partial.done { seen.append(done) }
            Thread.sleep(forTimeInterval: 0.005)
            if seen.contains(where: { $0 > 0 }), seen.count == 1 {
                #expect(session.view(width: 120, height: 40).text.contains("computing sweep \(seen[0]) of 22 points"))
            }
        }
        #expect(seen.contains { $0 > 0 && $0 < 22 }, "progress messages: \(seen)")
        #expect(seen == seen.sorted())
        #expect(session.state.sweep.cache.beta?.points.count == 11)
        #expect(session.state.sweep.cache.weight?.points.count == 11)
        #expect(!session.view(width: 120, height: 40).text.contains("computing sweep"))
    }

    @Test func aBetaKeyDoesNotWaitForTheSweep() throws {
        // 2,000 responses: the explorer's own solve is quick, the sweep job (2 × 60 solves) is not.
        let session = openLarge(2_000)
        session.handle(.key(.character("l")))
        // The key returned with the sweep handed to the background: its job is pending (results
        // reach the state only when drained) and the frame can be drawn meanwhile.
        #expect(session.state.sweep.cache.job != nil)
        #expect(session.view(width: 120, height: 40).text.contains("computing sweep"))
        session.waitForSweeps()
        #expect(session.state.sweep.cache.job == nil && session.state.sweep.cache.weight != nil)
    }

    @Test func asciiSweepHasOnlyAscii() throws {
        for scenario in [Self.twoReferences, Fixtures.loadExample("disjoint.yaml"), Fixtures.three] {
            for options in [ExplorerOptions(ascii: true), ExplorerOptions(color: .monochrome, ascii: true)] {
                // Expected reward, and the objective with its bounds.
                for keys in ["w", "w W W W"] {
                    let grid = try Fixtures.session(scenario, keys: keys, options: options).view(width: 120, height: 40)
                    let offending = grid.text.unicodeScalars.filter { !$0.isASCII }.map(String.init).joined()
                    #expect(offending.isEmpty, "non-ASCII: \(offending)")
                }
            }
        }
    }

    @Test func disjointSupportsSayUndefined() throws {
        let grid = try Fixtures.session(Fixtures.loadExample("disjoint.yaml"), keys: "w").view(width: 120, height: 40)
        #expect(grid.text.contains("RKL* undefined"))
    }
}
