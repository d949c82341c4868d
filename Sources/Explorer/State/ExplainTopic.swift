import KLMath

/// What the explain overlay (`i`) is about: a series of the chart or one of the numbers.
public enum ExplainTopic: Sendable, Hashable {
    /// A series' formula, support and value at the selected response.
    case series(PolicyID)
    /// The forward-KL root `λ`.
    case lambda
    /// The forward-KL optimum's mass outside the union.
    case escapedMass
    /// `max J_RKL` and its bound `Σ_k α_k max J_k`.
    case reverseKLBound
    /// `max J_FKL` and its bound `Σ_k α_k max J_FKL,k`.
    case forwardKLBound
    /// The MRPO gap.
    case mrpoGap
    /// The coverage coefficients `C_k(π)`.
    case coverage

    /// Every topic, in the order ←/→ step through them.
    static func all(referenceCount: Int) -> [ExplainTopic] {
        PolicyID.charted(referenceCount: referenceCount).map(ExplainTopic.series)
            + [.lambda, .escapedMass, .reverseKLBound, .forwardKLBound, .mrpoGap, .coverage]
    }
}

extension ExplorerState {
    /// The topic `i` opens on: the series the chart is sorted by, else the reference of the
    /// focused control, else the reverse-KL optimum.
    var focusedTopic: ExplainTopic {
        if case .series(let series) = chart.sortKey { return .series(series) }
        if let k = focus.reference { return .series(.reference(k)) }
        return .series(.reverseKL)
    }

    /// Steps the explain overlay's topic forwards or backwards (wrapping).
    mutating func stepExplanation(_ topic: ExplainTopic, by step: Int) {
        let topics = ExplainTopic.all(referenceCount: scenario.references.count)
        let index = topics.firstIndex(of: topic) ?? 0
        overlay = .explain(topics[(index + step + topics.count) % topics.count])
    }
}
