import Foundation
import KLMath

/// An edit that was refused, with the reason in words for the status line.
public struct EditRefusal: Error, Equatable {
    /// The reason, in the words a file with the same value would get (see `ScenarioRules`).
    public let reason: String

    /// A refusal for `reason`.
    public init(reason: String) { self.reason = reason }
}

/// The edits the explorer, tours and command-line overrides make to a scenario. Each keeps the
/// scenario within `ScenarioRules` (so it can be saved and read back): `β` in its range, weights
/// with a positive finite sum, rewards in range, every reference a normalised distribution with
/// some support. An edit that would break a rule is refused with the rule's message.
extension Scenario {
    /// Sets `β`; a value outside `ScenarioRules.betaRange` is refused.
    public mutating func setBeta(_ value: Double) throws(EditRefusal) {
        if let problem = ScenarioRules.betaProblem(value) { throw EditRefusal(reason: problem) }
        beta = value
    }

    /// Multiplies `β` by `factor`, stopping at the ends of `ScenarioRules.betaRange`; a step
    /// from an end outwards is refused with the range's message.
    public mutating func stepBeta(by factor: Double) throws(EditRefusal) {
        let wanted = beta * factor
        let clamped = ScenarioRules.clampedBeta(wanted)
        if clamped == beta, wanted != beta, let problem = ScenarioRules.betaProblem(wanted) {
            throw EditRefusal(reason: problem)
        }
        try setBeta(clamped)
    }

    /// Sets every reference's relative weight at once (one value per reference), refused
    /// unless each is allowed and their sum is positive and finite.
    public mutating func setWeights(_ values: [Double]) throws(EditRefusal) {
        guard values.count == references.count else {
            throw EditRefusal(reason: "\(values.count) weights for \(references.count) references (\(references.map(\.name).joined(separator: ", ")))")
        }
        for value in values {
            if let problem = ScenarioRules.weightProblem(value) { throw EditRefusal(reason: problem) }
        }
        if let problem = ScenarioRules.weightsProblem(values) { throw EditRefusal(reason: problem) }
        for k in references.indices { references[k].weight = values[k] }
    }

    /// Sets the weight of reference `k` (clamped to 0…1) and rescales the others in
    /// proportion so that all sum to one; when the others are all zero they share the
    /// remainder equally.
    public mutating func setWeight(_ k: Int, to value: Double) throws(EditRefusal) {
        guard value.isFinite else { throw EditRefusal(reason: "a weight is a number between 0 and 1") }
        guard references.count > 1 else { throw EditRefusal(reason: "with one reference its weight is always 1") }
        let target = min(max(value, 0), 1)
        let current = normalizedWeights
        let othersTotal = current.indices.filter { $0 != k }.reduce(0) { $0 + current[$1] }
        for j in references.indices {
            if j == k {
                references[j].weight = target
            } else if othersTotal > 0 {
                references[j].weight = current[j] * (1 - target) / othersTotal
            } else {
                references[j].weight = (1 - target) / Double(references.count - 1)
            }
        }
    }

    /// Sets the reward of response `y`; a value outside the reward range is refused.
    public mutating func setReward(_ y: Int, to value: Double) throws(EditRefusal) {
        if let problem = ScenarioRules.rewardProblem(value) { throw EditRefusal(reason: problem) }
        rewards[y] = value
    }

    /// Sets `π_k(y)` to `probability` (0…1) and rescales the rest of reference `k` so that
    /// it still sums to one.
    public mutating func setProbability(reference k: Int, response y: Int, to probability: Double) throws(EditRefusal) {
        if let problem = ScenarioRules.setProbabilityProblem(probability) { throw EditRefusal(reason: problem) }
        let logRest = restLogMass(reference: k, response: y)
        if probability == 1 {
            try replace(reference: k, response: y, logProbability: 0, logRestScale: -.infinity)
        } else {
            try replace(reference: k, response: y, logProbability: log(probability), logRestScale: log1p(-probability) - logRest)
        }
    }

    /// Multiplies the odds `π_k(y) / (1 − π_k(y))` by `factor`, rescaling the rest of the
    /// reference: a step that is multiplicative in log space and never leaves (0, 1).
    public mutating func scaleOdds(reference k: Int, response y: Int, by factor: Double) throws(EditRefusal) {
        let logP = references[k].logProbabilities[y]
        guard logP > -.infinity else {
            throw EditRefusal(reason: "\(references[k].name) gives \(responses[y]) no mass: type a value with Enter")
        }
        let logRest = restLogMass(reference: k, response: y)
        guard logRest > -.infinity else {
            throw EditRefusal(reason: "all of \(references[k].name)'s mass is on \(responses[y]): type a value with Enter")
        }
        let scaled = logP + log(factor)
        let logTotal = LogSpace.logSumExp([scaled, logRest])
        try replace(reference: k, response: y, logProbability: scaled - logTotal, logRestScale: -logTotal)
    }

    /// `log Σ_{y' ≠ y} π_k(y')`.
    private func restLogMass(reference k: Int, response y: Int) -> Double {
        var include = [Bool](repeating: true, count: responses.count)
        include[y] = false
        return LogSpace.logSumExp(references[k].logProbabilities, where: include)
    }

    /// Puts `logProbability` at `y` and adds `logRestScale` to every other entry of reference `k`.
    private mutating func replace(reference k: Int, response y: Int, logProbability: Double, logRestScale: Double) throws(EditRefusal) {
        let name = references[k].name
        var logs = references[k].logProbabilities
        let restHasMass = logs.indices.contains { $0 != y && logs[$0] > -.infinity }
        if logProbability == -.infinity && !restHasMass {
            throw EditRefusal(reason: "\(name) would have no support left")
        }
        if logProbability > -.infinity && logProbability < 0 && !restHasMass {
            throw EditRefusal(reason: "all of \(name)'s mass is on \(responses[y]): its other responses are all 0")
        }
        guard logRestScale.isFinite || logRestScale == -.infinity else {
            throw EditRefusal(reason: "\(name) would have no support left")
        }
        for i in logs.indices where i != y && logs[i] > -.infinity { logs[i] += logRestScale }
        logs[y] = logProbability
        references[k].logProbabilities = logs
    }
}

/// One edit as a value, in the form that replays exactly: what the explorer records for the
/// recovery journal, so that the journal holds the edits (a few bytes each) rather than the
/// scenario, and reading it back replays them onto the file as loaded. Edits whose result is
/// one value (β, the weights, a reward) are recorded as that value; a probability edit, which
/// rescales a whole reference, as the edit itself.
public enum ScenarioEdit: Sendable, Equatable {
    /// `setBeta`.
    case beta(Double)
    /// `setWeights`, one raw weight per reference.
    case weights([Double])
    /// `setReward(response, to:)`.
    case reward(response: Int, Double)
    /// `setProbability(reference:response:to:)`.
    case probability(reference: Int, response: Int, Double)
    /// `scaleOdds(reference:response:by:)`.
    case odds(reference: Int, response: Int, factor: Double)

    /// Whether `later` makes this edit irrelevant: both set the same single value (β, the
    /// weights, one reward), so a log keeps only the later.
    public func isReplaced(by later: ScenarioEdit) -> Bool {
        switch (self, later) {
        case (.beta, .beta), (.weights, .weights): true
        case (.reward(let a, _), .reward(let b, _)): a == b
        default: false
        }
    }
}

extension [ScenarioEdit] {
    /// The log with `edit` appended, dropping the last entry when `edit` replaces it.
    public func appending(_ edit: ScenarioEdit) -> [ScenarioEdit] {
        var log = self
        if let last = log.last, last.isReplaced(by: edit) { log.removeLast() }
        log.append(edit)
        return log
    }
}

extension Scenario {
    /// Applies `edit`; one that names a reference or response the scenario does not have is
    /// refused (a journal replayed onto a file that changed since).
    public mutating func apply(_ edit: ScenarioEdit) throws(EditRefusal) {
        let missing = EditRefusal(reason: "the edit names a reference or response the scenario does not have")
        switch edit {
        case .beta(let value):
            try setBeta(value)
        case .weights(let values):
            try setWeights(values)
        case .reward(let y, let value):
            guard rewards.indices.contains(y) else { throw missing }
            try setReward(y, to: value)
        case .probability(let k, let y, let value):
            guard references.indices.contains(k), responses.indices.contains(y) else { throw missing }
            try setProbability(reference: k, response: y, to: value)
        case .odds(let k, let y, let factor):
            guard references.indices.contains(k), responses.indices.contains(y) else { throw missing }
            try scaleOdds(reference: k, response: y, by: factor)
        }
    }

    /// The scenario after `edits`, applied in order.
    public func replaying(_ edits: [ScenarioEdit]) throws(EditRefusal) -> Scenario {
        var scenario = self
        for edit in edits { try scenario.apply(edit) }
        return scenario
    }

    /// `edits` in words, as replayed onto this scenario: "3 edits: β 0.5 → 2, reward code 1 → 1.5",
    /// each value edited named once (its first value → its last), at most `limit` of them then "…".
    public func describing(_ edits: [ScenarioEdit], limit: Int = 3) -> String {
        var order: [String] = []
        var values: [String: (before: String, after: String)] = [:]
        var scenario = self
        func number(_ value: Double) -> String { String(format: "%.4g", value) }
        for edit in edits {
            var next = scenario
            guard (try? next.apply(edit)) != nil else { break }
            let subject: String, read: (Scenario) -> String
            switch edit {
            case .beta: subject = "β"; read = { number($0.beta) }
            case .weights: subject = "weights"; read = { $0.normalizedWeights.map(number).joined(separator: "/") }
            case .reward(let y, _): subject = "reward \(responses[y])"; read = { number($0.rewards[y]) }
            case .probability(let k, let y, _), .odds(let k, let y, _):
                subject = "\(references[k].name)(\(responses[y]))"; read = { number(exp($0.references[k].logProbabilities[y])) }
            }
            if values[subject] == nil { order.append(subject) }
            values[subject] = (values[subject]?.before ?? read(scenario), read(next))
            scenario = next
        }
        let named = order.prefix(limit).map { "\($0) \(values[$0]!.before) → \(values[$0]!.after)" }
        let more = order.count > limit ? ", …" : ""
        return "\(edits.count) edit\(edits.count == 1 ? "" : "s"): " + named.joined(separator: ", ") + more
    }
}
