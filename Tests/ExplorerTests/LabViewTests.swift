import Foundation
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The coverage lab view (`m`): its state machine, its background runner and its screen.
@Suite struct LabViewTests {
    static let chatVsMath = Fixtures.loadExample("chat-vs-math.yaml")
    /// A small run, quick in debug builds.
    static let small = CoverageLab.Configuration(pairCounts: [10, 100, 1000], seeds: 4)
    /// The screens' run: m 10 … 10,000 in 8 steps, 20 seeds (the defaults run to m = 100,000 with
    /// 100 seeds, which takes over a minute in a debug build).
    static let screens = CoverageLab.Configuration(pairCounts: CoverageLab.Configuration.logGrid(from: 10, to: 10_000, steps: 8), seeds: 20)

    /// A session on chat-vs-math that runs the screens' lab configuration, after `keys`.
    private func labSession(keys: String, width: Int, height: Int) throws -> ExplorerSession {
        let session = try Fixtures.session(Self.chatVsMath, file: Fixtures.example("chat-vs-math.yaml"), width: width, height: height)
        session.setLabConfiguration(Self.screens)
        try session.handle(KeyNotation.parse(keys))
        session.waitForBackground()
        return session
    }

    private func state(_ scenario: Scenario = LabViewTests.chatVsMath) throws -> ExplorerState {
        var state = try Fixtures.session(scenario).state
        state.lab.configuration = Self.small
        return state
    }

    private func key(_ character: Character) -> Message { .event(.key(.character(character))) }

    private func report(steps: Int = 3) -> CoverageLab.Report {
        var configuration = Self.small
        configuration.pairCounts = Array(configuration.pairCounts.prefix(steps))
        return CoverageLab.run(Self.chatVsMath.problem, configuration: configuration)!
    }

    @Test func mStartsAGenerationAndProgressThenFinishArrive() throws {
        var state = try state()
        let effects = Update.update(&state, key("m"))
        #expect(effects == [.startLab(Self.chatVsMath.problem, Self.small, generation: 1)])
        #expect(state.lab.run?.phase == .running)
        #expect(state.lab.run?.report == nil)
        _ = Update.update(&state, .labProgress(generation: 1, report(steps: 1)))
        #expect(state.lab.run?.report?.steps.count == 1)
        #expect(state.lab.run?.phase == .running)
        _ = Update.update(&state, .labFinished(generation: 1, report()))
        #expect(state.lab.run?.phase == .finished)
        #expect(state.lab.run?.report?.steps.count == 3)
        // c runs it again under a new generation.
        #expect(Update.update(&state, key("c")) == [.startLab(Self.chatVsMath.problem, Self.small, generation: 2)])
    }

    @Test func staleGenerationsAreIgnored() throws {
        var state = try state()
        _ = Update.update(&state, key("m"))
        _ = Update.update(&state, key("c"))  // cancel generation 1
        _ = Update.update(&state, key("c"))  // run again: generation 2
        #expect(state.lab.run?.generation == 2)
        _ = Update.update(&state, .labProgress(generation: 1, report(steps: 1)))
        _ = Update.update(&state, .labFinished(generation: 1, report()))
        #expect(state.lab.run?.report == nil)
        #expect(state.lab.run?.phase == .running)
    }

    @Test func cancelEscAndMCloseAndCancel() throws {
        var state = try state()
        _ = Update.update(&state, key("m"))
        #expect(Update.update(&state, key("c")) == [.cancelLab])
        #expect(state.lab.run?.phase == .cancelled)
        _ = Update.update(&state, .labFinished(generation: 1, nil))
        #expect(state.lab.run?.phase == .cancelled)

        _ = Update.update(&state, key("c"))
        #expect(Update.update(&state, .event(.key(.escape))) == [.cancelLab])
        #expect(state.lab.run == nil)

        _ = Update.update(&state, key("m"))
        #expect(Update.update(&state, key("m")) == [.cancelLab])
        #expect(state.lab.run == nil)
        // Closed: c and g only say how to open it.
        #expect(Update.update(&state, key("c")).isEmpty)
        #expect(state.message?.text.contains("m opens it") == true)
    }

    @Test func gSwitchesTheGap() throws {
        var state = try state()
        _ = Update.update(&state, key("m"))
        _ = Update.update(&state, key("g"))
        #expect(state.lab.run?.gap == .optimality)
        _ = Update.update(&state, key("g"))
        #expect(state.lab.run?.gap == .suboptimality)
    }

    @Test func anEditWhileRunningRestartsOnTheEditedScenario() throws {
        let session = try Fixtures.session(Self.chatVsMath)
        session.setLabConfiguration(Self.small)
        session.handle(.key(.character("m")))
        #expect(session.state.lab.run?.generation == 1)
        session.handle(.key(.character("l")))  // β × 1.2
        #expect(session.state.lab.run?.generation == 2)
        #expect(session.state.lab.run?.revision == session.state.history.document.revision)
        #expect(session.state.lab.run?.phase == .running)
        session.waitForBackground()
        #expect(session.state.lab.run?.phase == .finished)
        #expect(session.state.lab.run?.report?.isComplete == true)
        // The report is of the edited scenario: the same as a direct run on it.
        #expect(session.state.lab.run?.report == CoverageLab.run(session.state.scenario.problem, configuration: Self.small))
    }

    @Test func tooManyResponsesGetAMessage() throws {
        let count = CoverageLab.maximumResponses + 1
        let uniform = LogSpace.logs(of: Array(repeating: 1.0 / Double(count), count: count))
        let scenario = Scenario(title: "big", beta: 1, responses: (0..<count).map { "r\($0)" }, rewards: (0..<count).map(Double.init),
                                references: [.init(name: "a", weight: 1, logProbabilities: uniform)])
        let session = try Fixtures.session(scenario)
        session.handle(.key(.character("m")))
        session.waitForBackground()
        #expect(session.state.lab.run?.phase == .tooLarge)
        #expect(session.view(width: 120, height: 40).text.contains("at most \(CoverageLab.maximumResponses) responses"))
    }

    @Test func fAndFMoveTheFitRangeKeepingTwoPairCounts() throws {
        var state = try state()
        _ = Update.update(&state, key("m"))
        #expect(state.lab.fitFrom == 10)
        _ = Update.update(&state, key("f"))
        #expect(state.lab.run?.fitStart == 1 && state.lab.fitFrom == 100)
        _ = Update.update(&state, key("f"))
        #expect(state.lab.run?.fitStart == 1, "two pair counts stay in the fit")
        _ = Update.update(&state, key("F"))
        _ = Update.update(&state, key("F"))
        #expect(state.lab.run?.fitStart == 0)
        _ = Update.update(&state, key("f"))
        _ = Update.update(&state, .labFinished(generation: state.lab.run!.generation, report()))
        _ = Update.update(&state, key("c"))
        #expect(state.lab.run?.fitStart == 1, "a rerun keeps the fit range")
    }

    @Test func theoryLinesIntervalsCoverageAndWholeNotes() throws {
        let session = try labSession(keys: "mgff", width: 120, height: 40)
        let text = session.view(width: 120, height: 40).text
        #expect(text.contains("C_glob/C*/C_ε: RKL "))
        #expect(text.contains("dots: theory") && text.contains("fit m ≥ 72"))
        #expect(text.contains("RKL slope −") && text.contains(" ["))
        try expectSnapshot(session.view(width: 120, height: 40), named: "lab-optimality-fit-120x40")
        // At 80×24 the notes that do not fit are counted, not cut.
        let small = try labSession(keys: "m", width: 80, height: 24)
        let lines = small.view(width: 80, height: 24).text
        #expect(lines.contains("N: more notes") || !lines.contains("• "))
    }

    @Test func notesPagesCoverEveryLineOnceAndWrapRound() {
        #expect(LabView.notesPage(lineCount: 5, room: 8, turned: 3).lines == 0..<5, "notes that fit are all shown, whatever N did")
        let pages = (0..<4).map { LabView.notesPage(lineCount: 19, room: 8, turned: $0) }
        #expect(pages.map(\.lines) == [0..<7, 7..<14, 14..<19, 0..<7])
        #expect(pages.allSatisfy { $0.pages == 3 })
    }

    /// At 120×40 the notes do not fit: N turns their pages until the last one, which ends with the
    /// conclusion (the last note), then the first page again.
    @Test func nReachesTheConclusionAt120x40() throws {
        let session = try labSession(keys: "m", width: 120, height: 40)
        let report = try #require(session.state.lab.run?.report)
        let notes = report.notes(responseNames: session.state.scenario.responses,
                                 referenceNames: session.state.scenario.references.map(\.name), fitFrom: session.state.lab.fitFrom)
        let last = try #require(notes.last)
        let conclusion = try #require(TextLayout.wrap(last, width: 57).last)
        var screen = session.view(width: 120, height: 40).text
        #expect(screen.contains("notes lines 1–") && screen.contains("N: more notes"))
        #expect(!screen.contains(conclusion))
        var presses = 0
        while !screen.contains("N: the first notes again"), presses < 10 {
            try session.handle(KeyNotation.parse("N"))
            screen = session.view(width: 120, height: 40).text
            presses += 1
        }
        #expect(presses >= 1 && presses < 10)
        #expect(screen.contains(conclusion), "the last page ends with the conclusion")
        try expectSnapshot(session.view(width: 120, height: 40), named: "lab-notes-last-page-120x40")
        try session.handle(KeyNotation.parse("N"))
        #expect(session.view(width: 120, height: 40).text.contains("notes lines 1–"))
    }

    @Test func bShowsTheConstantsAcrossBetaWithTheCurrentOneMarked() throws {
        let partial = Fixtures.loadExample("partial-overlap.yaml")
        let session = try Fixtures.session(partial, keys: "B")
        #expect(session.state.overlay == .labBeta)
        let text = session.view(width: 120, height: 40).text
        // The issue's figure: the RKL sub-optimality constant is 3.96 at β = 0.5 on partial-overlap.
        let marked = try #require(text.split(separator: "\n").first { $0.contains("▶ 0.500") })
        #expect(marked.contains(" 3.96 "), "\(marked)")
        for beta in ["0.0100", "0.0316", "0.100", "0.316", "1.00", "3.16", "10.0"] { #expect(text.contains(" \(beta) ")) }
        try expectSnapshot(session.view(width: 120, height: 40), named: "lab-beta-120x40")
        try expectSnapshot(try Fixtures.session(Fixtures.loadExample("disjoint.yaml"), keys: "B", width: 80, height: 24).view(width: 80, height: 24), named: "lab-beta-disjoint-80x24")
        #expect(try Fixtures.session(partial, keys: "B B").state.overlay == nil)
        #expect(try Fixtures.session(partial, keys: "B <esc>").state.overlay == nil)
    }

    @Test func nTurnsThePageAndSaysHowToOpenTheLabWhenClosed() throws {
        var state = try state()
        _ = Update.update(&state, key("N"))
        #expect(state.message?.text.contains("m opens it") == true)
        _ = Update.update(&state, key("m"))
        _ = Update.update(&state, key("N"))
        #expect(state.lab.run?.notesPage == 1)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshots(width: Int, height: Int) throws {
        let session = try labSession(keys: "m", width: width, height: height)
        #expect(session.state.lab.run?.phase == .finished)
        try expectSnapshot(session.view(width: width, height: height), named: "lab-\(width)x\(height)")
    }

    @Test func theRunnerDeliversProgressAndResult() {
        let runner = BackgroundRunner()
        runner.startLab(Self.chatVsMath.problem, Self.small, generation: 7)
        runner.waitUntilIdle()
        let messages = runner.drain()
        #expect(messages.count == Self.small.pairCounts.count + 1)
        guard case .labFinished(7, let report?) = messages.last else {
            Issue.record("no final report")
            return
        }
        #expect(report.isComplete)
        #expect(runner.drain().isEmpty)
    }

    @Test func cancelStopsTheRunnerPromptly() {
        let runner = BackgroundRunner()
        // Far more than a test could wait for; a cancel takes effect after the seeds in flight.
        let huge = CoverageLab.Configuration(pairCounts: [100_000, 200_000, 400_000], seeds: 1000)
        runner.startLab(Self.chatVsMath.problem, huge, generation: 1)
        Thread.sleep(forTimeInterval: 0.2)
        runner.cancel(.lab)
        // The whole run would take hours: returning at all shows the cancel took effect, and the
        // run ends without its report, before every m was measured.
        runner.waitUntilIdle()
        let messages = runner.drain()
        #expect(messages.count < huge.pairCounts.count + 1)
        guard case .labFinished(1, nil) = messages.last else {
            Issue.record("the cancelled run did not end with labFinished(nil)")
            return
        }
    }
}
