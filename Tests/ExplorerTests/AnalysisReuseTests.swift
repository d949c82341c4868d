import Foundation
import KLMath
import KLScenario
import Testing
import TestSupport
@testable import Explorer

/// The explorer re-solves reusing what depends only on the references (aggregates, the
/// divergences of π_G, π_A) and the labels; whatever it reuses must equal a fresh computation.
@Suite struct AnalysisReuseTests {
    /// Every numbers-panel series' metrics in the session equal `PolicyMetrics` computed afresh.
    func expectFreshMetrics(_ session: ExplorerSession, after keys: String) {
        let solution = Solution(session.state.scenario.problem)
        for series in PolicyID.numbered(referenceCount: session.state.scenario.references.count) {
            guard let policy = solution.policy(series) else { continue }
            let fresh = PolicyMetrics(policy, in: solution)
            guard let kept = session.state.analysis.metrics[series] else {
                Issue.record("\(series) has no metrics after \(keys)")
                continue
            }
            // Equal, or within rounding (objectives may be −∞ on both sides).
            func close(_ a: Double, _ b: Double) -> Bool { isClose(a, b, within: 1e-12) }
            #expect(close(kept.expectedReward, fresh.expectedReward), "\(series) after \(keys)")
            #expect(close(kept.reverseKLObjective, fresh.reverseKLObjective), "\(series) after \(keys)")
            #expect(close(kept.forwardKLObjective, fresh.forwardKLObjective), "\(series) after \(keys)")
            #expect(kept.klTo == fresh.klTo && kept.klFrom == fresh.klFrom && kept.entropy == fresh.entropy)
        }
        for series in PolicyID.charted(referenceCount: session.state.scenario.references.count) {
            let largest = solution.policy(series).map { exp($0.logProbabilities.max()!) }
            #expect(session.state.analysis.largestProbability[series] == largest, "\(series) after \(keys)")
        }
        let supportSizes = session.state.scenario.references.map { $0.logProbabilities.filter { $0 > -.infinity }.count }
        #expect(session.state.analysis.referenceSupportSizes == supportSizes, "after \(keys)")
    }

    @Test func metricsAfterBetaRewardAndWeightEditsEqualAFreshSolve() throws {
        // β (aggregates and E[r] reused), then a reward (E[r] recomputed), then a weight (nothing reused).
        // and a probability set to zero (the references change, so nothing is reused).
        for keys in ["<right>", "<right> <right> <left>", "<tab> <tab> <tab> <right>", "<tab> <right>", "<tab> <tab> <tab> <right> u", "0"] {
            let session = try Fixtures.session(keys: keys)
            #expect(session.state.analysis.revision > 0 || keys.hasSuffix("u"))
            expectFreshMetrics(session, after: keys)
        }
    }

    @Test func labelsAreMeasuredAgainWhenAnotherScenarioOpens() throws {
        var long = Scenario.builtInDefault
        long.responses[0] = String(repeating: "x", count: 70)
        var state = try Fixtures.session(keys: "<right>").state
        #expect(state.analysis.longestLabel == Scenario.builtInDefault.responses.map(\.utf8.count).max())
        _ = Update.update(&state, .loaded(URL(fileURLWithPath: "/tmp/long.yaml"), .success(LoadedFile(scenario: long, stamp: nil))))
        #expect(state.analysis.longestLabel == 70)
    }
}

/// The work an edit costs, counted: a β or reward edit computes no reference aggregates and only
/// the diagnostics of the policies that depend on β (π*_RKL and π_MRPO; π*_FKL's come with the solve).
@Suite struct EditWorkTests {
    @Test func aBetaOrRewardEditComputesNoAggregatesAndTwoDiagnostics() throws {
        for keys in ["<right>", "<tab> <tab> <tab> <right>"] {
            let session = try Fixtures.session(keys: keys)
            #expect(session.state.analysis.revision > 0, "\(keys) edits")
            #expect(!session.state.analysis.solution.computedAggregates, "after \(keys)")
            #expect(session.state.analysis.computedMetricsCount == 2, "after \(keys)")
        }
    }

    @Test func aWeightEditComputesTheAggregatesAgain() throws {
        let session = try Fixtures.session(keys: "<tab> <right>")
        #expect(session.state.analysis.revision > 0)
        #expect(session.state.analysis.solution.computedAggregates)
        // Every numbered series but π*_FKL (kept by the solve) is measured anew.
        let numbered = PolicyID.numbered(referenceCount: session.state.scenario.references.count)
        #expect(session.state.analysis.computedMetricsCount == numbered.count - 1)
    }
}
