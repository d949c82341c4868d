extension CoverageLab {
    /// What a run fixes before drawing anything: the true solution, which methods can be
    /// measured, and a pair sampler per distinct sampling policy.
    struct Plan: Sendable {
        let problem: Problem
        let configuration: Configuration
        let truth: Solution
        let methods: [KLMethod]
        let omitted: [(method: KLMethod, reason: Omission)]
        let samplers: [SamplerUse]
        let pairSamplers: [PairSampler]
        /// `max J(π; r)` per measured method, in the objective it is judged by.
        let optimalValues: [Double]
        /// The maximum of each measured method's own objective with the true reward.
        let ownValues: [Double]
        /// The mass of each measured method's true optimum on responses its sampler never draws.
        let optimumMassNeverSampled: [KLMethod: Double]

        init(_ problem: Problem, _ configuration: Configuration) {
            self.problem = problem
            self.configuration = configuration
            let truth = Solution(problem)
            self.truth = truth
            var methods: [KLMethod] = [], omitted: [(method: KLMethod, reason: Omission)] = []
            var samplers: [SamplerUse] = [], pairSamplers: [PairSampler] = []
            var optimalValues: [Double] = [], ownValues: [Double] = []
            var optimumMassNeverSampled: [KLMethod: Double] = [:]
            for method in KLMethod.allCases {
                let sampler = configuration.sampler(for: method)
                if case .reference(let k) = sampler { precondition(k >= 0 && k < problem.referenceCount, "no reference \(k)") }
                // The method's policy exists exactly when its values do.
                guard let optimum = truth.policy(method.policyID), let optimal = method.optimalValue(truth),
                      let own = method.ownValue(truth) else {
                    omitted.append((method, .emptyIntersection))
                    continue
                }
                guard let policy = truth.policy(sampler.policyID) else {
                    omitted.append((method, .samplerMissing(sampler)))
                    continue
                }
                methods.append(method)
                optimalValues.append(optimal)
                ownValues.append(own)
                let support = policy.support
                let neverSampled = support.indices.filter { !support[$0] }
                optimumMassNeverSampled[method] = neverSampled.reduce(0) { $0 + optimum.probability($1) }
                if let slot = samplers.firstIndex(where: { $0.sampler == sampler }) {
                    let use = samplers[slot]
                    samplers[slot] = SamplerUse(sampler: sampler, methods: use.methods + [method],
                                                probabilities: use.probabilities, neverSampled: use.neverSampled)
                } else {
                    samplers.append(SamplerUse(sampler: sampler, methods: [method],
                                               probabilities: policy.probabilities, neverSampled: neverSampled))
                    pairSamplers.append(PairSampler(policy))
                }
            }
            self.methods = methods
            self.omitted = omitted
            self.samplers = samplers
            self.pairSamplers = pairSamplers
            self.optimalValues = optimalValues
            self.ownValues = ownValues
            self.optimumMassNeverSampled = optimumMassNeverSampled
        }

        /// One seed at one `m`: per sampler, draw, label and fit; per method, solve and measure.
        func measure(pairs m: Int, seedIndex: Int) -> SeedOutcome {
            let seed = SplitMix64.derivedSeed(configuration.baseSeed, UInt64(m), UInt64(seedIndex))
            let rewards = problem.rewards
            var fits: [FitOutcome] = []
            var gaps = [(suboptimality: Double, optimality: Double)](repeating: (0, 0), count: methods.count)
            for (slot, use) in samplers.enumerated() {
                var generator = SplitMix64(seed: seed)
                let comparisons = BradleyTerry.comparisons(m, from: pairSamplers[slot], rewards: rewards, using: &generator)
                let tally = ComparisonTally(comparisons, responseCount: problem.responseCount)
                let fit = RewardFit(tally, ridge: configuration.ridge)
                let fitted = configuration.rewardBound.map { bound in fit.rewards.map { min(bound, max(-bound, $0)) } } ?? fit.rewards
                // The constant c that matches r̂ to r on average over the compared responses.
                let compared = rewards.indices.filter { fit.compared[$0] }
                let shift = compared.isEmpty ? 0 : compared.reduce(0) { $0 + rewards[$1] - fitted[$1] } / Double(compared.count)
                fits.append(FitOutcome(
                    draws: tally.draws,
                    errors: rewards.indices.map { fit.compared[$0] ? abs(fitted[$0] + shift - rewards[$0]) : nil },
                    iterations: fit.iterations, gradientNorm: fit.gradientNorm))

                var fittedProblem = problem
                fittedProblem.rewards = fitted
                let solution = Solution(fittedProblem, reusing: truth)
                for method in use.methods {
                    let index = methods.firstIndex(of: method)!
                    // Same references and weights as the truth, so the policy and its value exist.
                    let policy = solution.policy(method.policyID)!
                    let optimum = optimalValues[index]
                    gaps[index] = (
                        CoverageLab.clampRounding(optimum - method.objective(policy, problem), optimum: optimum),
                        abs(ownValues[index] - (method.ownValue(solution)! + shift)))
                }
            }
            return SeedOutcome(fits: fits, gaps: gaps)
        }

        /// The statistics over the seeds of one `m`.
        func summarise(pairs m: Int, _ outcomes: [SeedOutcome]) -> Step {
            let seeds = Double(outcomes.count)
            let methodSteps = methods.indices.map { index in
                MethodStep(method: methods[index],
                           suboptimality: GapStatistics(outcomes.map { $0.gaps[index].suboptimality }),
                           optimality: GapStatistics(outcomes.map { $0.gaps[index].optimality }))
            }
            let samplerSteps = samplers.indices.map { slot in
                let fits = outcomes.map { $0.fits[slot] }
                let responses = problem.rewards.indices.map { y in
                    let errors = fits.compactMap { $0.errors[y] }
                    return ResponseCoverage(
                        meanDraws: Double(fits.reduce(0) { $0 + $1.draws[y] }) / seeds,
                        comparedFraction: Double(errors.count) / seeds,
                        meanAbsoluteError: errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count))
                }
                return SamplerStep(sampler: samplers[slot].sampler, responses: responses,
                                   maximumIterations: fits.map(\.iterations).max()!,
                                   maximumGradientNorm: fits.map(\.gradientNorm).max()!)
            }
            return Step(pairCount: m, methods: methodSteps, samplers: samplerSteps)
        }
    }

    /// One seed's fit for one sampler.
    struct FitOutcome: Sendable {
        let draws: [Int]
        /// `|r̂ + c − r|` where compared, nil elsewhere.
        let errors: [Double?]
        let iterations: Int
        let gradientNorm: Double
    }

    /// One seed's results at one `m`.
    struct SeedOutcome: Sendable {
        /// One per sampler in use.
        let fits: [FitOutcome]
        /// One per measured method.
        let gaps: [(suboptimality: Double, optimality: Double)]
    }
}
