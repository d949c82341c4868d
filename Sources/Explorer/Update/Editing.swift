import Foundation
import KLMath
import KLScenario

/// The step sizes of ←/→ (small) and H/L (large) for each kind of control.
enum StepSize {
    /// `β` is multiplied or divided by this.
    static func betaFactor(large: Bool) -> Double { large ? 3 : 1.2 }
    /// A weight moves by this much.
    static func weight(large: Bool) -> Double { large ? 0.2 : 0.05 }
    /// A reward moves by this much.
    static func reward(large: Bool) -> Double { large ? 1 : 0.1 }
    /// A probability's odds are multiplied or divided by this.
    static func oddsFactor(large: Bool) -> Double { large ? 3 : 1.2 }
}

extension ExplorerState {
    /// Edits the scenario (`DocumentHistory.edit`); a refused edit says why on the status line.
    @discardableResult
    mutating func edit(_ description: Change, recording record: (Scenario) -> ScenarioEdit,
                       _ change: (inout Scenario) throws(EditRefusal) -> Void) -> Bool {
        do {
            return try history.edit(description, recording: record, change)
        } catch {
            message = StatusMessage(error.reason, kind: .error)
            return false
        }
    }

    /// ←/→/H/L on the focused control.
    mutating func stepFocused(direction: Double, large: Bool) {
        let s = scenario
        switch focus {
        case .beta:
            let factor = pow(StepSize.betaFactor(large: large), direction)
            let value = ScenarioRules.clampedBeta(s.beta * factor)
            edit(Change("β", from: format(s.beta), to: format(value)), recording: { .beta($0.beta) }) { (scenario: inout Scenario) throws(EditRefusal) in
                try scenario.stepBeta(by: factor)
            }
        case .weight(let k):
            setWeight(k, to: s.normalizedWeights[k] + direction * StepSize.weight(large: large))
        case .reward:
            let value = roundedToStep(s.rewards[chart.selected] + direction * StepSize.reward(large: large))
            setReward(value)
        case .probability(let k):
            let factor = pow(StepSize.oddsFactor(large: large), direction)
            let name = s.references[k].name, label = s.responses[chart.selected], y = chart.selected
            let before = exp(s.references[k].logProbabilities[y])
            if before == 0, let previous = history.zeroed[ZeroedProbability(reference: k, response: y)] {
                message = StatusMessage("\(name) gives \(label) no mass: press 0 to restore \(format(previous)) or Enter to type a value", kind: .error)
                return
            }
            if edit(Change("\(name)(\(label))", from: format(before), to: "…"), recording: { _ in .odds(reference: k, response: y, factor: factor) }, { (scenario: inout Scenario) throws(EditRefusal) in
                try scenario.scaleOdds(reference: k, response: y, by: factor)
            }) {
                describeProbabilityChange(reference: k, from: before)
            }
        }
    }

    /// Enter on a control: parses `text` and sets the control to it.
    mutating func enterValue(_ text: String, for control: Control) {
        guard let value = Double(text), value.isFinite else {
            message = StatusMessage(text.isEmpty ? "no value typed: nothing changed" : "\"\(text)\" is not a number: nothing changed", kind: .error)
            return
        }
        let s = scenario
        switch control {
        case .beta:
            guard value > 0 else {
                message = StatusMessage("β must be positive: nothing changed", kind: .error)
                return
            }
            edit(Change("β", from: format(s.beta), to: format(value)), recording: { _ in .beta(value) }) { (scenario: inout Scenario) throws(EditRefusal) in
                try scenario.setBeta(value)
            }
        case .weight(let k):
            guard (0...1).contains(value) else {
                message = StatusMessage("a weight is between 0 and 1: nothing changed", kind: .error)
                return
            }
            setWeight(k, to: value)
        case .reward:
            setReward(value)
        case .probability(let k):
            guard (0...1).contains(value) else {
                message = StatusMessage("a probability is between 0 and 1: nothing changed", kind: .error)
                return
            }
            setProbability(k, to: value)
        }
    }

    /// `0`: zeroes the selected response's probability under the focused reference (the
    /// first reference when β or the reward is focused), or restores the value it had.
    mutating func toggleZero() {
        let k = focus.reference ?? 0
        let key = ZeroedProbability(reference: k, response: chart.selected)
        let current = exp(scenario.references[k].logProbabilities[chart.selected])
        if current > 0 {
            if setProbability(k, to: 0) { history.rememberZeroed(current, at: key) }
        } else if let previous = history.zeroed[key] {
            if setProbability(k, to: previous) { history.rememberZeroed(nil, at: key) }
        } else {
            let name = scenario.references[k].name
            message = StatusMessage("\(name) gives \(scenario.responses[chart.selected]) no mass in the scenario: type a value with Enter", kind: .error)
        }
    }

    /// `u`: returns to the document before the last edit.
    mutating func undo() {
        guard let undone = history.undo() else {
            message = StatusMessage("nothing to undo", kind: .info)
            return
        }
        message = StatusMessage("undone: " + (undone.change?.undone ?? "edit"), kind: .info)
        select(chart.selected)
    }

    /// Ctrl-R: re-applies the last undone edit.
    mutating func redo() {
        guard let next = history.redo() else {
            message = StatusMessage("nothing to redo", kind: .info)
            return
        }
        message = StatusMessage("redone: " + (next.change?.done ?? "edit"), kind: .info)
        select(chart.selected)
    }

    private mutating func setWeight(_ k: Int, to value: Double) {
        let name = scenario.references[k].name
        let before = scenario.normalizedWeights[k]
        if edit(Change("weight \(name)", from: format(before), to: format(min(max(value, 0), 1))), recording: { .weights($0.references.map(\.weight)) }, { (scenario: inout Scenario) throws(EditRefusal) in
            try scenario.setWeight(k, to: value)
        }) {
            let weights = scenario.normalizedWeights
            let others = scenario.references.indices.filter { $0 != k }
                .map { "\(scenario.references[$0].name) \(format(weights[$0]))" }.joined(separator: ", ")
            message = StatusMessage("rescaled the other weights to sum to 1: \(others)", kind: .info)
        }
    }

    private mutating func setReward(_ value: Double) {
        let y = chart.selected
        edit(Change("reward \(scenario.responses[y])", from: format(scenario.rewards[y]), to: format(value)), recording: { _ in .reward(response: y, value) }) { (scenario: inout Scenario) throws(EditRefusal) in
            try scenario.setReward(y, to: value)
        }
    }

    @discardableResult
    private mutating func setProbability(_ k: Int, to value: Double) -> Bool {
        let y = chart.selected, name = scenario.references[k].name
        let before = exp(scenario.references[k].logProbabilities[y])
        let changed = edit(Change("\(name)(\(scenario.responses[y]))", from: format(before), to: format(value)),
                           recording: { _ in .probability(reference: k, response: y, value) }) { (scenario: inout Scenario) throws(EditRefusal) in
            try scenario.setProbability(reference: k, response: y, to: value)
        }
        if changed { describeProbabilityChange(reference: k, from: before) }
        return changed
    }

    /// Names the new value in the undo history and says how the rest was renormalised.
    private mutating func describeProbabilityChange(reference k: Int, from before: Double) {
        let name = scenario.references[k].name, label = scenario.responses[chart.selected]
        let after = exp(scenario.references[k].logProbabilities[chart.selected])
        history.describeLastEdit(Change("\(name)(\(label))", from: format(before), to: format(after)))
        let restScale = (1 - after) / (1 - before)
        let rest = before < 1 && after < 1 ? "the other responses ×\(format(restScale))" : "the other responses rescaled"
        message = StatusMessage("\(name)(\(label)) = \(format(after)); renormalised \(name): \(rest)", kind: .info)
    }

    /// Removes the binary noise of repeated decimal steps (0.1 + 0.2 → 0.3).
    private func roundedToStep(_ value: Double) -> Double {
        abs(value) < 1e6 ? (value * 1e9).rounded() / 1e9 : value
    }

    /// Four significant digits, as everywhere on screen.
    func format(_ value: Double) -> String {
        NumberFormat.short(value, digits: 4, ascii: options.ascii)
    }
}

extension ExplorerState {
    /// Restores edits recovered from a crash journal (`DocumentHistory.restore`).
    mutating func restoreRecovered(_ recovered: RecoveredEdits) {
        if history.restore(recovered) {
            message = StatusMessage("recovered edits restored (not saved yet)", kind: .info)
        }
        select(chart.selected)
    }
}
