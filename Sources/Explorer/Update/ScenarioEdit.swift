#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KLMath
import KLScenario

/// An edit that was refused, with the reason in words for the status line.
struct EditRefusal: Error, Equatable {
    let reason: String
}

/// The edits the explorer makes to a scenario. Each keeps the scenario valid: `β > 0`,
/// weights summing to one, every reference a normalised distribution with some support.
extension Scenario {
    /// The smallest and largest `β` the controls accept.
    static let betaRange = 1e-12...1e12

    /// Sets `β`, clamped to `betaRange`.
    mutating func setBeta(_ value: Double) throws(EditRefusal) {
        guard value.isFinite, value > 0 else { throw EditRefusal(reason: "β must be a positive number") }
        beta = min(max(value, Self.betaRange.lowerBound), Self.betaRange.upperBound)
    }

    /// Sets the weight of reference `k` (clamped to 0…1) and rescales the others in
    /// proportion so that all sum to one; when the others are all zero they share the
    /// remainder equally.
    mutating func setWeight(_ k: Int, to value: Double) throws(EditRefusal) {
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

    /// Sets the reward of response `y`.
    mutating func setReward(_ y: Int, to value: Double) throws(EditRefusal) {
        guard value.isFinite else { throw EditRefusal(reason: "a reward is a finite number") }
        rewards[y] = value
    }

    /// Sets `π_k(y)` to `probability` (0…1) and rescales the rest of reference `k` so that
    /// it still sums to one.
    mutating func setProbability(reference k: Int, response y: Int, to probability: Double) throws(EditRefusal) {
        guard probability.isFinite, probability >= 0, probability <= 1 else {
            throw EditRefusal(reason: "a probability is a number between 0 and 1")
        }
        let logRest = restLogMass(reference: k, response: y)
        if probability == 1 {
            try replace(reference: k, response: y, logProbability: 0, logRestScale: -.infinity)
        } else {
            try replace(reference: k, response: y, logProbability: log(probability), logRestScale: log1p(-probability) - logRest)
        }
    }

    /// Multiplies the odds `π_k(y) / (1 − π_k(y))` by `factor`, rescaling the rest of the
    /// reference: a step that is multiplicative in log space and never leaves (0, 1).
    mutating func scaleOdds(reference k: Int, response y: Int, by factor: Double) throws(EditRefusal) {
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
