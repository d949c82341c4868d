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

    @Test func wTogglesAndWCyclesTheQuantity() throws {
        var session = try Fixtures.session(Self.twoReferences, keys: "w")
        #expect(session.state.showsSweep)
        #expect(session.view(width: 120, height: 40).text.contains("Sweep"))
        session.handle(.key(.character("W")))
        #expect(session.state.sweepQuantity == .entropy)
        session.handle(.key(.character("w")))
        #expect(!session.state.showsSweep)
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
        var session = try Fixtures.session(Self.twoReferences, keys: "w")
        let before = try #require(markerColumn(session.view(width: 120, height: 40)))
        let betaSweep = session.state.sweeps.beta, weightSweep = session.state.sweeps.weight
        #expect(betaSweep != nil && weightSweep != nil)
        try session.handle(KeyNotation.parse("L L"))   // β ×9
        let after = try #require(markerColumn(session.view(width: 120, height: 40)))
        #expect(after > before + 3)
        #expect(session.state.sweeps.beta == betaSweep, "β keys must not recompute the β sweep")
        #expect(session.state.sweeps.weight != weightSweep, "the weight sweep is at the current β")
        // A weight change redoes the β sweep, and leaves the weight sweep alone.
        let weightNow = session.state.sweeps.weight
        try session.handle(KeyNotation.parse("<tab> l"))
        #expect(session.state.sweeps.beta != betaSweep)
        #expect(session.state.sweeps.weight == weightNow)
    }

    @Test func everyPointAgreesWithTheExplorersOwnSolveAtTheCurrentBeta() throws {
        let session = try Fixtures.session(Self.twoReferences, keys: "w")
        let sweep = try #require(session.state.sweeps.beta)
        #expect(sweep.points.count == SweepCache.points(responses: 5))
        #expect(SweepCache.points(responses: 19_999) == 11)
        var problem = session.state.scenario.problem
        problem.beta = sweep.points[20].parameter
        #expect(Sweep.point(problem.beta, Solution(problem)) == sweep.points[20])
    }

    @Test func noSweepUntilShownAndNoneForLargeScenarios() throws {
        let small = try Fixtures.session(Self.twoReferences)
        #expect(small.state.sweeps.beta == nil)
        let large = SyntheticScenario.make(responses: SweepCache.responseLimit, references: 2)
        let session = try Fixtures.session(large, keys: "w")
        #expect(session.state.sweeps.beta == nil)
        let text = session.view(width: 120, height: 40).text
        #expect(text.contains("sweep too large: \(SweepCache.responseLimit) responses; use klscope sweep"))
    }

    @Test func asciiSweepHasOnlyAscii() throws {
        for scenario in [Self.twoReferences, Fixtures.loadExample("disjoint.yaml"), Fixtures.three] {
            for options in [ExplorerOptions(ascii: true), ExplorerOptions(color: .monochrome, ascii: true)] {
                let grid = try Fixtures.session(scenario, keys: "w", options: options).view(width: 120, height: 40)
                let offending = grid.text.unicodeScalars.filter { !$0.isASCII }.map(String.init).joined()
                #expect(offending.isEmpty, "non-ASCII: \(offending)")
            }
        }
    }

    @Test func disjointSupportsSayUndefined() throws {
        let grid = try Fixtures.session(Fixtures.loadExample("disjoint.yaml"), keys: "w").view(width: 120, height: 40)
        #expect(grid.text.contains("RKL* undefined"))
    }
}
