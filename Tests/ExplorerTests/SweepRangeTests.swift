import KLScenario
import Testing
import TestSupport
@testable import Explorer
@testable import KLMath

/// `SweepRange`, the one rule for a sweep chart's value axis (the view and the SVG both use it).
@Suite struct SweepRangeTests {
    static let problem = Fixtures.loadExample("partial-overlap.yaml").problem

    /// Every defined value of `quantity`'s curves at the points `keep` selects.
    private func values(_ sweep: Sweep, _ quantity: SweepQuantity, keep: (Sweep.Point) -> Bool = { _ in true }) -> [Double] {
        quantity.curves.flatMap { curve in sweep.points.filter(keep).compactMap { quantity.value($0, curve) } }
    }

    @Test func theObjectiveOverBetaIsClippedToTheSmallBetaPoints() throws {
        let sweep = Sweep.beta(Self.problem, steps: 61)
        let range = try #require(SweepRange.of(sweep, quantity: .objective, marker: 0.5))
        let all = values(sweep, .objective), near = values(sweep, .objective) { $0.parameter <= 10 }
        // The bounds are among the curves: the top is the largest bound or value.
        #expect(all.count == 5 * 61)
        #expect(range.high == all.max()!)
        #expect(range.clippedMinimum == all.min()!)
        let span = near.max()! - near.min()!
        #expect(isClose(range.low, near.min()! - span / 10, within: 1e-12, relative: true))
        #expect(range.fraction(all.min()!) == 0 && range.fraction(range.high) == 1)
        // The MRPO gap grows at large β: it spans its range there, and nothing lies below the
        // small-β points, so it is not clipped (the bottom stays at its smallest value).
        let gap = try #require(SweepRange.of(sweep, quantity: .mrpoGap, marker: 0.5))
        #expect(gap.clippedMinimum == nil && gap.low == values(sweep, .mrpoGap).min()!)
        // With the marker at the end of the range, every point is kept: nothing is clipped.
        #expect(SweepRange.of(sweep, quantity: .objective, marker: 1000)?.clippedMinimum == nil)
    }

    @Test func otherQuantitiesAndTheWeightAxisAreNotClipped() throws {
        let beta = Sweep.beta(Self.problem, steps: 61)
        let reward = try #require(SweepRange.of(beta, quantity: .expectedReward, marker: 0.5))
        #expect(reward.clippedMinimum == nil)
        #expect(reward.low == values(beta, .expectedReward).min()! && reward.high == values(beta, .expectedReward).max()!)
        var large = Self.problem
        large.beta = 1000
        let weight = Sweep.weight(large, steps: 21)
        let objective = try #require(SweepRange.of(weight, quantity: .objective, marker: 0.7))
        #expect(objective.clippedMinimum == nil && objective.low == values(weight, .objective).min()!)
    }

    @Test func oneValueIsWidenedAndNoValueHasNoRange() throws {
        let flat = Sweep(axis: .weight, points: [Sweep.Point(parameter: 0.5, reverseKL: Sweep.Values(expectedReward: 2),
                                                             forwardKL: .undefined, mrpo: .undefined, mrpoGap: nil)])
        #expect(SweepRange.of(flat, quantity: .expectedReward, marker: 0.5) == SweepRange(low: 1.5, high: 2.5, clippedMinimum: nil))
        let disjoint = Sweep.beta(Fixtures.loadExample("disjoint.yaml").problem, steps: 11)
        #expect(SweepRange.of(disjoint, quantity: .mrpoGap, marker: 1) == nil)
    }
}
