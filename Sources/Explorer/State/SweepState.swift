import KLMath
import KLScenario

/// The quantity the sweep view plots; `W` steps through them.
public enum SweepQuantity: Sendable, CaseIterable, Equatable {
    case expectedReward, entropy, ownKL, objective, mrpoGap

    /// The next quantity, wrapping around.
    var next: SweepQuantity {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The methods this quantity has a curve for.
    var methods: [Sweep.Method] { self == .mrpoGap ? [.mrpo] : Sweep.Method.allCases }

    /// The value of `method` at `point`.
    func value(_ point: Sweep.Point, _ method: Sweep.Method) -> Double? {
        switch self {
        case .expectedReward: point.values(method).expectedReward
        case .entropy: point.values(method).entropy
        case .ownKL: point.values(method).ownKL
        case .objective: point.values(method).objective
        case .mrpoGap: point.mrpoGap
        }
    }
}

/// The sweeps the sweep view draws, cached so that they are recomputed only when what they
/// depend on changes. The `β` sweep does not depend on `β` and the weight sweep does not depend
/// on the weights, so moving `β` only redoes the weight sweep (two references), and moving a
/// weight only the `β` sweep; navigation and view keys redo nothing.
public struct SweepCache: Sendable {
    /// Above this many responses the explorer does not sweep (61 full solves each time the
    /// scenario changes would make the keys lag); it says to use `klscope sweep` instead.
    public static let responseLimit = 20_000
    /// Points per sweep in the explorer: 61, fewer for large scenarios so that one sweep stays
    /// near 120,000 response-solves (11 points at 20,000 responses), keeping the keys responsive.
    public static func points(responses n: Int) -> Int {
        max(11, min(61, 120_000 / max(1, n)))
    }

    /// The problem the `β` sweep was made for, with `β` set to 1.
    var betaKey: Problem?
    public internal(set) var beta: Sweep?
    /// The problem the weight sweep was made for, with equal weights.
    var weightKey: Problem?
    public internal(set) var weight: Sweep?

    public init() {}

    /// Brings the sweeps up to date with `problem`.
    mutating func refresh(for problem: Problem) {
        var betaFree = problem
        betaFree.beta = 1
        if betaKey != betaFree {
            beta = Sweep.beta(problem, steps: Self.points(responses: problem.responseCount))
            betaKey = betaFree
        }
        guard problem.referenceCount == 2 else {
            weight = nil
            weightKey = nil
            return
        }
        var weightFree = problem
        weightFree.setWeights([1, 1])
        if weightKey != weightFree {
            weight = Sweep.weight(problem, steps: Self.points(responses: problem.responseCount))
            weightKey = weightFree
        }
    }
}

extension ExplorerState {
    /// Whether the scenario is too large for the explorer to sweep.
    public var sweepIsTooLarge: Bool { scenario.responses.count >= SweepCache.responseLimit }

    /// Recomputes the sweeps the sweep view needs, when it is shown and they are stale.
    mutating func refreshSweepsIfNeeded() {
        guard showsSweep, !sweepIsTooLarge else { return }
        sweeps.refresh(for: analysis.solution.problem)
    }
}
