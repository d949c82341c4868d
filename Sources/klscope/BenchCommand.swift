import ArgumentParser
import Explorer
import Foundation
import KLMath
import KLScenario
import TerminalUI

/// `klscope bench`: times a full solve, one explorer frame and one coverage-lab run on
/// synthetic scenarios, each against a baseline measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time full solves, explorer frames and lab runs on synthetic scenarios (use a release build).",
        discussion: """
            solve: for n = 10^3 … 10^6 responses and K = 2 … 4 references, the time of a full \
            solve beside the time of one pass that only sums the input arrays, and their ratio; \
            where python3 imports numpy, also the same outputs computed by bench/numpy_peer.py, \
            timed alternating with the solve, the ratio of the two, and whether every output agrees. \
            frame: one explorer frame (a β key → update → solve → view into a 120×40 grid) for \
            7, 1,000, 10,000 and 100,000 responses with 3 references. lab: one full coverage-lab run \
            (m = 1,000 … 100,000 in 6 steps, 100 seeds, default samplers, seeds on all cores) on 7 responses \
            with 3 references, beside one solve of the same scenario. \
            vocab: vocabulary-scale scenarios (n = 150,000 and 10^6, K = 2 and 4): a full solve, \
            explorer frames (a β key → update → solve → view; sorted by RKL*; with the tail \
            summed), and the peak memory of a fresh klscope process that loads the scenario from \
            .npy files and either explores it or solves it, against the size of the input arrays. \
            load: seconds and peak memory of loading big scenarios (100 MB inline as YAML and JSON, \
            a 20 MB CSV, 10^6 inline responses) in a fresh process, against reading the same files.
            """
    )

    /// Which benchmark to run.
    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case solve, frame, lab, vocab, load, all
    }

    @Argument(help: "solve, frame, lab, vocab, load or all.")
    var suite: Suite = .all

    @Option(help: "Largest n for the solve suite (a power of ten).")
    var maxResponses: Int = 1_000_000

    @Option(help: "Minimum seconds spent timing each case.")
    var seconds: Double = 0.3

    /// Set when `bench vocab` runs this process as one memory probe (`explore` or `solve`).
    @Option(help: .hidden)
    var memoryProbe: String?

    /// The scenario file the memory probe loads.
    @Option(help: .hidden)
    var probeFile: String?

    func run() throws {
        if let memoryProbe, let probeFile, let mode = MemoryProbe.Mode(rawValue: memoryProbe) {
            try MemoryProbe.run(mode, file: URL(fileURLWithPath: probeFile))
            return
        }
        #if DEBUG
        print("warning: this is a debug build; time a release build: swift run -c release klscope bench")
        #endif
        if suite == .solve || suite == .all { try solveTable() }
        if suite == .frame || suite == .all { frameTable() }
        if suite == .all { print() }
        if suite == .lab || suite == .all { labTable() }
        if suite == .vocab || suite == .all { try vocabTable() }
        if suite == .load || suite == .all { try LoadBench.run() }
    }

    /// Vocabulary-scale scenarios: solve and frame times in this process, and peak memory
    /// measured by `MemoryProbe` in fresh processes that load the scenario from `.npy` files.
    private func vocabTable() throws {
        if suite == .all { print() }
        print("Vocabulary scale: full solve, explorer frames (120×40), and peak memory of a fresh process that loads the scenario from .npy files")
        print(row(["n", "K", "input", "solve", "frame", "β key with journal", "DPO view (d)", "sorted frame", "sort (t)", "rest frame", "explore peak", "/input", "solve peak", "/input"]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var constant = 0.0
        for n in [150_000, 1_000_000] {
            for k in [2, 4] {
                let scenario = SyntheticScenario.make(responses: n, references: k, seed: UInt64(n + k))
                let solve = Stopwatch.median(seconds: seconds) { blackHole(Solution(scenario.problem).forwardKL.lambda) }
                let session = ExplorerSession(scenario: scenario, file: nil, options: ExplorerOptions(), workingDirectory: URL(fileURLWithPath: "."))
                session.handle([.resize(width: 120, height: 40)])
                var step = 0
                /// One frame: the next of `key`'s keys, `then`, and the view drawn.
                func press(_ key: (Int) -> Key, then: () -> Void = {}) {
                    step += 1
                    session.handle([.key(key(step))])
                    then()
                    blackHole(Double(session.view(width: 120, height: 40).width))
                }
                func frame(_ key: (Int) -> Key) -> Double { Stopwatch.median(seconds: seconds) { press(key) } }
                let betaKey: (Int) -> Key = { $0 % 2 == 0 ? .right : .left }
                // The same frame with this explorer's recovery journal kept up to date after the
                // key, alternating with frames without it so that both meet the same machine.
                var keeper = RecoveryKeeper(directory: folder.appendingPathComponent("journal-\(n)-\(k)"))
                keeper.start(session)
                let (plain, journaled) = Stopwatch.alternatingMedians(seconds: seconds, { press(betaKey) }, {
                    press(betaKey) { keeper.update(session, force: true) }
                })
                keeper.finish()
                // The DPO view's table scrolled a row at a time.
                session.handle([.key(.character("d"))])
                let dpo = frame { $0 % 2 == 0 ? .down : .up }
                session.handle([.key(.escape)])
                // Sort by RKL*: file → reward → K references → π_G → π_A → π_H → RKL*.
                let clock = ContinuousClock()
                let sortStart = clock.now
                for _ in 0..<(k + 5) { session.handle([.key(.character("t"))]) }
                let sort = Stopwatch.seconds(clock.now - sortStart) / Double(k + 5)
                let navigation = frame { $0 % 2 == 0 ? .character("j") : .character("k") }
                let sorted = frame(betaKey)
                session.handle([.key(.character("a"))])
                let tail = frame(betaKey)

                let directory = folder.appendingPathComponent("\(n)-\(k)")
                try MemoryProbe.write(scenario, to: directory)
                let file = directory.appendingPathComponent("scenario.yaml")
                let explore = try MemoryProbe.measure(.explore, file: file)
                let solved = try MemoryProbe.measure(.solve, file: file)
                try? FileManager.default.removeItem(at: directory)
                constant = max(constant, explore.baseline, solved.baseline)
                func peak(_ result: MemoryProbe.Result) -> [String] {
                    [Self.megabytes(result.peak - result.baseline), String(format: "%.1f×", (result.peak - result.baseline) / result.input)]
                }
                print(row(["\(n)", "\(k)", Self.megabytes(explore.input), Stopwatch.describe(solve), Stopwatch.describe(plain),
                           Stopwatch.describe(journaled) + " (\(journaled >= plain ? "+" : "−")\(Stopwatch.describe(abs(journaled - plain))))",
                           Stopwatch.describe(dpo), Stopwatch.describe(navigation) + " / " + Stopwatch.describe(sorted), Stopwatch.describe(sort),
                           Stopwatch.describe(tail)] + peak(explore) + peak(solved)))
            }
        }
        print("frame: a β key (update, re-solve, view); β key with journal: the same with the recovery journal written after it")
        print("(its difference from frame; the two alternate); DPO view (d): a ↓ or ↑ key scrolling the DPO view's table; sorted")
        print("frame: a navigation key / a β key (re-solve and re-sort) by RKL*; sort (t): one t key; rest frame: a β key with the")
        print("tail summed (a). input: K references and the rewards as doubles and the labels as held in memory. peak: the probe's")
        print("VmHWM less its VmHWM before loading (at most \(Self.megabytes(constant)), the Swift runtime and the binary); the explorer")
        print("probe presses β keys, sorts by RKL*, sums the tail (a), each drawn.")
    }

    /// `VmHWM` from /proc/self/status in bytes, or nil where there is none.
    static func peakResidentBytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// `12.3 MB`.
    static func megabytes(_ bytes: Double) -> String { String(format: "%.1f MB", bytes / 1e6) }

    /// Fails (after the table) when the numpy peer disagrees with the solve.
    private func solveTable() throws {
        let peer = NumpyPeer.find()
        var disagreeing: [String] = []
        print("Full solve (every policy, root, value and bound) against one pass summing the inputs" + (peer == nil ? "" : " and against numpy"))
        print(row(["n", "K", "sum pass", "solve", "ratio", "solve ns/n"] + (peer == nil ? [] : ["numpy", "numpy/solve", "agree"])))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-peer-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var n = 1_000
        while n <= maxResponses {
            for k in 2...4 {
                let problem = SyntheticScenario.make(responses: n, references: k, seed: UInt64(n + k)).problem
                let baseline = Stopwatch.median(seconds: seconds) { blackHole(sumInputs(problem)) }
                let timeSolve = { Stopwatch.median(seconds: seconds) { blackHole(Solution(problem).forwardKL.lambda) } }
                let solve: Double
                var peerCells: [String] = []
                if let peer {
                    do {
                        let times = try peerComparison(peer, problem, folder: folder, timeSolve: timeSolve)
                        solve = times.solve
                        peerCells = [Stopwatch.describe(times.peer), String(format: "%.1f×", times.peer / solve),
                                     times.disagreements.isEmpty ? "yes" : "NO: " + times.disagreements.joined(separator: ", ")]
                        if !times.disagreements.isEmpty { disagreeing.append("n = \(n), K = \(k)") }
                    } catch {
                        solve = timeSolve()
                        peerCells = ["", "", "peer failed: \(error)"]
                    }
                } else {
                    solve = timeSolve()
                }
                print(row(["\(n)", "\(k)", Stopwatch.describe(baseline), Stopwatch.describe(solve),
                           String(format: "%.1f×", solve / baseline), String(format: "%.1f", solve * 1e9 / Double(n))] + peerCells))
            }
            n *= 10
        }
        if peer == nil {
            print("(numpy peer not run: it needs bench/numpy_peer.py and python3 with numpy)")
        } else {
            print("numpy: bench/numpy_peer.py, the same outputs timed by itself, alternating with the solve (median of 3 rounds each);")
            print("agree: every output and every policy of the two within \(NumpyPeer.tolerance) relative")
        }
        print()
        guard disagreeing.isEmpty else {
            throw NumpyPeer.Failure(description: "the numpy peer disagrees with the solve at " + disagreeing.joined(separator: "; "))
        }
    }

    /// Times the numpy peer on `problem` in three rounds alternating with `timeSolve`, and checks its outputs against klscope's.
    private func peerComparison(_ peer: NumpyPeer, _ problem: Problem, folder: URL, timeSolve: () -> Double) throws
        -> (solve: Double, peer: Double, disagreements: [String]) {
        try NumpyPeer.write(problem, to: folder)
        let policies = folder.appendingPathComponent("policies.bin")
        var solves: [Double] = [], peers: [Double] = []
        var disagreements: [String] = []
        for round in 0..<3 {
            let run = try peer.run(folder, seconds: seconds, policies: round == 0 ? policies : nil)
            if round == 0 {
                disagreements = NumpyPeer.disagreements(run.outputs, policies: try NumpyPeer.readPolicies(policies), with: Solution(problem))
            }
            peers.append(run.seconds)
            solves.append(timeSolve())
        }
        return (solves.sorted()[1], peers.sorted()[1], disagreements)
    }

    private func frameTable() {
        print("One explorer frame: a β key → update → solve → view into a 120×40 grid (3 references)")
        print(row(["n", "solve only", "frame", "frame/solve"]))
        for n in [7, 1_000, 10_000, 100_000] {
            let scenario = SyntheticScenario.make(responses: n, references: 3, seed: UInt64(n))
            let solve = Stopwatch.median(seconds: seconds) { blackHole(Solution(scenario.problem).forwardKL.lambda) }
            let session = ExplorerSession(scenario: scenario, file: nil, options: ExplorerOptions(), workingDirectory: URL(fileURLWithPath: "."))
            var step = 0
            let frame = Stopwatch.median(seconds: seconds) {
                step += 1
                session.handle([.key(step % 2 == 0 ? .right : .left)])
                blackHole(Double(session.view(width: 120, height: 40).width))
            }
            print(row(["\(n)", Stopwatch.describe(solve), Stopwatch.describe(frame), String(format: "%.2f×", frame / solve)]))
        }
    }

    private func labTable() {
        let configuration = CoverageLab.Configuration()
        print("One coverage-lab run: m = \(configuration.pairCounts.map(String.init).joined(separator: ", ")), \(configuration.seeds) seeds, seeds on all cores")
        print(row(["n", "K", "solve", "lab run", "lab/solve", "wall/(m,seed)"]))
        let problem = SyntheticScenario.make(responses: 7, references: 3, seed: 7).problem
        let solve = Stopwatch.median(seconds: seconds) { blackHole(Solution(problem).forwardKL.lambda) }
        let lab = Stopwatch.median(seconds: seconds) { blackHole(Double(CoverageLab.run(problem, configuration: configuration)?.steps.count ?? 0)) }
        let runs = Double(configuration.pairCounts.count * configuration.seeds)
        print(row(["7", "3", Stopwatch.describe(solve), Stopwatch.describe(lab), String(format: "%.0f×", lab / solve),
                   Stopwatch.describe(lab / runs)]))
    }

    private func row(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let width = i == 0 ? 9 : max(12, cell.count)
            return String(repeating: " ", count: max(0, width - cell.count)) + cell
        }.joined(separator: " ")
    }
}

/// The baseline: one pass that reads every input number once.
private func sumInputs(_ problem: Problem) -> Double {
    var total = problem.rewards.reduce(0, +)
    for logs in problem.logReferences {
        for value in logs where value > -.infinity { total += value }
    }
    return total
}

/// Where benchmarked results go, so that the optimiser cannot discard the work behind them.
nonisolated(unsafe) private var benchmarkSink = 0.0

/// Keeps the optimiser from discarding a computed value.
@inline(never)
private func blackHole(_ value: Double) { benchmarkSink += value }

/// Repeats a closure and reports the median time of one run.
enum Stopwatch {
    /// The median seconds of `body` over at least three runs and at least `seconds` in total.
    static func median(seconds: Double, _ body: () -> Void) -> Double {
        alternatingMedians(seconds: seconds, body, {}).0
    }

    /// The median seconds of `first` and of `second`, run in turn (at least three times each and
    /// at least `seconds` in total), so that a change in the machine's load meets both alike.
    static func alternatingMedians(seconds: Double, _ first: () -> Void, _ second: () -> Void) -> (Double, Double) {
        let clock = ContinuousClock()
        var samples: ([Double], [Double]) = ([], [])
        let start = clock.now
        while samples.0.count < 3 || (clock.now - start) < .seconds(seconds) {
            samples.0.append(Stopwatch.seconds(clock.measure(first)))
            samples.1.append(Stopwatch.seconds(clock.measure(second)))
            if samples.0.count >= 1000 { break }
        }
        return (samples.0.sorted()[samples.0.count / 2], samples.1.sorted()[samples.1.count / 2])
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// `1.23 ms`, `45.6 µs`, `2.10 s`.
    static func describe(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.1f µs", seconds * 1e6)
    }
}
