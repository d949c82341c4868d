import Foundation
import Testing
import TestSupport
@testable import KLMath
import KLScenario

/// The example scenarios the lab tests lean on, in plain numbers.
enum LabFixtures {
    /// examples/chat-vs-math.yaml: `I` = {greet, answer, refuse}; the math reference never jokes.
    static let chatMath = Problem(
        rewards: [0.1, -0.3, 1.0, 1.4, -1.0],
        logReferences: [LogSpace.logs(of: [0.35, 0.25, 0.30, 0, 0.10]), LogSpace.logs(of: [0.10, 0, 0.50, 0.35, 0.05])],
        weights: [0.6, 0.4], beta: 0.5)
    static let chatMathNames = ["greet", "joke", "answer", "derive", "refuse"]

    /// examples/disjoint.yaml: no response is supported by both references.
    static let disjoint = Problem(
        rewards: [0.6, 0.9, 0.2, 1.0, 0.7, -0.5],
        logReferences: [LogSpace.logs(of: [0.5, 0.3, 0.2, 0, 0, 0]), LogSpace.logs(of: [0, 0, 0, 0.6, 0.3, 0.1])],
        weights: [0.5, 0.5], beta: 0.5)

    /// examples/escape.yaml: the best response, "novel proof", is outside the union.
    static let escape = Problem(
        rewards: [1.0, 0.5, -1.0, 2.0],
        logReferences: [LogSpace.logs(of: [0.6, 0.3, 0.1, 0]), LogSpace.logs(of: [0.3, 0.4, 0.3, 0])],
        weights: [0.5, 0.5], beta: 0.5)

    /// `count` labelled comparisons drawn from `policy` with seed `seed`.
    static func tally(_ problem: Problem, from policy: Policy, pairs count: Int, seed: UInt64) -> ComparisonTally {
        var generator = SplitMix64(seed: seed)
        let comparisons = BradleyTerry.comparisons(count, from: PairSampler(policy), rewards: problem.rewards, using: &generator)
        return ComparisonTally(comparisons, responseCount: problem.responseCount)
    }

    /// A small, fast configuration: `pairs`, a few seeds.
    static func small(_ pairs: [Int], seeds: Int = 4, seed: UInt64 = 7, sampler: CoverageLab.Sampler? = nil) -> CoverageLab.Configuration {
        let samplers = sampler.map { s in Dictionary(uniqueKeysWithValues: KLMethod.allCases.map { ($0, s) }) } ?? [:]
        return CoverageLab.Configuration(pairCounts: pairs, seeds: seeds, baseSeed: seed, samplers: samplers)
    }
}

@Suite("Coverage lab: sampling, Bradley–Terry, reward fit, gaps")
struct LabTests {
    // MARK: Random numbers and sampling

    @Test("SplitMix64 gives the reference sequence; derived seeds depend on every index and their order")
    func generatorIsReproducible() {
        var generator = SplitMix64(seed: 0)
        #expect([generator.next(), generator.next(), generator.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        let seeds = [SplitMix64.derivedSeed(1, 10, 0), SplitMix64.derivedSeed(1, 10, 1), SplitMix64.derivedSeed(1, 0, 10),
                     SplitMix64.derivedSeed(2, 10, 0), SplitMix64.derivedSeed(1, 11, 0)]
        #expect(Set(seeds).count == seeds.count)
        #expect(SplitMix64.derivedSeed(1, 10, 0) == SplitMix64.derivedSeed(1, 10, 0))
    }

    @Test("The pair sampler draws in proportion to the policy, never a zero, and the same indices on every machine")
    func samplerFrequencies() {
        let probabilities = [0.5, 0, 0.3, 0.15, 0.05, 0]
        let sampler = PairSampler(Policy(probabilities: probabilities))
        #expect(sampler.support == [0, 2, 3, 4])
        var generator = SplitMix64(seed: 3)
        let draws = 200_000
        var counts = [Int](repeating: 0, count: probabilities.count)
        for _ in 0..<draws / 2 {
            let pair = sampler.drawPair(using: &generator)
            counts[pair.first] += 1
            counts[pair.second] += 1
        }
        for (y, p) in probabilities.enumerated() {
            let expected = p * Double(draws)
            let sigma = (Double(draws) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[y]) - expected) <= 5 * sigma + (p == 0 ? 0 : 1), "response \(y): \(counts[y]) draws, expected \(expected)")
        }
        // Golden draws: integer arithmetic on SplitMix64 and one alias table, identical everywhere.
        var golden = SplitMix64(seed: 42)
        #expect((0..<12).map { _ in sampler.draw(using: &golden) } == LabTests.goldenDraws)
    }

    static let goldenDraws = [0, 0, 2, 2, 0, 2, 0, 2, 2, 3, 0, 0]

    // MARK: Bradley–Terry

    @Test("σ and log σ are finite, complementary and accurate far into both tails")
    func sigmoidIsStable() {
        for x in [-1e6, -800, -40, -1, -1e-12, 0, 1e-12, 1, 40, 800, 1e6] {
            let s = BradleyTerry.sigmoid(x), t = BradleyTerry.sigmoid(-x)
            #expect(s.isFinite && s >= 0 && s <= 1)
            #expect(isClose(s + t, 1, within: 1e-15))
            #expect(BradleyTerry.logSigmoid(x).isFinite)
        }
        #expect(BradleyTerry.logSigmoid(0) == -log(2.0))
        #expect(abs(BradleyTerry.logSigmoid(-800) + 800) < 1e-12)
        #expect(abs(BradleyTerry.logSigmoid(-30) - log(BradleyTerry.sigmoid(-30))) < 1e-14)
        #expect(BradleyTerry.logSigmoid(40) < 0 && abs(BradleyTerry.logSigmoid(40) + exp(-40.0)) < 1e-30)
    }

    @Test("Labels follow σ(r(y) − r(y')): the better response wins as often as Bradley–Terry says")
    func labelsFollowBradleyTerry() {
        let rewards = [0.9, 0.2]
        var generator = SplitMix64(seed: 11)
        let trials = 100_000
        var firstWins = 0
        for trial in 0..<trials {
            // Alternate the order of presentation: the label must not depend on it.
            let comparison = trial % 2 == 0 ? BradleyTerry.label(0, 1, rewards: rewards, using: &generator)
                                            : BradleyTerry.label(1, 0, rewards: rewards, using: &generator)
            if comparison.winner == 0 { firstWins += 1 }
        }
        let p = BradleyTerry.sigmoid(0.7)
        let sigma = (Double(trials) * p * (1 - p)).squareRoot()
        #expect(abs(Double(firstWins) - p * Double(trials)) < 5 * sigma)
    }

    @Test("A tally does not depend on the order of the comparisons; self-comparisons are draws, not evidence")
    func tallyIsOrderFree() {
        let comparisons = [Comparison(winner: 2, loser: 0), Comparison(winner: 0, loser: 2), Comparison(winner: 1, loser: 1),
                           Comparison(winner: 2, loser: 0), Comparison(winner: 3, loser: 2)]
        let tally = ComparisonTally(comparisons, responseCount: 5)
        #expect(tally == ComparisonTally(comparisons.reversed(), responseCount: 5))
        #expect(tally.entries == [ComparisonTally.Entry(first: 0, second: 2, count: 3, firstWins: 1),
                                  ComparisonTally.Entry(first: 2, second: 3, count: 1, firstWins: 0)])
        #expect(tally.draws == [3, 2, 4, 1, 0])
        #expect(tally.compared == [true, false, true, true, false])
    }

    // MARK: Reward fit

    @Test("No small perturbation of the fit improves the (penalised) likelihood; Newton converged")
    func fitIsAMaximum() {
        var random = TestRandom(61)
        for (trial, pairs) in [3, 12, 60, 300, 2_000].enumerated() {
            let problem = random.problem(n: 6, k: 2, zeroChance: 0.2)
            let sampler = Solution(problem).mixture
            let tally = LabFixtures.tally(problem, from: sampler, pairs: pairs, seed: UInt64(trial))
            let fit = RewardFit(tally)
            #expect(fit.iterations < RewardFit.maximumIterations)
            let informative = tally.entries.reduce(0) { $0 + $1.count }
            #expect(fit.gradientNorm <= RewardFit.gradientTolerance * Double(max(1, informative)))
            let best = RewardFit.objective(fit.rewards, tally, ridge: fit.ridge)
            var directions: [[Double]] = (0..<6).map { y in (0..<6).map { $0 == y ? 1 : 0 } }
            directions += (0..<20).map { _ in (0..<6).map { _ in random.uniform(-1, 1) } }
            for direction in directions {
                for step in [1e-2, 1e-4, -1e-4, -1e-2] {
                    let moved = zip(fit.rewards, direction).map { $0 + step * $1 }
                    #expect(RewardFit.objective(moved, tally, ridge: fit.ridge) <= best,
                            "m = \(pairs): a step of \(step) improves the fit")
                }
            }
        }
    }

    @Test("A response the sampler never draws keeps r̂ = 0 exactly, however many comparisons")
    func neverSampledStaysAtZero() {
        // The math reference never jokes (response 1).
        let math = Policy(logProbabilities: LabFixtures.chatMath.logReferences[1])
        for pairs in [5, 500, 5_000] {
            let tally = LabFixtures.tally(LabFixtures.chatMath, from: math, pairs: pairs, seed: 5)
            let fit = RewardFit(tally)
            #expect(fit.rewards[1] == 0 && !fit.compared[1] && tally.draws[1] == 0)
            #expect(fit.rewards.enumerated().allSatisfy { $1.isFinite && ($0 == 1 || fit.compared[$0] || $1 == 0) })
        }
    }

    @Test("With many comparisons the fit equals the true reward up to a constant on the compared responses")
    func fitRecoversReward() {
        // The sampler never draws the last response: it is not covered, and keeps r̂ = 0.
        let rewards = [1.0, 0.8, 0.4, -0.5, -2.0, 3.0]
        let problem = Problem(rewards: rewards, logReferences: [LogSpace.logs(of: [0.2, 0.2, 0.2, 0.2, 0.2, 0])], weights: [1], beta: 1)
        func centredError(_ pairs: Int) -> Double {
            let fit = RewardFit(LabFixtures.tally(problem, from: Policy(logProbabilities: problem.logReferences[0]), pairs: pairs, seed: 9))
            #expect(fit.compared == [true, true, true, true, true, false] && fit.rewards[5] == 0)
            let covered = 0..<5
            let shift = covered.reduce(0) { $0 + rewards[$1] - fit.rewards[$1] } / 5
            return covered.map { abs(fit.rewards[$0] + shift - rewards[$0]) }.max()!
        }
        let large = centredError(40_000)
        #expect(large < 0.06)
        #expect(large < centredError(400) / 3)
    }

    // MARK: The lab

    @Test("Sub-optimality gaps are never negative, and only rounding-level negatives are clamped")
    func gapsAreNonNegative() throws {
        #expect(CoverageLab.clampRounding(-1e-15, optimum: 1) == 0)
        #expect(CoverageLab.clampRounding(-1e-10, optimum: 1e3) == 0)
        #expect(CoverageLab.clampRounding(-1e-6, optimum: 1) == -1e-6)
        #expect(CoverageLab.clampRounding(2e-3, optimum: 1) == 2e-3)
        var random = TestRandom(62)
        var problems = [LabFixtures.chatMath, LabFixtures.disjoint, LabFixtures.escape]
        problems += (0..<4).map { random.problem(n: 7, k: 2 + $0 % 2, zeroChance: 0.15) }
        var tiny = LabFixtures.chatMath
        tiny.beta = 0.01
        problems.append(tiny)
        for problem in problems {
            for sampler: CoverageLab.Sampler? in [nil, .mixture, .reference(0)] {
                let report = try #require(CoverageLab.run(problem, configuration: LabFixtures.small([4, 40, 400], seeds: 3, sampler: sampler)))
                for step in report.steps {
                    for result in step.methods {
                        #expect(result.suboptimality.samples.allSatisfy { $0 >= 0 && $0.isFinite })
                        #expect(result.optimality.samples.allSatisfy { $0 >= 0 && $0.isFinite })
                    }
                }
            }
        }
    }

    @Test("Same seed, same numbers: rerun, other grids and more seeds reproduce every run; another seed differs")
    func sameSeedSameNumbers() throws {
        let problem = LabFixtures.chatMath
        let first = try #require(CoverageLab.run(problem, configuration: LabFixtures.small([10, 100], seeds: 5)))
        let again = try #require(CoverageLab.run(problem, configuration: LabFixtures.small([10, 100], seeds: 5)))
        #expect(first == again)
        // A run's numbers depend on (seed, m, seed index) only, not on the grid or the seed count.
        let other = try #require(CoverageLab.run(problem, configuration: LabFixtures.small([3, 100, 1_000], seeds: 7)))
        for method in first.methods {
            let a = try #require(first.steps[1].method(method)), b = try #require(other.steps[1].method(method))
            #expect(Array(b.suboptimality.samples.prefix(5)) == a.suboptimality.samples)
            #expect(Array(b.optimality.samples.prefix(5)) == a.optimality.samples)
        }
        let reseeded = try #require(CoverageLab.run(problem, configuration: LabFixtures.small([10, 100], seeds: 5, seed: 8)))
        #expect(reseeded.steps != first.steps)
    }

    @Test("A sampler that never draws a response: zero coverage, and the note names it")
    func neverSampledNote() throws {
        let report = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: LabFixtures.small([20, 200], seeds: 3, sampler: .reference(1))))
        #expect(report.samplers.count == 1 && report.samplers[0].neverSampled == [1])
        for step in report.steps {
            let joke = step.samplers[0].responses[1]
            #expect(joke.meanDraws == 0 && joke.comparedFraction == 0 && joke.meanAbsoluteError == nil)
        }
        let notes = report.notes(responseNames: LabFixtures.chatMathNames, referenceNames: ["chat", "math"])
        #expect(notes.contains("never sampled by math (the sampler of RKL, FKL and MRPO): joke — its fitted reward stays at 0."))
        // By default π_G (RKL, MRPO) never draws joke or derive; π_A (FKL) draws everything.
        let defaults = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: LabFixtures.small([20], seeds: 2)))
        #expect(defaults.samplers.map(\.neverSampled) == [[1, 3], []])
        #expect(defaults.notes(responseNames: LabFixtures.chatMathNames, referenceNames: ["chat", "math"])
            .contains { $0.hasPrefix("never sampled by π_G (the sampler of RKL and MRPO): joke, derive — their fitted reward stays at 0") })
    }

    @Test("An empty intersection: RKL and MRPO are not measured, FKL is, and the notes say why")
    func emptyIntersection() throws {
        let report = try #require(CoverageLab.run(LabFixtures.disjoint, configuration: LabFixtures.small([10, 100], seeds: 2)))
        #expect(report.methods == [.forwardKL])
        #expect(report.omitted.map(\.method) == [.reverseKL, .mrpo])
        #expect(report.steps.allSatisfy { $0.methods.map(\.method) == [.forwardKL] })
        let notes = report.notes(responseNames: (0..<6).map { "y\($0)" }, referenceNames: ["english", "french"])
        #expect(notes.first == "The references share no response (the support intersection is empty): RKL and MRPO are undefined and not measured; FKL is measured alone.")
        let none = try #require(CoverageLab.run(LabFixtures.disjoint, configuration: LabFixtures.small([10], seeds: 2, sampler: .escort)))
        #expect(none.methods.isEmpty && none.steps[0].methods.isEmpty)
        #expect(none.omitted.contains { $0.method == .forwardKL && $0.reason == .samplerMissing(.escort) })
        #expect(none.notes(responseNames: (0..<6).map { "y\($0)" }, referenceNames: ["english", "french"])
            .contains("FKL's sampler π_G does not exist (the support intersection is empty): FKL is not measured."))
    }

    @Test("Progress arrives once per m, in order; cancelling stops the run")
    func progressAndCancellation() throws {
        let configuration = LabFixtures.small([5, 50, 500], seeds: 3)
        var seen: [Int] = []
        let report = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: configuration, progress: { seen.append($0.steps.count) }))
        #expect(seen == [1, 2, 3] && report.isComplete)
        let flag = CancelFlag()
        var partial: [CoverageLab.Report] = []
        let cancelled = CoverageLab.run(LabFixtures.chatMath, configuration: configuration, isCancelled: { flag.isSet }, progress: {
            partial.append($0)
            flag.set()
        })
        #expect(cancelled == nil)
        #expect(partial.count == 1 && !partial[0].isComplete && partial[0].steps == Array(report.steps.prefix(1)))
    }

    @Test("On chat-vs-math RKL's sub-optimality gap shrinks about as 1/m, its optimality gap about as 1/√m")
    func learningCurveSlopes() throws {
        let configuration = CoverageLab.Configuration(pairCounts: CoverageLab.Configuration.logGrid(from: 30, to: 3_000, steps: 5), seeds: 12)
        let report = try #require(CoverageLab.run(LabFixtures.chatMath, configuration: configuration))
        let suboptimality = try #require(report.slope(.reverseKL, .suboptimality))
        let optimality = try #require(report.slope(.reverseKL, .optimality))
        #expect(suboptimality < -0.7 && suboptimality > -1.4)
        #expect(optimality < -0.3 && optimality > -0.9)
        let mrpoGap = try #require(report.mrpoGap)
        #expect(report.notes(responseNames: LabFixtures.chatMathNames, referenceNames: ["chat", "math"])
            .contains { $0.hasPrefix("MRPO is judged in the exact RKL objective") && $0.contains(LabWords.rounded(mrpoGap)) })
    }

    @Test("Escape: FKL's optimum sits where π_A never samples, so its gap levels off, and the note says so")
    func escapeLevelsOff() throws {
        let report = try #require(CoverageLab.run(LabFixtures.escape, configuration: LabFixtures.small([100, 10_000], seeds: 2)))
        let mass = try #require(report.optimumMassNeverSampled[.forwardKL])
        #expect(mass > 0.3)
        let fkl = report.steps.map { $0.method(.forwardKL)!.suboptimality.mean }
        #expect(fkl[1] > 0.3 * fkl[0])
        let notes = report.notes(responseNames: ["textbook proof", "sketch", "wrong proof", "novel proof"], referenceNames: ["tutor", "student"])
        #expect(notes.contains { $0.hasPrefix("FKL's optimum puts") })
        #expect(notes.contains { $0.contains("do not test the paper's claim") && $0.contains("FKL levels off") })
    }

    // MARK: Grid and statistics

    @Test("The log grid: 10 … 10,000 in 8 steps, and duplicates removed on a narrow range")
    func logGrid() {
        #expect(CoverageLab.Configuration.logGrid(from: 10, to: 10_000, steps: 8) == [10, 27, 72, 193, 518, 1389, 3728, 10000])
        #expect(CoverageLab.Configuration.logGrid(from: 1, to: 3, steps: 8) == [1, 2, 3])
        #expect(CoverageLab.Configuration.logGrid(from: 50, to: 50, steps: 8) == [50])
        #expect(CoverageLab.Configuration().pairCounts == [1000, 2512, 6310, 15849, 39811, 100000])
        #expect(CoverageLab.Configuration().seeds == 100)
    }

    @Test("The log–log slope recovers a power law; mean, extremes and quartiles of a known sample")
    func slopeAndStatistics() throws {
        let points = [10.0, 100, 1_000, 10_000].map { (x: $0, y: 3 * pow($0, -0.75)) }
        #expect(abs(try #require(CoverageLab.logLogSlope(points)) + 0.75) < 1e-12)
        #expect(CoverageLab.logLogSlope([(10, 1), (100, 0)]) == nil)
        let statistics = CoverageLab.GapStatistics([4, 1, 3, 2])
        #expect(statistics.mean == 2.5 && statistics.minimum == 1 && statistics.maximum == 4)
        #expect(statistics.lowerQuartile == 1.75 && statistics.median == 2.5 && statistics.upperQuartile == 3.25)
        // The 95% interval of the mean: 2.5 ± 1.96 √(s²/n), s² = (2.25 + 2.25 + 0.25 + 0.25)/3 = 5/3, n = 4.
        let interval = try #require(statistics.meanInterval)
        #expect(isClose(interval.lowerBound, 2.5 - 1.96 * (5.0 / 12).squareRoot(), within: 1e-12))
        #expect(isClose(interval.upperBound, 2.5 + 1.96 * (5.0 / 12).squareRoot(), within: 1e-12))
        #expect(CoverageLab.GapStatistics([0.3]).meanInterval == nil, "one seed has no spread")
        #expect(CoverageLab.GapStatistics([0.3, 0.3]).meanInterval == 0.3...0.3)
        #expect(LabWords.rounded(-1.0234, decimals: 2) == "−1.02" && LabWords.rounded(-1.1, decimals: 2) == "−1.10")
        #expect(LabWords.rounded(0.625) == "0.625" && LabWords.rounded(1234.5) == "1235" && LabWords.rounded(0) == "0")
        #expect(LabWords.rounded(0.000475123) == "0.000475" && LabWords.rounded(1.2345e-7) == "1.23e-7")
    }
}

/// A cancellation flag shared with the lab's worker threads.
private final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
