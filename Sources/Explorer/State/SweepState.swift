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

    /// The curves of this quantity: one per method, and for the objective also the upper bounds
    /// of RKL and FKL (`Σ_k α_k max J_k`, `Σ_k α_k max J_FKL,k`).
    var curves: [SweepCurve] {
        switch self {
        case .mrpoGap: [.method(.mrpo)]
        case .objective: KLMethod.allCases.map(SweepCurve.method) + [.bound(.reverseKL), .bound(.forwardKL)]
        default: KLMethod.allCases.map(SweepCurve.method)
        }
    }

    /// The value of `curve` at `point`.
    func value(_ point: Sweep.Point, _ curve: SweepCurve) -> Double? {
        switch curve {
        case .bound(.reverseKL): return point.reverseKLBound
        case .bound(.forwardKL): return point.forwardKLBound
        case .bound(.mrpo): return nil
        case .method(let method):
            return switch self {
            case .expectedReward: point.values(method).expectedReward
            case .entropy: point.values(method).entropy
            case .ownKL: point.values(method).ownKL
            case .objective: point.values(method).objective
            case .mrpoGap: point.mrpoGap
            }
        }
    }
}

/// One curve of the sweep view: a method's value of the quantity, or the upper bound on its
/// objective (RKL and FKL only).
enum SweepCurve: Sendable, Equatable {
    case method(KLMethod)
    case bound(KLMethod)

    /// Whether the curve is a bound.
    var isBound: Bool {
        if case .bound = self { true } else { false }
    }

    /// The method whose colour the curve has.
    var method: KLMethod {
        switch self {
        case .method(let method), .bound(let method): method
        }
    }
}

/// The sweeps the sweep view draws, cached so that they are recomputed only when what they
/// depend on changes. The `β` sweep does not depend on `β` and the weight sweep does not depend
/// on the swept reference's own weight (only on how the others share the rest), so moving `β`
/// only redoes the weight sweep (two references or more), and moving the swept weight only the
/// `β` sweep; navigation and view keys redo nothing, except focusing another reference's
/// weight, which makes the weight sweep follow it.
///
/// Stale sweeps are recomputed in the background (`Effect.startSweep`, one job at a time, each
/// with a new generation); while a job runs, `job` holds the points computed so far, which the
/// view draws under a progress line. A newer edit replaces the job (the runner cancels the old
/// one) and results of older generations are ignored.
public struct SweepCache: Sendable {
    /// At or above this many responses the explorer does not sweep; it says to use `klscope
    /// sweep` instead. Sweeps run in the background, so this only bounds how long a job takes:
    /// from 11,000 responses up a sweep has 11 points, each a full solve of about 0.5–1.1 µs
    /// per response in a release build (`klscope bench solve`), so a job (both sweeps with two
    /// references, the β sweep alone otherwise) takes at most about 2–2.5 s just below the limit.
    public static let responseLimit = 200_000
    /// Points per sweep in the explorer: 61, fewer for large scenarios so that one sweep stays
    /// near 120,000 response-solves (11 points from about 11,000 responses), keeping a
    /// background job short.
    public static func points(responses n: Int) -> Int {
        max(11, min(61, 120_000 / max(1, n)))
    }

    /// The problem the `β` sweep was made for, with `β` set to 1.
    var betaKey: Problem?
    /// The finished `β` sweep for the current problem (nil while it is being computed).
    public internal(set) var beta: Sweep?
    /// The problem the weight sweep was made for, with the swept weight at 0, and that reference.
    var weightKey: WeightKey?
    /// The finished weight sweep for the current problem (nil while it is being computed).
    public internal(set) var weight: Sweep?
    /// The background job computing the stale sweeps, if one is running.
    public internal(set) var job: SweepJob?
    /// The last job's generation number (each job gets a new one).
    var generation = 0

    public init() {}

    /// The `β` sweep to draw: the finished one, or the points computed so far.
    public var shownBeta: Sweep? { beta ?? job?.partial.beta }
    /// The weight sweep to draw: the finished one, or the points computed so far.
    public var shownWeight: Sweep? { weight ?? job?.partial.weight }

    /// What a weight sweep depends on: the problem with the swept weight at 0 (the others' shares
    /// of the rest, `β`, references, rewards), and which reference it sweeps. The shares are
    /// rounded to 12 decimals: a step of the swept weight rescales the others, which moves their
    /// shares in the last bits, and must not redo the sweep.
    struct WeightKey: Sendable, Equatable {
        var problem: Problem
        var reference: Int

        init(_ problem: Problem, reference: Int) {
            var shares = problem.withWeight(0, of: reference)
            shares.setWeights(shares.weights.map { ($0 * 1e12).rounded() / 1e12 })
            self.problem = shares
            self.reference = reference
        }
    }

    private static func keys(_ problem: Problem, reference: Int) -> (beta: Problem, weight: WeightKey?) {
        var betaFree = problem
        betaFree.beta = 1
        guard problem.referenceCount >= 2 else { return (betaFree, nil) }
        return (betaFree, WeightKey(problem, reference: reference))
    }

    /// Brings the sweeps up to date with `problem`, the weight sweep over the weight of
    /// `reference`: returns the effect that starts a background job for the stale ones
    /// (replacing a job for an older problem), or cancels a job no longer needed.
    mutating func refresh(for problem: Problem, reference: Int) -> [Effect] {
        let keys = Self.keys(problem, reference: reference)
        if keys.weight == nil {
            weight = nil
            weightKey = nil
        }
        let needsBeta = betaKey != keys.beta
        let needsWeight = keys.weight != nil && weightKey != keys.weight
        let wanted = (beta: needsBeta ? keys.beta : nil, weight: needsWeight ? keys.weight : nil)
        guard needsBeta || needsWeight else { return cancel() }
        if let job, job.betaKey == wanted.beta, job.weightKey == wanted.weight { return [] }
        if needsBeta { beta = nil }
        if needsWeight { weight = nil }
        generation += 1
        let steps = Self.points(responses: problem.responseCount)
        job = SweepJob(generation: generation, betaKey: wanted.beta, weightKey: wanted.weight,
                       partial: SweepPartial(done: 0, total: (needsBeta ? steps : 0) + (needsWeight ? steps : 0)))
        return [.startSweep(SweepRequest(problem: problem, beta: needsBeta, weight: needsWeight, reference: reference,
                                         steps: steps, generation: generation))]
    }

    /// Drops the running job, if any, and asks the runner to cancel it.
    mutating func cancel() -> [Effect] {
        guard job != nil else { return [] }
        job = nil
        return [.cancelSweep]
    }

    /// A partial or final result of job `generation`; stale generations are ignored.
    mutating func receive(generation: Int, _ partial: SweepPartial?, finished: Bool) {
        guard let job, job.generation == generation else { return }
        guard finished else {
            if let partial { self.job?.partial = partial }
            return
        }
        self.job = nil
        guard let partial else { return }
        if job.betaKey != nil {
            beta = partial.beta
            betaKey = job.betaKey
        }
        if job.weightKey != nil {
            weight = partial.weight
            weightKey = job.weightKey
        }
    }

    /// The finished sweeps for `problem`: the cached ones when they are for it, otherwise
    /// computed here (for exports, which must not depend on timing).
    func finished(for problem: Problem, reference: Int) -> (beta: Sweep, weight: Sweep?) {
        let keys = Self.keys(problem, reference: reference)
        let steps = Self.points(responses: problem.responseCount)
        let cached = cached(for: problem, reference: reference)
        return (cached.beta ?? Sweep.beta(problem, steps: steps),
                keys.weight == nil ? nil : cached.weight ?? Sweep.weight(problem, reference: reference, steps: steps))
    }

    /// Whether the cached sweeps are the finished ones for `problem` (nothing left to compute).
    func hasFinished(for problem: Problem, reference: Int) -> Bool {
        let cached = cached(for: problem, reference: reference)
        return cached.beta != nil && (Self.keys(problem, reference: reference).weight == nil || cached.weight != nil)
    }

    /// The cached sweeps that belong to `problem`.
    private func cached(for problem: Problem, reference: Int) -> (beta: Sweep?, weight: Sweep?) {
        let keys = Self.keys(problem, reference: reference)
        return (betaKey == keys.beta ? beta : nil, keys.weight != nil && weightKey == keys.weight ? weight : nil)
    }
}

/// A sweep job in progress: what it computes, and its points so far.
public struct SweepJob: Sendable {
    public var generation: Int
    /// The keys (see `SweepCache`) of the sweeps it computes; nil for one it does not.
    var betaKey: Problem?
    var weightKey: SweepCache.WeightKey?
    public var partial: SweepPartial
}

/// The points of a sweep job computed so far (all of them at the end).
public struct SweepPartial: Sendable, Equatable {
    /// Points computed, and points in all.
    public var done: Int
    public var total: Int
    public var beta: Sweep?
    public var weight: Sweep?
}

/// What a background sweep job computes (`Effect.startSweep`).
public struct SweepRequest: Sendable, Equatable {
    public var problem: Problem
    /// Whether to sweep `β`, and the weight of `reference`.
    public var beta: Bool
    public var weight: Bool
    public var reference: Int
    /// Points per sweep.
    public var steps: Int
    public var generation: Int

    /// Computes the sweeps with `Sweep.beta` and `Sweep.weight`, calling `progress` every few
    /// points with those so far; nil when `isCancelled` turned true (polled between points).
    func run(isCancelled: () -> Bool, progress: (SweepPartial) -> Void) -> SweepPartial? {
        var partial = SweepPartial(done: 0, total: (beta ? steps : 0) + (weight ? steps : 0))
        let every = problem.responseCount >= 2_000 ? 1 : 8
        func step() {
            partial.done += 1
            if partial.done % every == 0, partial.done < partial.total { progress(partial) }
        }
        if beta {
            guard let sweep = Sweep.beta(problem, steps: steps, isCancelled: isCancelled,
                                         progress: { partial.beta = $0; step() }) else { return nil }
            partial.beta = sweep
        }
        if weight {
            guard let sweep = Sweep.weight(problem, reference: reference, steps: steps, isCancelled: isCancelled,
                                           progress: { partial.weight = $0; step() }) else { return nil }
            partial.weight = sweep
        }
        return partial
    }
}

/// The sweep view (`w`): whether the chart column shows it, the quantity it plots, the reference
/// whose weight it sweeps, and the sweeps it draws, which it keeps up to date with the scenario
/// while it is shown.
public struct SweepState: Sendable {
    /// Whether the chart column shows the sweep view instead of the bars.
    public private(set) var isShown = false
    /// The quantity plotted (`W` steps through them).
    public private(set) var quantity: SweepQuantity = .expectedReward
    /// The sweeps drawn, recomputed (in the background) only when the scenario changes.
    public private(set) var cache = SweepCache()
    /// The reference whose weight was focused last (see `reference(among:)`).
    private var lastFocusedReference = 0

    /// Whether a scenario of `responses` responses is too large for the explorer to sweep.
    static func isTooLarge(responses: Int) -> Bool { responses >= SweepCache.responseLimit }

    /// The reference whose weight the weight sweep varies, of `referenceCount`: the one whose
    /// weight was focused last (the first at the start, or after opening a file with fewer references).
    func reference(among referenceCount: Int) -> Int {
        lastFocusedReference < referenceCount ? lastFocusedReference : 0
    }

    /// Remembers a focused weight: the weight sweep follows it.
    mutating func follow(_ focus: Control) {
        if case .weight(let k) = focus { lastFocusedReference = k }
    }

    /// Shows or hides the view (`w`).
    mutating func toggle() { isShown.toggle() }

    /// Shows the view or hides it (a tour stop says which).
    mutating func show(_ shown: Bool) { isShown = shown }

    /// Shows the view with the next quantity (`W`).
    mutating func showNextQuantity() {
        isShown = true
        quantity = quantity.next
    }

    /// Starts a background job for the sweeps of `problem` the view needs, when it is shown and
    /// they are stale; cancels a running job when the view is hidden.
    mutating func refresh(for problem: Problem) -> [Effect] {
        guard isShown, !Self.isTooLarge(responses: problem.responseCount) else { return cache.cancel() }
        return cache.refresh(for: problem, reference: reference(among: problem.referenceCount))
    }

    /// A partial or final result of sweep job `generation`; stale generations are ignored.
    mutating func receive(generation: Int, _ partial: SweepPartial?, finished: Bool) {
        cache.receive(generation: generation, partial, finished: finished)
    }

    /// Whether the view is shown with sweeps of `problem` still being computed.
    func isComputing(for problem: Problem) -> Bool {
        isShown && !Self.isTooLarge(responses: problem.responseCount)
            && !cache.hasFinished(for: problem, reference: reference(among: problem.referenceCount))
    }
}

extension ExplorerState {
    /// Whether the scenario is too large for the explorer to sweep.
    public var sweepIsTooLarge: Bool { SweepState.isTooLarge(responses: scenario.responses.count) }

    /// The reference whose weight the weight sweep varies (`SweepState.reference(among:)`).
    public var sweptReference: Int { sweep.reference(among: scenario.references.count) }
}
