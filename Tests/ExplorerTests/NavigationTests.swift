import Foundation
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// Selection, focus, layout, series, search, quitting and the solve cache.
@Suite struct NavigationTests {
    @Test func selectionMovesAndClamps() throws {
        #expect(try Fixtures.session(keys: "j j").state.chart.selected == 2)
        #expect(try Fixtures.session(keys: "j j k").state.chart.selected == 1)
        #expect(try Fixtures.session(keys: "k").state.chart.selected == 0)
        #expect(try Fixtures.session(keys: "<end>").state.chart.selected == 4)
        #expect(try Fixtures.session(keys: "<end> <home>").state.chart.selected == 0)
        #expect(try Fixtures.session(keys: "<down> <down> <down> <down> <down> <down>").state.chart.selected == 4)
    }

    @Test func pagingScrollsAndKeepsTheSelectionVisible() throws {
        let scenario = SyntheticScenario.make(responses: 200, references: 3, seed: 3)
        let session = try Fixtures.session(scenario, keys: "<pgdn> <pgdn>", width: 80, height: 24)
        let visible = try #require(ScreenLayout.chart(session.state, width: 80, height: 24)).visibleCount
        #expect(visible >= 1)
        #expect(session.state.chart.selected == 2 * visible)
        #expect(session.state.chart.scrollTop <= session.state.chart.selected)
        #expect(session.state.chart.selected < session.state.chart.scrollTop + visible)
        let end = try Fixtures.session(scenario, keys: "<end> <pgup>", width: 80, height: 24)
        #expect(end.state.chart.selected == 199 - visible)
    }

    @Test func focusCyclesThroughEveryControl() throws {
        let session = try Fixtures.session(Fixtures.three)
        var seen: [Control] = [session.state.focus]
        for _ in 0..<8 {
            try session.handle(KeyNotation.parse("<tab>"))
            seen.append(session.state.focus)
        }
        #expect(seen == [.beta, .weight(0), .weight(1), .weight(2), .reward, .probability(0), .probability(1), .probability(2), .beta])
        try session.handle(KeyNotation.parse("<s-tab>"))
        #expect(session.state.focus == .probability(2))
    }

    @Test func layoutAndSeriesToggles() throws {
        let session = try Fixtures.session(keys: "v 1 5 5 4")
        #expect(session.state.chart.layout == .columns)
        #expect(session.state.chart.hiddenSeries == [.reference(0), .mixture])
        #expect(try Fixtures.session(keys: "v v").state.chart.layout == .rows)
        let missing = try Fixtures.session(keys: "9")
        #expect(missing.state.chart.hiddenSeries.isEmpty)
        #expect(missing.state.message?.kind == .error)
    }

    @Test func incrementalSearch() throws {
        let found = try Fixtures.session(keys: "/ de")
        #expect(found.state.chart.selected == 3)
        #expect(found.state.overlay != nil)
        let accepted = try Fixtures.session(keys: "/ RE <enter>")
        #expect(accepted.state.chart.selected == 0)
        #expect(accepted.state.overlay == nil)
        let fromSelection = try Fixtures.session(keys: "j / re <enter>")
        #expect(fromSelection.state.chart.selected == 4)
        let cancelled = try Fixtures.session(keys: "j / der <esc>")
        #expect(cancelled.state.chart.selected == 1)
        let missing = try Fixtures.session(keys: "j / zzz <enter>")
        #expect(missing.state.chart.selected == 1)
        #expect(missing.state.message?.kind == .error)
    }

    @Test func quitAsksOnlyWithUnsavedChanges() throws {
        #expect(try Fixtures.session(keys: "q").shouldQuit)
        let asked = try Fixtures.session(keys: "l q")
        #expect(!asked.shouldQuit)
        #expect(asked.state.overlay == .confirm(.quit))
        let declined = try Fixtures.session(keys: "l q n")
        #expect(!declined.shouldQuit && declined.state.overlay == nil)
        #expect(try Fixtures.session(keys: "l q <esc>").shouldQuit == false)
        #expect(try Fixtures.session(keys: "l q y").shouldQuit)
        #expect(try Fixtures.session(keys: "l u q").shouldQuit)
    }

    @Test func overlaysCloseWithEscape() throws {
        #expect(try Fixtures.session(keys: "?").state.overlay == .help(offset: 0))
        #expect(try Fixtures.session(keys: "? <esc>").state.overlay == nil)
        #expect(try Fixtures.session(keys: "? j j", width: 60, height: 18).state.overlay == .help(offset: 2), "scrolls where it does not fit")
        #expect(try Fixtures.session(keys: "? j j").state.overlay == .help(offset: 0), "and not where it fits")
        #expect(try Fixtures.session(keys: "n").state.chart.showsNotes)
        #expect(try Fixtures.session(keys: "n <esc>").state.chart.showsNotes == false)
        // Keys under an overlay do not reach the main screen.
        #expect(try Fixtures.session(keys: "? l").state.scenario == .builtInDefault)
    }

    @Test func navigationDoesNotResolveButEditsDo() throws {
        let session = try Fixtures.session()
        let revision = session.state.analysis.revision
        try session.handle(KeyNotation.parse("j j v 1 <tab> n"))
        #expect(session.state.analysis.revision == revision)
        try session.handle(KeyNotation.parse("<s-tab> l"))
        #expect(session.state.analysis.revision != revision)
        #expect(!session.state.needsSolve)
        #expect(session.state.analysis.solution.problem.beta == session.state.scenario.beta)
    }

    @Test func aBatchOfEditsIsSolvedOnceAtTheEnd() throws {
        let session = try Fixtures.session()
        try session.handle(KeyNotation.parse("l l l"))
        #expect(session.state.history.undoStack.count == 3)
        #expect(session.state.analysis.revision == session.state.history.document.revision)
        #expect(isClose(session.state.analysis.solution.problem.beta, 0.5 * 1.2 * 1.2 * 1.2, within: 1e-12))
    }

    @Test func tooSmallScreenRecovers() throws {
        let session = try Fixtures.session(width: 40, height: 10)
        let small = session.view(width: 40, height: 10).text
        #expect(small.contains("terminal too small"))
        #expect(small.contains("(needs 60×18, have 40×10)"))
        session.handle(.resize(width: 100, height: 30))
        let text = session.view(width: 100, height: 30).text
        #expect(!text.contains("too small"))
        #expect(text.contains("Controls"))
    }

    @Test func theSeriesMenuTogglesSeriesTenAndUp() throws {
        let scenario = SyntheticScenario.make(responses: 6, references: 4, seed: 2)
        // Ten series: 4 references, π_G, π_A, π_H, RKL*, FKL*, MRPO; the legend marks MRPO with x.
        let plain = try Fixtures.session(scenario)
        let legend = plain.view(width: 120, height: 40).text
        #expect(legend.contains("x█MRPO") && !legend.contains("10█"), "\(legend)")
        let session = try Fixtures.session(scenario, keys: "x <end> <space>")
        #expect(session.state.chart.hiddenSeries == [.mrpo])
        let menu = session.view(width: 120, height: 40).text
        #expect(menu.contains("[ ]") && menu.contains("MRPO"), "\(menu)")
        try session.handle(KeyNotation.parse("k <enter> 1"))
        #expect(session.state.chart.hiddenSeries == [.mrpo, .forwardKL, .reference(0)])
        try session.handle(KeyNotation.parse("a <esc>"))
        #expect(session.state.chart.hiddenSeries.isEmpty && session.state.overlay == nil)
        // The menu's keys do not reach the main screen: j moved the highlight, not the selection.
        #expect(try Fixtures.session(scenario, keys: "x j j").state.chart.selected == 0)
    }

    @Test func klLabelsOfLongReferenceNamesKeepTheirDirection() throws {
        let text = try Fixtures.session(Fixtures.loadExample("agree.yaml")).view(width: 120, height: 40).text
        #expect(text.contains("KL(π‖fine…ned)"), "\(text)")
        #expect(text.contains("KL(fine…ned‖π)"))
        #expect(!text.contains("KL(fine-tuned…"))
        let ascii = try Fixtures.session(Fixtures.loadExample("agree.yaml"), options: ExplorerOptions(ascii: true))
        #expect(ascii.view(width: 120, height: 40).text.contains("KL(pi||fin~ed)"))
    }

    @Test func onlyQuitActsBehindTheTooSmallNotice() throws {
        let before = try Fixtures.session().state
        let session = try Fixtures.session(keys: "j <right> t a s 1 o ? e", width: 50, height: 15)
        #expect(session.state.chart.selected == before.chart.selected)
        #expect(session.state.scenario == before.scenario)
        #expect(session.state.overlay == nil)
        #expect(session.state.chart.hiddenSeries == before.chart.hiddenSeries)
        session.handle(.key(.character("q")))
        #expect(session.shouldQuit)
    }

    @Test func quittingWithUnsavedChangesAsksOnTheTooSmallNotice() throws {
        let session = try Fixtures.session(keys: "<right>", width: 50, height: 15)
        #expect(!session.hasUnsavedChanges)
        session.handle(.resize(width: 120, height: 40))
        try session.handle(KeyNotation.parse("<right>"))
        #expect(session.hasUnsavedChanges)
        session.handle(.resize(width: 50, height: 15))
        try session.handle(KeyNotation.parse("q"))
        #expect(!session.shouldQuit)
        #expect(session.view(width: 50, height: 15).text.contains("quit anyway? y / n"))
        try session.handle(KeyNotation.parse("j n"))
        #expect(session.state.overlay == nil)
        try session.handle(KeyNotation.parse("q y"))
        #expect(session.shouldQuit)
    }
}

/// The label matcher behind `/`.
@Suite struct LabelMatchTests {
    @Test func ignoresCaseAndFindsSubstrings() {
        #expect(LabelMatch("DER").matches("derive"))
        #expect(LabelMatch("riv").matches("Derive"))
        #expect(!LabelMatch("derived").matches("derive"))
        #expect(LabelMatch("").matches("x"))
        #expect(LabelMatch("thé").matches("Thé vert"))
        #expect(!LabelMatch("xyz").matches(""))
        #expect(LabelMatch("84").matches("84", whole: true) && LabelMatch("Thé").matches("thé", whole: true))
        #expect(!LabelMatch("84").matches("1984", whole: true) && !LabelMatch("thé").matches("thé vert", whole: true))
    }

    @Test func searchPrefersTheLabelThatIsTheQuery() throws {
        let scenario = Scenario(title: "t", beta: 1, responses: ["1984", "849", "84", "x84"], rewards: [0, 0, 0, 0],
                                references: [.init(name: "r", weight: 1, logProbabilities: [Double](repeating: log(0.25), count: 4))])
        #expect(try Fixtures.session(scenario, keys: "/ 84").state.chart.selected == 2)
        #expect(try Fixtures.session(scenario, keys: "/ 8").state.chart.selected == 0)
    }

    @Test func searchWrapsAroundFromTheSelection() throws {
        let session = try Fixtures.session(keys: "<end> / e")
        // From "refuse" (last) the next label containing "e" wrapping around is "refuse" itself.
        #expect(session.state.chart.selected == 4)
        let wrapped = try Fixtures.session(keys: "<end> / gr")
        #expect(wrapped.state.chart.selected == 0)
    }
}
