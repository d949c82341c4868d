/// How the three methods' optima change along one parameter: `β` on a log grid, or, with two
/// references or more, the weight of one reference from 0 to 1 (the others rescaled in
/// proportion to their weights, `Problem.withWeight(_:of:)`).
///
/// Every point is a complete `Solution` of the problem with that parameter; a `β` sweep reuses
/// the reference aggregates, which `β` does not change. Each method reports:
///
/// * the expected reward `E_π[r]` and the entropy `H(π)`;
/// * the KL divergence to its *own* reference, the single reference its problem reduces to
///   (MATH.md): `KL(π*_RKL ‖ π_G)` for RKL and `KL(π_MRPO ‖ π_G)` for MRPO (MRPO approximates
///   the same reverse-KL problem, so it is measured against the same reference), and
///   `KL(π_A ‖ π*_FKL)` for FKL (forward KL puts the reference first);
/// * its objective value: `max J_RKL`, `max J_FKL`, and `J_RKL(π_MRPO) = max J_RKL − gap`;
///
/// the MRPO gap, and the two upper bounds of MATH.md: `max J_RKL ≤ Σ_k α_k max J_k` (Hölder)
/// and `max J_FKL ≤ Σ_k α_k max J_FKL,k`. Where a quantity is undefined (empty intersection:
/// no RKL, no MRPO) or not finite, it is nil.
public struct Sweep: Sendable, Equatable {
    /// What a sweep varies.
    public enum Axis: String, Sendable, CaseIterable {
        /// `β`, on a logarithmic grid.
        case beta
        /// The weight `α_k` of one reference (`reference`), on a linear grid; the others share
        /// `1 − α_k` in proportion to their weights.
        case weight
    }

    /// One method's numbers at one point; nil fields are undefined or not finite there.
    public struct Values: Sendable, Equatable {
        public var expectedReward: Double?
        public var entropy: Double?
        /// `KL(π ‖ π_G)` for RKL and MRPO, `KL(π_A ‖ π)` for FKL.
        public var ownKL: Double?
        /// `max J_RKL`, `max J_FKL`, or `J_RKL(π_MRPO)`.
        public var objective: Double?

        public init(expectedReward: Double? = nil, entropy: Double? = nil, ownKL: Double? = nil, objective: Double? = nil) {
            self.expectedReward = expectedReward
            self.entropy = entropy
            self.ownKL = ownKL
            self.objective = objective
        }

        /// All fields nil: the method's policy does not exist.
        public static let undefined = Values()
    }

    /// Everything at one value of the parameter.
    public struct Point: Sendable, Equatable {
        /// `β`, or the weight of the first reference.
        public var parameter: Double
        public var reverseKL: Values
        public var forwardKL: Values
        public var mrpo: Values
        /// `max J_RKL − J_RKL(π_MRPO)`, nil when the intersection is empty.
        public var mrpoGap: Double?
        /// `Σ_k α_k max J_k`, the upper bound on `max J_RKL`; defined also when the intersection
        /// is empty (then `max J_RKL` is `−∞`).
        public var reverseKLBound: Double?
        /// `Σ_k α_k max J_FKL,k`, the upper bound on `max J_FKL`.
        public var forwardKLBound: Double?

        /// The values of one method.
        public func values(_ method: KLMethod) -> Values {
            switch method {
            case .reverseKL: reverseKL
            case .forwardKL: forwardKL
            case .mrpo: mrpo
            }
        }
    }

    /// The default `β` range and the default number of points.
    public static let defaultBetaRange: ClosedRange<Double> = 1e-3...1e3
    public static let defaultSteps = 61

    public let axis: Axis
    /// The reference whose weight a weight sweep varies (0 for a `β` sweep).
    public let reference: Int
    public let points: [Point]

    public init(axis: Axis, reference: Int = 0, points: [Point]) {
        self.axis = axis
        self.reference = reference
        self.points = points
    }

    /// The grid of parameter values: `steps` points from `from` to `to`, geometric for `β`,
    /// arithmetic for the weight. The ends are exact.
    public static func grid(_ axis: Axis, from: Double, to: Double, steps: Int) -> [Double] {
        precondition(steps >= 1, "a sweep has at least one point")
        if steps == 1 { return [from] }
        return (0..<steps).map { i in
            if i == 0 { return from }
            if i == steps - 1 { return to }
            let t = Double(i) / Double(steps - 1)
            switch axis {
            case .beta: return exp(log(from) + t * (log(to) - log(from)))
            case .weight: return from + t * (to - from)
            }
        }
    }

    /// Sweeps `β` over a log grid; the weights are the problem's.
    ///
    /// - Precondition: `0 < from`, `0 < to`, both within `Problem.betaRange`, `steps ≥ 1`.
    public static func beta(_ problem: Problem, from: Double = defaultBetaRange.lowerBound,
                            to: Double = defaultBetaRange.upperBound, steps: Int = defaultSteps) -> Sweep {
        beta(problem, from: from, to: to, steps: steps, isCancelled: { false }, progress: { _ in })!
    }

    /// `beta(_:from:to:steps:)` point by point: `progress` gets the sweep so far after each
    /// point, `isCancelled` is polled before each; nil once it returns true (as `CoverageLab.run`).
    public static func beta(_ problem: Problem, from: Double = defaultBetaRange.lowerBound,
                            to: Double = defaultBetaRange.upperBound, steps: Int = defaultSteps,
                            isCancelled: () -> Bool, progress: (Sweep) -> Void) -> Sweep? {
        precondition(Problem.betaRange.contains(from) && Problem.betaRange.contains(to), "β within Problem.betaRange")
        let base = Solution(problem)
        return run(.beta, grid(.beta, from: from, to: to, steps: steps), isCancelled: isCancelled, progress: progress) { beta in
            var atBeta = problem
            atBeta.beta = beta
            return Solution(atBeta, reusing: base)
        }
    }

    /// Sweeps the weight of `reference` at the problem's `β`, the others sharing the rest in
    /// proportion to their weights (`Problem.withWeight(_:of:)`).
    ///
    /// - Precondition: two references or more, `reference` one of them, `0 ≤ from, to ≤ 1`, `steps ≥ 1`.
    public static func weight(_ problem: Problem, reference: Int = 0, from: Double = 0, to: Double = 1,
                              steps: Int = defaultSteps) -> Sweep {
        weight(problem, reference: reference, from: from, to: to, steps: steps, isCancelled: { false }, progress: { _ in })!
    }

    /// `weight(_:reference:from:to:steps:)` point by point, cancellable like `beta`.
    public static func weight(_ problem: Problem, reference: Int = 0, from: Double = 0, to: Double = 1,
                              steps: Int = defaultSteps, isCancelled: () -> Bool, progress: (Sweep) -> Void) -> Sweep? {
        precondition(problem.referenceCount >= 2, "a weight sweep needs two references or more")
        precondition(problem.weights.indices.contains(reference), "the swept reference exists")
        precondition((0...1).contains(from) && (0...1).contains(to), "weights within [0, 1]")
        return run(.weight, reference: reference, grid(.weight, from: from, to: to, steps: steps),
                   isCancelled: isCancelled, progress: progress) { Solution(problem.withWeight($0, of: reference)) }
    }

    /// The sweep along `parameters`, solving each with `solve`, one point at a time.
    private static func run(_ axis: Axis, reference: Int = 0, _ parameters: [Double], isCancelled: () -> Bool,
                            progress: (Sweep) -> Void, solve: (Double) -> Solution) -> Sweep? {
        var points: [Point] = []
        points.reserveCapacity(parameters.count)
        for parameter in parameters {
            if isCancelled() { return nil }
            points.append(point(parameter, solve(parameter)))
            progress(Sweep(axis: axis, reference: reference, points: points))
        }
        return Sweep(axis: axis, reference: reference, points: points)
    }

    /// The numbers of one solved point.
    public static func point(_ parameter: Double, _ solution: Solution) -> Point {
        let rewards = solution.problem.rewards
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        func values(_ policy: Policy?, ownKL: (Policy) -> Double, objective: Double?) -> Values {
            guard let policy else { return .undefined }
            let log = policy.logProbabilities
            return Values(expectedReward: finite(Divergence.expectation(log, of: rewards)),
                          entropy: finite(Divergence.entropy(log)),
                          ownKL: finite(ownKL(policy)),
                          objective: finite(objective))
        }
        let escortLog = solution.escort?.logProbabilities
        let mixtureLog = solution.mixture.logProbabilities
        let mrpoObjective = solution.reverseKLValue.flatMap { value in solution.mrpoGap.map { value - $0 } }
        return Point(
            parameter: parameter,
            reverseKL: values(solution.reverseKL, ownKL: { Divergence.kl($0.logProbabilities, escortLog!) },
                              objective: solution.reverseKLValue),
            forwardKL: values(solution.forwardKL.policy, ownKL: { Divergence.kl(mixtureLog, $0.logProbabilities) },
                              objective: solution.forwardKLValue),
            mrpo: values(solution.mrpo, ownKL: { Divergence.kl($0.logProbabilities, escortLog!) },
                         objective: mrpoObjective),
            mrpoGap: finite(solution.mrpoGap),
            reverseKLBound: finite(solution.reverseKLBound),
            forwardKLBound: finite(solution.forwardKLBound))
    }
}

extension Problem {
    /// This problem with reference `reference` at weight `weight` and the others sharing
    /// `1 − weight` in proportion to their weights now; when they all have weight 0
    /// (`othersAreOff(reference)`), they share it equally. With two references: `(w, 1 − w)`.
    ///
    /// - Precondition: two references or more, `reference` one of them, `0 ≤ weight ≤ 1`.
    public func withWeight(_ weight: Double, of reference: Int) -> Problem {
        precondition(referenceCount >= 2 && weights.indices.contains(reference), "the reference exists, and others")
        precondition((0...1).contains(weight), "a weight within [0, 1]")
        let others = othersAreOff(reference)
            ? weights.indices.map { $0 == reference ? 0 : 1 }
            : weights.indices.map { $0 == reference ? 0 : weights[$0] }
        let total = others.reduce(0, +)
        var copy = self
        copy.setWeights(others.indices.map { $0 == reference ? weight : (1 - weight) * (others[$0] / total) })
        return copy
    }

    /// Whether every reference but `reference` has weight 0.
    public func othersAreOff(_ reference: Int) -> Bool {
        weights.indices.allSatisfy { $0 == reference || weights[$0] == 0 }
    }
}
