import Foundation
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// Guided tours: loading with located errors, and stepping with `]` and `[`.
@Suite struct TourTests {
    static let lesson = Fixtures.repository.appendingPathComponent("examples/tours/lesson.yaml")
    static let examples = Fixtures.repository.appendingPathComponent("examples/tours")

    static func session(keys: String) throws -> ExplorerSession {
        let progress = try TourProgress(Tour.load(contentsOf: lesson))
        let session = ExplorerSession(scenario: progress.stops[0].scenario, file: nil, options: ExplorerOptions(),
                                      workingDirectory: Fixtures.repository)
        session.handle(.resize(width: 120, height: 40))
        session.startTour(progress)
        try session.handle(KeyNotation.parse(keys))
        session.waitForSweeps()
        return session
    }

    @Test func theLessonHasAtLeastTenStepsThatAllResolve() throws {
        let tour = try Tour.load(contentsOf: Self.lesson)
        #expect(tour.steps.count >= 10)
        #expect(tour.steps.allSatisfy { !$0.caption.isEmpty })
        let progress = try TourProgress(tour)
        #expect(progress.stops.count == tour.steps.count)
        // Step 4 loads partial-overlap and selects "fix + test"; step 9 opens the sweep view.
        #expect(progress.stops[3].scenario.responses[progress.stops[3].selected] == "fix + test")
        #expect(progress.stops[8].showsSweep)
        #expect(progress.stops[4].layout == .columns && progress.stops[4].hiddenSeries.count == 6)
        // Step 8 says `show: all` and highlights MRPO: every series is drawn, as its caption compares them.
        #expect(progress.stops[7].hiddenSeries.isEmpty)
    }

    @Test func bracketsStepForwardAndBack() throws {
        let session = try Self.session(keys: "")
        #expect(session.state.tour?.index == 0 && session.state.chart.showsNotes)
        #expect(session.view(width: 120, height: 40).text.contains("Step 1 of 13"))
        try session.handle(KeyNotation.parse("] ] ]"))
        #expect(session.state.tour?.index == 3)
        #expect(session.state.scenario.responses[session.state.chart.selected] == "fix + test")
        let atFour = session.state.scenario
        try session.handle(KeyNotation.parse("] L L ["))   // an edit on step 5, then back
        #expect(session.state.tour?.index == 3)
        #expect(session.state.scenario == atFour)
        #expect(!session.state.history.hasUnsavedChanges)
        try session.handle(KeyNotation.parse("[ [ [ ["))
        #expect(session.state.tour?.index == 0)
        #expect(session.state.message?.text == "this is the first step")
    }

    @Test("The title bar names the tour and the step; e writes into the working folder, named after the step")
    func titleBarAndExportNameTheTour() throws {
        let session = try Self.session(keys: "] ]")
        let title = session.view(width: 120, height: 40).text.split(separator: "\n")[0]
        #expect(title.contains("\(Self.lesson.path) step 3/13") && !title.contains("built-in"), "\(title)")
        #expect(session.state.exportURL == Fixtures.repository.appendingPathComponent("lesson-step3-bars.svg"))
    }

    @Test func aLabStepRunsTheLabOnItsScenarioAndTheNextStepClosesIt() throws {
        let tour = try Tour.parse("scenario: ../escape.yaml\nsteps:\n  - caption: bars\n  - view: lab\n    caption: lab\n  - caption: still the lab\n  - view: bars\n",
                                  fileName: "t.yaml", folder: Self.examples)
        let progress = try TourProgress(tour)
        #expect(progress.stops.map(\.showsLab) == [false, true, true, false])
        #expect(progress.stops.map(\.showsSweep) == [false, false, false, false])
        var state = try Fixtures.session().state
        state.lab.configuration = LabSVGTests.small
        _ = state.startTour(progress)
        #expect(state.lab.run == nil)
        let effects = Update.update(&state, .event(.key(.character("]"))))
        #expect(effects == [.startLab(progress.stops[1].scenario.problem, LabSVGTests.small, generation: 1)])
        #expect(state.lab.run?.phase == .running && state.lab.run?.revision == state.history.document.revision && state.chartView == .lab)
        #expect(Update.update(&state, .event(.key(.character("]")))).last == .startLab(progress.stops[2].scenario.problem, LabSVGTests.small, generation: 2))
        #expect(Update.update(&state, .event(.key(.character("]")))) == [.cancelLab])
        #expect(state.lab.run == nil && state.chartView == .bars)
    }

    @Test func theLessonEndsWithCoverageBiting() throws {
        let progress = try TourProgress(Tour.load(contentsOf: Self.lesson))
        let last = try #require(progress.stops.last)
        #expect(last.showsLab)
        // The step's sampler misses part of the optimum: FKL's sampler π_A never draws where FKL* puts mass.
        let fkl = try #require(CoverageLab.theory(Solution(last.scenario.problem)).first { $0.method == .forwardKL })
        #expect(fkl.suboptimalityConstant == nil && !fkl.missed.isEmpty)
        #expect(fkl.missed.allSatisfy { last.caption.contains("\"\(last.scenario.responses[$0])\"") })
    }

    @Test func showAcceptsEverySpellingOfTheNamingTable() throws {
        let tour = try Tour.parse("scenario: ../agree.yaml\nsteps:\n  - show: [BASE, escort, pi_A, π_H, RKL, fkl, MRPO]\n",
                                  fileName: "t.yaml", folder: Self.examples)
        #expect(try TourProgress(tour).stops[0].hiddenSeries == [.reference(1)])
    }

    @Test func bracketsWithoutATourSaySo() throws {
        let session = try Fixtures.session(keys: "]")
        #expect(session.state.message?.text == "no tour: start one with klscope tour FILE")
    }

    static func error(_ text: String) -> String {
        do {
            _ = try TourProgress(Tour.parse(text, fileName: "t.yaml", folder: examples))
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("steps:\n  - caption: a\n  - bta: 2\n", "t.yaml:3:5: steps[1].bta: unknown key \"bta\""),
        ("scenario: ../agree.yaml\nsteps:\n  - rewards: {helpfull: 2}\n", "t.yaml:3:25: steps[0].rewards.helpfull: no response \"helpfull\""),
        ("scenario: ../agree.yaml\nsteps:\n  - caption: x\n    weights: [1, 2, 3]\n", "t.yaml:4:14: steps[0].weights: 3 weights for 2 references (base, fine-tuned)"),
        ("steps:\n  - scenario: ../missing.yaml\n", "t.yaml:2:15: steps[0].scenario: scenario file ../missing.yaml does not exist"),
        ("steps:\n  - view: pie\n", "t.yaml:2:11: steps[0].view: expected bars, sweep or lab, got \"pie\""),
        ("scenario: ../agree.yaml\nsteps:\n  - show: [RKL*, XKL]\n", "t.yaml:3:11: steps[0].show: no series \"XKL\""),
        ("scenario: ../agree.yaml\nsteps:\n  - probabilities: {base: {helpful: 1.5}}\n", "t.yaml:3:37: steps[0].probabilities.base.helpful: a probability lies between 0 and 1"),
        ("title: x\n", "t.yaml:1:1: steps: a tour needs a non-empty list of steps"),
    ])
    func errorsNameTheFileLineAndField(text: String, expected: String) {
        let message = Self.error(text)
        #expect(message.hasPrefix(expected), "\(message)")
    }
}
