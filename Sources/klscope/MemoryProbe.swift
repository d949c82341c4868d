import Explorer
import Foundation
import KLMath
import KLScenario
import TerminalUI

/// Peak memory at vocabulary scale, measured the way a user meets it: the scenario is written
/// to `.npy` files and a labels file, and a fresh `klscope` process loads it and either opens
/// an explorer session (β keys, a sort, the tail summed) or solves it. Each case runs in its
/// own process so that its high-water mark (VmHWM) is its own; the process's VmHWM before
/// loading (the Swift runtime and the binary) is the constant subtracted.
enum MemoryProbe {
    /// What a probe does after loading.
    enum Mode: String {
        /// An explorer session: β keys, sort by RKL*, β keys, tail summed, β keys, each drawn.
        case explore
        /// `Solution` with the diagnostics of every main policy, as `klscope solve` computes them.
        case solve
        /// Nothing: the load alone (`klscope bench load`).
        case load
    }

    /// One probe's result, in bytes.
    struct Result {
        /// VmHWM before loading: the constant.
        var baseline: Double
        /// VmHWM at the end.
        var peak: Double
        /// The input arrays: K references and the rewards as 8-byte doubles, and the labels as
        /// Swift holds them (16 bytes each, plus the UTF-8 bytes of labels too long to store inline).
        var input: Double
        /// The numeric input arrays alone.
        var numbers: Double
        /// Seconds the load took, and the processor time it used (the same on an idle machine:
        /// loading runs on one thread; on a shared machine, the part that is the load's own).
        var loadSeconds: Double
        var loadCPUSeconds: Double
    }

    /// The processor time this process has used, in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// A probe process that did not report.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes `scenario` as `scenario.yaml` with one `.npy` file per array and `labels.txt`.
    static func write(_ scenario: Scenario, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func save(_ values: [Double], _ name: String) throws {
            try Data(DataFile.numPyBytes(values)).write(to: directory.appendingPathComponent(name))
        }
        try save(scenario.rewards, "rewards.npy")
        let title = scenario.title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var yaml = "title: \"\(title)\"\nbeta: \(scenario.beta)\nresponses: labels.txt\nrewards: rewards.npy\nreferences:\n"
        for (k, reference) in scenario.references.enumerated() {
            try save(reference.logProbabilities, "ref\(k).npy")
            yaml += "  - {name: \(reference.name), weight: \(reference.weight), logprobs: ref\(k).npy}\n"
        }
        try Data((scenario.responses.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("labels.txt"))
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("scenario.yaml"))
    }

    /// Runs one probe in this process and prints `baseline peak input numbers seconds cpu` on one line.
    static func run(_ mode: Mode, file: URL) throws {
        let baseline = BenchCommand.peakResidentBytes() ?? 0
        let clock = ContinuousClock()
        let (start, cpuStart) = (clock.now, cpuSeconds())
        let scenario = try ScenarioLoader.load(contentsOf: file)
        let (seconds, cpu) = (Stopwatch.seconds(clock.now - start), cpuSeconds() - cpuStart)
        switch mode {
        case .load:
            break
        case .explore:
            let session = ExplorerSession(scenario: scenario, file: file, options: ExplorerOptions(),
                                          workingDirectory: file.deletingLastPathComponent())
            func frames(_ keys: [Key]) {
                for key in keys {
                    session.handle([.key(key)])
                    _ = session.view(width: 120, height: 40)
                }
            }
            session.handle([.resize(width: 120, height: 40)])
            frames([.right, .left, .right, .left])
            // Sort by RKL*: file → reward → K references → π_G → π_A → π_H → RKL*.
            frames(Array(repeating: .character("t"), count: scenario.references.count + 5))
            frames([.right, .left, .right, .left, .character("a"), .right, .left, .right, .left])
        case .solve:
            let solution = Solution(scenario.problem)
            _ = solution.metrics([.escort, .mixture, .harmonic, .reverseKL, .forwardKL, .mrpo])
        }
        let peak = BenchCommand.peakResidentBytes() ?? 0
        let n = scenario.responses.count
        let numbers = Double(n * (scenario.references.count + 1) * 8)
        let labels = scenario.responses.reduce(0) { $0 + 16 + ($1.utf8.count > 15 ? $1.utf8.count : 0) }
        print("\(baseline) \(peak) \(numbers + Double(labels)) \(numbers) \(seconds) \(cpu)")
    }

    /// Runs a probe in a fresh `klscope` process and reads its result.
    static func measure(_ mode: Mode, file: URL) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["bench", "vocab", "--memory-probe", mode.rawValue, "--probe-file", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard process.terminationStatus == 0, fields.count == 6 else {
            throw Failure(description: "the memory probe for \(file.path) failed (exit status \(process.terminationStatus))")
        }
        return Result(baseline: fields[0], peak: fields[1], input: fields[2], numbers: fields[3], loadSeconds: fields[4], loadCPUSeconds: fields[5])
    }
}
