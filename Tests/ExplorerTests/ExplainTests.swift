import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// `i` explains the focused series or number with today's numbers; ←/→ step, Esc closes.
@Suite struct ExplainTests {
    @Test func opensOnTheReverseKLOptimumAndSubstitutesTheNumbers() throws {
        let session = try Fixtures.session(keys: "i")
        #expect(session.state.overlay == .explain(.series(.reverseKL)))
        let screen = session.screenText()
        #expect(screen.contains("π*_RKL(y) = π_G(y) · exp(r(y)/β) / Z"))
        #expect(screen.contains("Thm 5.1"))
        let state = session.state
        let value = Theme(state.options).number(state.analysis.probability(.reverseKL, state.chart.selected)!)
        #expect(screen.contains("= \(value)"), "\(screen)")
    }

    @Test func opensOnTheFocusedReferenceOrTheSortedSeries() throws {
        #expect(try Fixtures.session(keys: "<tab> i").state.overlay == .explain(.series(.reference(0))))
        let sorted = try Fixtures.session(keys: "t t t t i")
        guard case .series(let series) = sorted.state.chart.sortKey else { Issue.record("not sorted by a series"); return }
        #expect(sorted.state.overlay == .explain(.series(series)))
    }

    @Test func stepsThroughEveryTopicAndCloses() throws {
        let count = ExplainTopic.all(referenceCount: Scenario.builtInDefault.references.count).count
        let around = try Fixtures.session(keys: "i" + String(repeating: " <right>", count: count))
        #expect(around.state.overlay == .explain(.series(.reverseKL)))
        #expect(try Fixtures.session(keys: "i <left>").state.overlay == .explain(.series(.harmonic)))
        #expect(try Fixtures.session(keys: "i <esc>").state.overlay == nil)
        #expect(try Fixtures.session(keys: "i i").state.overlay == nil)
    }

    @Test func everyTopicHasAFormulaASourceAndNumbers() throws {
        for file in ["partial-overlap.yaml", "disjoint.yaml", "escape.yaml"] {
            let session = try Fixtures.session(Fixtures.loadExample(file), file: Fixtures.example(file))
            let theme = Theme(session.state.options)
            for topic in ExplainTopic.all(referenceCount: session.state.scenario.references.count) {
                let explanation = Explanation(topic, state: session.state, theme: theme)
                #expect(!explanation.formulas.isEmpty && !explanation.source.isEmpty && !explanation.numbers.isEmpty)
                #expect(!explanation.lines.joined().contains("nan"), "\(file) \(topic)")
            }
        }
    }

    @Test func forwardKLSaysTheRootAndTheEscapedMass() throws {
        let session = try Fixtures.session(Fixtures.loadExample("escape.yaml"), file: Fixtures.example("escape.yaml"), keys: "i")
        let theme = Theme(session.state.options)
        let lambda = Explanation(.lambda, state: session.state, theme: theme)
        #expect(lambda.numbers[0].hasPrefix("λ = \(theme.number(session.state.analysis.solution.forwardKL.lambda))"))
        let escaped = Explanation(.escapedMass, state: session.state, theme: theme)
        #expect(escaped.numbers[0] == "escaped = \(theme.number(session.state.analysis.solution.forwardKL.escapedMass))")
    }
}
