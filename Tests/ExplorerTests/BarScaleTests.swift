import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// `b` cycles the bar scale: automatic, fixed (kept while β moves), fixed at 1, logarithmic.
@Suite struct BarScaleTests {
    @Test func cyclesThroughEveryScale() throws {
        let automatic = try Fixtures.session(width: 120, height: 40)
        let largest = automatic.state.largestDrawnProbability
        #expect(automatic.state.chart.barScale == .automatic)
        let fixed = try Fixtures.session(keys: "b", width: 120, height: 40)
        #expect(fixed.state.chart.barScale == .fixed(largest))
        #expect(fixed.screenText().contains("fixed"))
        let one = try Fixtures.session(keys: "b b", width: 120, height: 40)
        #expect(one.state.chart.barScale == .fixed(1))
        let log = try Fixtures.session(keys: "b b b", width: 120, height: 40)
        #expect(log.state.chart.barScale == .logarithmic)
        #expect(log.screenText().contains("log "), "\(log.screenText().prefix(400))")
        #expect(try Fixtures.session(keys: "b b b b", width: 120, height: 40).state.chart.barScale == .automatic)
    }

    @Test func fixedScaleIsKeptWhileBetaMoves() throws {
        let before = try Fixtures.session(keys: "b", width: 120, height: 40)
        let after = try Fixtures.session(keys: "b H H H", width: 120, height: 40)
        #expect(after.state.scenario.beta != before.state.scenario.beta)
        #expect(after.state.chart.barScale == before.state.chart.barScale)
        #expect(after.state.largestDrawnProbability != before.state.largestDrawnProbability)
    }

    @Test func fractions() {
        #expect(BarScale.automatic.fraction(0.25, largest: 0.5) == 0.5)
        #expect(BarScale.fixed(1).fraction(0.25, largest: 0.5) == 0.25)
        #expect(BarScale.fixed(0.1).fraction(0.25, largest: 0.5) == 1)
        #expect(isClose(BarScale.logarithmic.fraction(0.5e-3, largest: 0.5), 0.5, within: 1e-12))
        #expect(BarScale.logarithmic.fraction(0, largest: 0.5) == 0)
        #expect(BarScale.logarithmic.fraction(1e-12, largest: 0.5) == 0)
        #expect(isClose(BarScale.logarithmic.value(atFraction: 0.5, largest: 0.5), 0.5e-3, within: 1e-15))
    }

    @Test func exportUsesTheScale() throws {
        let automatic = SVGExport.bars(try Fixtures.session(width: 120, height: 40).state)
        let log = SVGExport.bars(try Fixtures.session(keys: "b b b", width: 120, height: 40).state)
        #expect(!automatic.contains("log scale"))
        #expect(log.contains("probability (log scale)"))
        #expect(log != automatic)
    }
}
