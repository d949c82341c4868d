import Foundation
import KLMath
import KLScenario

/// One step of a guided tour with everything resolved: the scenario as it stands after the
/// step, and the view the step asks for.
public struct TourStop: Sendable {
    public let scenario: Scenario
    public let caption: String
    public let hiddenSeries: Set<PolicyID>
    public let layout: ChartLayout
    public let showsSweep: Bool
    /// Whether the step shows the coverage lab view (`view: lab`), which runs on its scenario.
    public let showsLab: Bool
    public let selected: Int
}

/// A tour being played: its stops and the one on screen (`]` next, `[` previous).
public struct TourProgress: Sendable {
    public let title: String
    /// The tour file as the user named it, and the folder it is in (charts are exported there).
    public let file: String
    public let folder: URL
    public let stops: [TourStop]
    public internal(set) var index = 0

    /// Applies the steps of `tour` in order and checks every name they use; errors name the
    /// tour file, the line and the field, like scenario errors.
    public init(_ tour: Tour) throws(ScenarioError) {
        title = tour.title
        file = tour.file
        folder = tour.folder
        var scenario = tour.scenario ?? .builtInDefault
        var hidden: Set<PolicyID> = [], layout = ChartLayout.rows, sweep = false, lab = false, selected = 0
        var stops: [TourStop] = []
        for (index, step) in tour.steps.enumerated() {
            if let loaded = step.scenario {
                scenario = loaded.value
                hidden = []
                selected = 0
            }
            func edit(_ place: Tour.Place, _ change: (inout Scenario) throws(EditRefusal) -> Void) throws(ScenarioError) {
                do throws(EditRefusal) {
                    try change(&scenario)
                } catch {
                    throw tour.error(place, error.reason)
                }
            }
            func response(_ label: String, _ place: Tour.Place) throws(ScenarioError) -> Int {
                guard let y = scenario.responses.firstIndex(of: label) else {
                    throw tour.error(place, "no response \"\(label)\" in \"\(scenario.title)\"; the responses are " + Self.list(scenario.responses))
                }
                return y
            }
            if let beta = step.beta { try edit(beta.place) { (s: inout Scenario) throws(EditRefusal) in try s.setBeta(beta.value) } }
            if let weights = step.weights {
                guard weights.value.count == scenario.references.count else {
                    throw tour.error(weights.place, "\(weights.value.count) weights for \(scenario.references.count) references (" + Self.list(scenario.references.map(\.name)) + ")")
                }
                try edit(weights.place) { (s: inout Scenario) throws(EditRefusal) in try s.setWeights(weights.value) }
            }
            for reward in step.rewards {
                let y = try response(reward.value.response, reward.place)
                try edit(reward.place) { (s: inout Scenario) throws(EditRefusal) in try s.setReward(y, to: reward.value.value) }
            }
            for probability in step.probabilities {
                guard let k = scenario.references.firstIndex(where: { $0.name == probability.value.reference }) else {
                    throw tour.error(probability.place, "no reference \"\(probability.value.reference)\"; the references are " + Self.list(scenario.references.map(\.name)))
                }
                let y = try response(probability.value.response, probability.place)
                try edit(probability.place) { (s: inout Scenario) throws(EditRefusal) in
                    try s.setProbability(reference: k, response: y, to: probability.value.value)
                }
            }
            let all = PolicyID.charted(referenceCount: scenario.references.count)
            if let show = step.show {
                if show.value.map({ $0.lowercased() }) == ["all"] {
                    hidden = []
                } else {
                    var shown: Set<PolicyID> = []
                    for name in show.value {
                        guard let series = Self.series(named: name, in: scenario) else {
                            throw tour.error(show.place, "no series \"\(name)\"; the series are " + Self.seriesNames(scenario) + ", or all")
                        }
                        shown.insert(series)
                    }
                    hidden = Set(all).subtracting(shown)
                }
            }
            if let value = step.layout?.value { layout = value == "columns" ? .columns : .rows }
            if let value = step.view?.value {
                sweep = value == "sweep"
                lab = value == "lab"
            }
            if let highlight = step.highlight {
                if let y = scenario.responses.firstIndex(of: highlight.value) {
                    selected = y
                } else if let series = Self.series(named: highlight.value, in: scenario) {
                    // A highlighted series is drawn with the references only, unless the
                    // step's `show` says what else is drawn; it is drawn either way.
                    if step.show == nil { hidden = Set(all.filter { !$0.isReference && $0 != series }) }
                    hidden.remove(series)
                } else {
                    throw tour.error(highlight.place, "\"\(highlight.value)\" is neither a response nor a series; the responses are "
                                     + Self.list(scenario.responses) + "; the series are " + Self.seriesNames(scenario))
                }
            }
            var shown = scenario
            shown.title = "\(tour.title) \(index + 1)/\(tour.steps.count): \(scenario.title)"
            shown.notes = "Step \(index + 1) of \(tour.steps.count). \(step.caption)\n\n] next step   [ previous step"
            stops.append(TourStop(scenario: shown, caption: step.caption, hiddenSeries: hidden, layout: layout, showsSweep: sweep,
                                  showsLab: lab, selected: min(selected, scenario.responses.count - 1)))
        }
        self.stops = stops
    }

    static func list(_ names: [String]) -> String {
        names.count <= 12 ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", …"
    }

    static func seriesNames(_ scenario: Scenario) -> String {
        let theme = Theme(ExplorerOptions())
        return PolicyID.charted(referenceCount: scenario.references.count).map { theme.name($0, in: scenario) }.joined(separator: ", ")
    }

    /// The series called `name`: a reference's name (any case), or a policy in any spelling
    /// of `PolicyName` (`π_G`, `pi_G`, `escort`, `RKL*`, `RKL`, `rkl`, …).
    static func series(named name: String, in scenario: Scenario) -> PolicyID? {
        if let k = scenario.references.firstIndex(where: { $0.name == name })
            ?? scenario.references.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            return .reference(k)
        }
        guard let policy = PolicyName.policy(named: name) else { return nil }
        return PolicyID.charted(referenceCount: scenario.references.count).first { $0 == policy.id }
    }
}

extension ExplorerState {
    /// Starts `tour` at its first stop.
    mutating func startTour(_ tour: TourProgress) -> [Effect] {
        self.tour = tour
        return showTourStop(0)
    }

    /// `]` / `[`: the next or previous stop of the tour.
    mutating func stepTour(by offset: Int) -> [Effect] {
        guard let tour else {
            message = StatusMessage("no tour: start one with klscope tour FILE", kind: .info)
            return []
        }
        let target = tour.index + offset
        guard tour.stops.indices.contains(target) else {
            message = StatusMessage(offset > 0 ? "the tour is over: [ goes back" : "this is the first step", kind: .info)
            return []
        }
        return showTourStop(target)
    }

    /// Puts a stop on screen: its scenario (a fresh document, with no undo history), its view
    /// and its caption in the notes box; a lab step runs the lab on its scenario, any other
    /// step closes the lab view.
    private mutating func showTourStop(_ index: Int) -> [Effect] {
        guard var tour else { return [] }
        tour.index = index
        self.tour = tour
        let stop = tour.stops[index]
        history.open(stop.scenario, file: nil, stamp: nil)
        overlay = nil
        chart.present(stop)
        sweep.show(stop.showsSweep)
        keepSelectionVisible()
        message = StatusMessage("tour step \(index + 1) of \(tour.stops.count)", kind: .info)
        return stop.showsLab ? lab.restart(scenario, revision: history.document.revision) : lab.close()
    }
}
