import KLMath
import KLScenario

/// A setting kept for comparison (`p`): its β, weights, rewards and probabilities, and their
/// solution. The chart draws its policies as ghost marks beside the live bars, the numbers
/// panel shows it against the current setting, and the SVG export draws the ghosts too.
public struct Pin: Sendable {
    /// The scenario as it was pinned.
    public let scenario: Scenario
    /// Its solution.
    public let analysis: Analysis
}

extension ExplorerState {
    /// The pin, when it compares with the current scenario (the same responses).
    public var comparablePin: Pin? {
        pinned.flatMap { $0.scenario.responses.count == scenario.responses.count ? $0 : nil }
    }

    /// `π(y)` of a series in the pinned setting, when there is a comparable pin.
    func pinnedProbability(_ series: PolicyID, _ y: Int) -> Double? {
        comparablePin?.analysis.probability(series, y)
    }

    /// Pins the current setting, or unpins it.
    mutating func togglePin() {
        if pinned != nil {
            pinned = nil
            message = StatusMessage("unpinned", kind: .info)
        } else {
            pinned = Pin(scenario: scenario, analysis: analysis)
            let weights = scenario.normalizedWeights.map { NumberFormat.short($0, digits: 3) }.joined(separator: "/")
            message = StatusMessage("pinned β \(NumberFormat.short(scenario.beta, digits: 4)), α \(weights): ghost marks show it beside the live bars; p unpins", kind: .success)
        }
    }
}
