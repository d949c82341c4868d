/// Comparisons aggregated per unordered pair of distinct responses, in a fixed order, so that
/// every sum over them is the same on every run whatever order the comparisons came in.
public struct ComparisonTally: Sendable, Equatable {
    /// How often two distinct responses were compared, and how often the first won.
    public struct Entry: Sendable, Equatable {
        /// The smaller index of the two.
        public let first: Int
        /// The larger index of the two.
        public let second: Int
        /// Comparisons of this pair.
        public let count: Int
        /// Those won by `first`.
        public let firstWins: Int
    }

    /// The number of responses `n`.
    public let responseCount: Int
    /// One entry per pair compared at least once, sorted by `(first, second)`.
    public let entries: [Entry]
    /// How many times each response was drawn (twice for a response compared with itself).
    public let draws: [Int]
    /// Whether each response was compared with a different response at least once.
    public let compared: [Bool]

    /// Aggregates `comparisons` of responses `0..<responseCount`.
    public init(_ comparisons: [Comparison], responseCount n: Int) {
        var draws = [Int](repeating: 0, count: n)
        // key = (pair index) · 2 + (1 when the smaller index won), sorted, then run-length counted.
        var keys: [Int] = []
        keys.reserveCapacity(comparisons.count)
        for comparison in comparisons {
            draws[comparison.winner] += 1
            draws[comparison.loser] += 1
            guard comparison.winner != comparison.loser else { continue }
            let first = min(comparison.winner, comparison.loser), second = max(comparison.winner, comparison.loser)
            keys.append((first * n + second) * 2 + (comparison.winner == first ? 1 : 0))
        }
        keys.sort()
        var entries: [Entry] = []
        var compared = [Bool](repeating: false, count: n)
        var start = 0
        while start < keys.count {
            let pair = keys[start] / 2
            var end = start, wins = 0
            while end < keys.count && keys[end] / 2 == pair {
                wins += keys[end] & 1
                end += 1
            }
            let first = pair / n, second = pair % n
            entries.append(Entry(first: first, second: second, count: end - start, firstWins: wins))
            compared[first] = true
            compared[second] = true
            start = end
        }
        self.responseCount = n
        self.entries = entries
        self.draws = draws
        self.compared = compared
    }

    /// The Bradley–Terry log-likelihood `Σ log σ(r(winner) − r(loser))` of these comparisons.
    public func logLikelihood(_ rewards: [Double]) -> Double {
        var sum = CompensatedSum()
        for e in entries {
            let d = rewards[e.first] - rewards[e.second]
            if e.firstWins > 0 { sum.add(Double(e.firstWins) * BradleyTerry.logSigmoid(d)) }
            if e.count > e.firstWins { sum.add(Double(e.count - e.firstWins) * BradleyTerry.logSigmoid(-d)) }
        }
        return sum.value
    }
}

/// The tabular Bradley–Terry reward fitted by maximum likelihood with a ridge term: the
/// maximiser of `ℓ(r̂) − λ ‖r̂‖²/2`, where `ℓ` is the log-likelihood summed over the comparisons.
///
/// The ridge makes the problem strictly concave, so the maximiser exists even when a response
/// won every comparison, and fixes the free constant of the Bradley–Terry model: on each
/// connected group of compared responses the fit sums to zero. Because the ridge is not divided
/// by the number of comparisons its pull vanishes as they grow. A response never compared with
/// another has zero gradient at zero and stays exactly 0.
///
/// Newton's method from `r̂ = 0`: the Hessian (a weighted graph Laplacian plus `λI`) is
/// factorised by Cholesky on the compared responses only, and a backtracking (Armijo) line
/// search makes every step increase the objective, so the iteration converges from anywhere.
/// The cost per iteration is `O(c³)` in the number `c` of compared responses.
public struct RewardFit: Sendable, Equatable {
    /// The default ridge strength `λ = 10⁻³`: small beside the curvature of even a handful of comparisons.
    public static let defaultRidge = 1e-3
    /// The iteration cap; a fit typically needs 5 to 15 iterations.
    public static let maximumIterations = 100
    /// Newton stops when the gradient's Euclidean norm is at most this times the number of
    /// informative comparisons (at least 1): far above the rounding in the sums, far below any
    /// statistical effect.
    public static let gradientTolerance = 1e-10

    /// `r̂(y)` for every response; exactly 0 where `compared[y]` is false.
    public let rewards: [Double]
    /// Whether each response was compared with a different one.
    public let compared: [Bool]
    /// The ridge strength `λ` used.
    public let ridge: Double
    /// Newton iterations taken.
    public let iterations: Int
    /// The Euclidean norm of the gradient of the penalised log-likelihood at `rewards`.
    public let gradientNorm: Double

    /// The penalised log-likelihood `ℓ(r̂) − λ ‖r̂‖²/2` that the fit maximises.
    public static func objective(_ rewards: [Double], _ tally: ComparisonTally, ridge: Double) -> Double {
        var squares = 0.0
        for value in rewards { squares += value * value }
        return tally.logLikelihood(rewards) - ridge * squares / 2
    }

    /// Fits the reward to `tally` with ridge strength `ridge > 0`.
    public init(_ tally: ComparisonTally, ridge: Double = RewardFit.defaultRidge) {
        precondition(ridge > 0, "the ridge strength is positive")
        let comparedIndices = tally.compared.indices.filter { tally.compared[$0] }
        var position = [Int](repeating: -1, count: tally.responseCount)
        for (slot, y) in comparedIndices.enumerated() { position[y] = slot }
        let c = comparedIndices.count
        let informative = tally.entries.reduce(0) { $0 + $1.count }
        let tolerance = RewardFit.gradientTolerance * Double(max(1, informative))

        var rewards = [Double](repeating: 0, count: tally.responseCount)
        var value = RewardFit.objective(rewards, tally, ridge: ridge)
        var iterations = 0
        var gradientNorm = 0.0
        while true {
            // Gradient and Hessian of the negated objective, on the compared responses.
            var gradient = comparedIndices.map { ridge * rewards[$0] }
            var hessian = [Double](repeating: 0, count: c * c)
            for slot in 0..<c { hessian[slot * c + slot] = ridge }
            for e in tally.entries {
                let a = position[e.first], b = position[e.second]
                let d = rewards[e.first] - rewards[e.second]
                let p = BradleyTerry.sigmoid(d)
                let residual = Double(e.firstWins) - Double(e.count) * p
                gradient[a] -= residual
                gradient[b] += residual
                let curvature = Double(e.count) * p * BradleyTerry.sigmoid(-d)
                hessian[a * c + a] += curvature
                hessian[b * c + b] += curvature
                hessian[a * c + b] -= curvature
                hessian[b * c + a] -= curvature
            }
            gradientNorm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard gradientNorm > tolerance, iterations < RewardFit.maximumIterations else { break }

            let step = Cholesky.solve(&hessian, size: c, gradient.map { -$0 })
            let slope = zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            // Backtrack until the objective rises by a fair share of what the slope promises.
            var t = 1.0
            var accepted: (rewards: [Double], value: Double)?
            while t >= 0x1p-40 {
                var candidate = rewards
                for (slot, y) in comparedIndices.enumerated() { candidate[y] += t * step[slot] }
                let candidateValue = RewardFit.objective(candidate, tally, ridge: ridge)
                if candidateValue >= value - 1e-4 * t * slope {
                    accepted = (candidate, candidateValue)
                    break
                }
                t /= 2
            }
            guard let accepted else { break }  // no step improves on rounding: this is the maximum
            rewards = accepted.rewards
            value = accepted.value
            iterations += 1
        }
        self.rewards = rewards
        self.compared = tally.compared
        self.ridge = ridge
        self.iterations = iterations
        self.gradientNorm = gradientNorm
    }
}

/// Dense Cholesky factorisation for the Newton steps of `RewardFit`.
enum Cholesky {
    /// Solves `A x = b` for a symmetric positive definite `A` (row-major, `size × size`),
    /// overwriting `matrix` with its factor.
    static func solve(_ matrix: inout [Double], size n: Int, _ b: [Double]) -> [Double] {
        for j in 0..<n {
            var pivot = matrix[j * n + j]
            for k in 0..<j { pivot -= matrix[j * n + k] * matrix[j * n + k] }
            precondition(pivot > 0, "the matrix is positive definite")
            let root = pivot.squareRoot()
            matrix[j * n + j] = root
            for i in (j + 1)..<n {
                var entry = matrix[i * n + j]
                for k in 0..<j { entry -= matrix[i * n + k] * matrix[j * n + k] }
                matrix[i * n + j] = entry / root
            }
        }
        var x = b
        for i in 0..<n {  // L y = b
            for k in 0..<i { x[i] -= matrix[i * n + k] * x[k] }
            x[i] /= matrix[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {  // Lᵀ x = y
            for k in (i + 1)..<n { x[i] -= matrix[k * n + i] * x[k] }
            x[i] /= matrix[i * n + i]
        }
        return x
    }
}
