import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// `p` pins the setting: ghost marks in the chart and the export, pinned → now in the numbers.
@Suite struct PinTests {
    @Test func pinsAndUnpins() throws {
        let pinned = try Fixtures.session(keys: "p l l")
        let pin = try #require(pinned.state.pinned)
        #expect(pin.scenario.beta == Scenario.builtInDefault.beta)
        #expect(pinned.state.scenario.beta != pin.scenario.beta)
        #expect(try Fixtures.session(keys: "p l l p").state.pinned == nil)
    }

    @Test func ghostsAppearOnlyWhereThePinnedPolicyDiffers() throws {
        #expect(try !Fixtures.session(keys: "p").screenText().contains("┊"), "nothing differs yet")
        let moved = try Fixtures.session(keys: "p L")
        let screen = moved.screenText()
        #expect(screen.contains("┊"))
        // The references do not depend on β: their rows carry no ghost.
        let referenceName = moved.state.scenario.references[0].name
        let referenceRows = screen.split(separator: "\n").filter { $0.prefix(60).contains(" \(referenceName) ") && $0.prefix(60).contains("█") }
        #expect(!referenceRows.isEmpty && referenceRows.allSatisfy { !$0.prefix(60).contains("┊") })
        #expect(try Fixtures.session(keys: "p L v").screenText().contains("╌"))
    }

    @Test func numbersShowPinnedAgainstNow() throws {
        let session = try Fixtures.session(keys: "p L")
        let screen = session.screenText(width: 200, height: 60)
        let theme = Theme(session.state.options)
        let before = session.state.pinned!.analysis.solution.forwardKL.lambda, after = session.state.analysis.solution.forwardKL.lambda
        #expect(screen.contains("pinned → now"))
        #expect(screen.contains("λ \(theme.number(before)) → \(theme.number(after))  Δ \(after > before ? "+" : "")\(theme.number(after - before))"), "\(screen)")
    }

    @Test func exportDrawsTheGhosts() throws {
        #expect(!SVGExport.svg(try Fixtures.session(keys: "p").state, view: .bars).contains("class=\"ghost\""))
        let svg = SVGExport.svg(try Fixtures.session(keys: "p L").state, view: .bars)
        #expect(svg.contains("class=\"ghost\""))
        #expect(svg.contains("dashed: pinned β = 0.5"))
    }

    @Test func openingAFileUnpins() throws {
        var state = try Fixtures.session(keys: "p").state
        #expect(state.pinned != nil)
        state.finishLoading(Fixtures.example("escape.yaml"), .success(LoadedFile(scenario: Fixtures.loadExample("escape.yaml"), stamp: nil)))
        #expect(state.pinned == nil)
    }
}
