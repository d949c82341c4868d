import CLibc

/// Expectations, entropies and divergences between policies, computed from
/// log-probabilities with `0 · log 0 = 0`. Infinite answers are `+∞`, never NaN.
public enum Divergence {
    /// `KL(p ‖ q) = Σ p (log p − log q)`; `+∞` when `p` puts mass where `q` has none.
    public static func kl(_ logP: [Double], _ logQ: [Double]) -> Double {
        var leavesSupport = false
        let sum = logQ.withUnsafeBufferPointer { logQ in
            weightedSum(logP) { y, logP in
                if logQ[y] == -.infinity { leavesSupport = true }
                return logP - logQ[y]
            }
        }
        return leavesSupport ? .infinity : max(0, sum)
    }

    /// `H(p) = −Σ p log p`.
    public static func entropy(_ logP: [Double]) -> Double {
        max(0, -weightedSum(logP) { _, logP in logP })
    }

    /// `E_p[r]`.
    public static func expectation(_ logP: [Double], of values: [Double]) -> Double {
        values.withUnsafeBufferPointer { values in weightedSum(logP) { y, _ in values[y] } }
    }

    /// `Σ_y p(y) term(y, log p(y))` over the support of `p`: `p` exponentiated a block at a time,
    /// summed within a block and with a compensated sum across blocks.
    @inline(__always)
    private static func weightedSum(_ logP: [Double], _ term: (Int, Double) -> Double) -> Double {
        var total = CompensatedSum()
        logP.withUnsafeBufferPointer { logP in
            VectorMath.forEachBlock(count: logP.count) { block, p in
                VectorMath.exp(UnsafeBufferPointer(rebasing: logP[block]), into: p)
                var partial = 0.0
                for y in block where logP[y] > -.infinity {
                    partial += p[y - block.lowerBound] * term(y, logP[y])
                }
                total.add(partial)
            }
        }
        return total.value
    }

    /// The coverage ratio `max_y p(y)/q(y)` over the support of `p`; `+∞` when
    /// `supp(p) ⊄ supp(q)` (MATH.md, Assumptions 4.3–4.5).
    public static func coverage(_ logP: [Double], over logQ: [Double]) -> Double {
        var largest = -Double.infinity
        for y in logP.indices where logP[y] > -.infinity {
            guard logQ[y] > -.infinity else { return .infinity }
            largest = max(largest, logP[y] - logQ[y])
        }
        return exp(largest)
    }
}

/// The regularised objectives of MATH.md evaluated at any policy.
public enum Objective {
    /// `J_RKL(π) = E_π[r] − β Σ_k α_k KL(π ‖ π_k)`; `−∞` when `π` leaves the intersection.
    public static func reverseKL(_ policy: Policy, _ problem: Problem) -> Double {
        penalised(
            expectedReward: Divergence.expectation(policy.logProbabilities, of: problem.rewards),
            divergences: problem.logReferences.map { Divergence.kl(policy.logProbabilities, $0) },
            problem)
    }

    /// `J_FKL(π) = E_π[r] − β Σ_k α_k KL(π_k ‖ π)`; `−∞` when `π` misses part of the union.
    public static func forwardKL(_ policy: Policy, _ problem: Problem) -> Double {
        penalised(
            expectedReward: Divergence.expectation(policy.logProbabilities, of: problem.rewards),
            divergences: problem.logReferences.map { Divergence.kl($0, policy.logProbabilities) },
            problem)
    }

    /// `E − β Σ_k α_k D_k` over the active references; `−∞` when an active `D_k` is infinite.
    public static func penalised(expectedReward: Double, divergences: [Double], _ problem: Problem) -> Double {
        var penalty = 0.0
        for k in problem.activeReferences {
            guard divergences[k].isFinite else { return -.infinity }
            penalty += problem.weights[k] * divergences[k]
        }
        return expectedReward - problem.beta * penalty
    }
}

/// The diagnostics MATH.md asks for about one policy ("Per-policy diagnostics").
public struct PolicyMetrics: Sendable, Equatable {
    /// `E_π[r]`.
    public let expectedReward: Double
    /// `H(π)` in nats.
    public let entropy: Double
    /// `J_RKL(π)`, possibly `−∞`.
    public let reverseKLObjective: Double
    /// `J_FKL(π)`, possibly `−∞`.
    public let forwardKLObjective: Double
    /// `KL(π ‖ π_k)` for every reference, possibly `+∞`.
    public let klTo: [Double]
    /// `KL(π_k ‖ π)` for every reference, possibly `+∞`.
    public let klFrom: [Double]
    /// `max_y π(y)/π_k(y)` for every reference, possibly `+∞`.
    public let coverage: [Double]

    /// Computes every diagnostic of `policy` in `problem`. Pass the references in linear
    /// space (`ReferenceAggregates.probabilities`) to save their exponentials.
    public init(_ policy: Policy, in problem: Problem, referenceProbabilities: [[Double]]? = nil) {
        let logP = policy.logProbabilities
        let n = logP.count, k = problem.referenceCount
        var expectation = 0.0, entropy = 0.0
        var to = [Double](repeating: 0, count: k), from = to, largestRatio = [Double](repeating: -.infinity, count: k)
        var toIsInfinite = [Bool](repeating: false, count: k), fromIsInfinite = toIsInfinite
        // Blocks of responses: π(y) is exponentiated once per block into a small buffer (not an
        // array of n), then each reference passes over the block.
        let blockSize = 2048
        var p = [Double](repeating: 0, count: min(n, blockSize))
        var q = referenceProbabilities == nil ? p : []
        var start = 0
        while start < n {
            let end = min(start + blockSize, n)
            logP.withUnsafeBufferPointer { logP in
                p.withUnsafeMutableBufferPointer { p in
                    VectorMath.exp(UnsafeBufferPointer(rebasing: logP[start..<end]), into: UnsafeMutableBufferPointer(rebasing: p[0..<(end - start)]))
                }
            }
            let moments = logP.withUnsafeBufferPointer { logP in
                problem.rewards.withUnsafeBufferPointer { rewards in
                    klscope_reward_and_entropy(p, logP.baseAddress! + start, rewards.baseAddress! + start, end - start)
                }
            }
            expectation += moments.expectedReward
            entropy += moments.entropy
            for r in 0..<k {
                let logQ = problem.logReferences[r]
                let given = referenceProbabilities?[r]
                if given == nil {
                    logQ.withUnsafeBufferPointer { logQ in
                        q.withUnsafeMutableBufferPointer { q in
                            VectorMath.exp(UnsafeBufferPointer(rebasing: logQ[start..<end]), into: UnsafeMutableBufferPointer(rebasing: q[0..<(end - start)]))
                        }
                    }
                }
                let block = logP.withUnsafeBufferPointer { logP in
                    logQ.withUnsafeBufferPointer { logQ in
                        (given ?? q).withUnsafeBufferPointer { q in
                            klscope_divergence_block(logP.baseAddress! + start, p, logQ.baseAddress! + start,
                                                     q.baseAddress! + (given == nil ? 0 : start), end - start)
                        }
                    }
                }
                to[r] += block.to
                from[r] += block.from
                largestRatio[r] = max(largestRatio[r], block.ratio)
                if block.policyOnly != 0 { toIsInfinite[r] = true }
                if block.referenceOnly != 0 { fromIsInfinite[r] = true }
            }
            start = end
        }
        let klTo = (0..<k).map { toIsInfinite[$0] ? .infinity : max(0, to[$0]) }
        let klFrom = (0..<k).map { fromIsInfinite[$0] ? .infinity : max(0, from[$0]) }
        let coverage = (0..<k).map { toIsInfinite[$0] ? .infinity : exp(largestRatio[$0]) }
        self.init(expectedReward: expectation, entropy: max(0, entropy), klTo: klTo, klFrom: klFrom, coverage: coverage, problem)
    }

    /// The diagnostics of the same policy in a problem that differs only in `β` or the rewards
    /// (the references and weights are the same): the entropy and divergences carry over, the
    /// objectives are recomputed from them with `expectedReward`, `E_π[r]` under the new rewards.
    public func rescored(for problem: Problem, expectedReward: Double) -> PolicyMetrics {
        PolicyMetrics(expectedReward: expectedReward, entropy: entropy, klTo: klTo, klFrom: klFrom, coverage: coverage, problem)
    }

    private init(expectedReward: Double, entropy: Double, klTo: [Double], klFrom: [Double], coverage: [Double], _ problem: Problem) {
        self.expectedReward = expectedReward
        self.entropy = entropy
        self.klTo = klTo
        self.klFrom = klFrom
        self.coverage = coverage
        reverseKLObjective = Objective.penalised(expectedReward: expectedReward, divergences: klTo, problem)
        forwardKLObjective = Objective.penalised(expectedReward: expectedReward, divergences: klFrom, problem)
    }

    /// Computes every diagnostic of `policy` in the problem `solution` solves.
    public init(_ policy: Policy, in solution: Solution) {
        self.init(policy, in: solution.problem, referenceProbabilities: solution.aggregates.probabilities)
    }
}
