import Foundation
import KLMath
import KLScenario

/// `bench/numpy_peer.py`, the same full solve in numpy, run beside klscope's in `bench solve`:
/// it reads the problem from `.npy` files, times itself over repetitions (so Python's start-up
/// is not counted) and prints its outputs as JSON, which are checked against klscope's.
struct NumpyPeer {
    /// The peer script.
    let script: URL

    /// What one run of the peer prints.
    struct Run: Decodable {
        /// The median seconds of one full solve.
        let seconds: Double
        let outputs: Outputs
    }

    /// The peer's numbers, named as in its JSON (null where not finite).
    struct Outputs: Decodable {
        let logF, lambda, escapedMass, reverseKLValue, forwardKLValue, mrpoGap: Double?
        let singleReverseKLValues, singleForwardKLValues: [Double?]
        let reverseKLBound, forwardKLBound: Double?
    }

    /// A peer run that failed or printed something unreadable, or a peer that disagreed with the solve.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The relative tolerance of the agreement check (on probabilities; on log-probabilities it
    /// is the same as an absolute one).
    static let tolerance = 1e-9

    /// The peer, when its script exists (in the working directory's `bench/` or beside the
    /// checkout the binary was built in) and `python3` can import numpy; nil otherwise.
    static func find() -> NumpyPeer? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [URL(fileURLWithPath: "bench/numpy_peer.py"),
                          executable.deletingLastPathComponent().appendingPathComponent("../../../bench/numpy_peer.py").standardizedFileURL]
        guard let script = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
              (try? output(["-c", "import numpy"])) != nil
        else { return nil }
        return NumpyPeer(script: script)
    }

    /// Writes `problem` where the peer reads it: `rewards.npy`, `ref<k>.npy` and `problem.json`.
    static func write(_ problem: Problem, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(DataFile.numPyBytes(problem.rewards)).write(to: folder.appendingPathComponent("rewards.npy"))
        for (k, logs) in problem.logReferences.enumerated() {
            try Data(DataFile.numPyBytes(logs)).write(to: folder.appendingPathComponent("ref\(k).npy"))
        }
        let json = try JSONSerialization.data(withJSONObject: ["beta": problem.beta, "weights": problem.weights])
        try json.write(to: folder.appendingPathComponent("problem.json"))
    }

    /// Runs the peer on the problem in `folder` for at least `seconds`; with `policies`, it also
    /// writes its six policies there (escort, mixture, harmonic, RKL, FKL, MRPO), `n` doubles each.
    func run(_ folder: URL, seconds: Double, policies: URL? = nil) throws -> Run {
        var arguments = [script.path, folder.path, "--seconds", String(seconds)]
        if let policies { arguments += ["--policies", policies.path] }
        let printed = try Self.output(arguments)
        do {
            return try JSONDecoder().decode(Run.self, from: printed)
        } catch {
            throw Failure(description: "the numpy peer printed something unreadable: \(String(decoding: printed, as: UTF8.self).prefix(200))")
        }
    }

    /// The standard output of `python3 arguments`; throws when it exits with a failure.
    private static func output(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 \(arguments.first ?? "") exited with status \(process.terminationStatus)")
        }
        return data
    }

    /// The outputs on which the peer and `solution` differ by more than `tolerance` (relative on
    /// numbers, absolute on log-probabilities, which is relative on probabilities), by name.
    static func disagreements(_ outputs: Outputs, policies: [Double], with solution: Solution) -> [String] {
        func close(_ peer: Double?, _ ours: Double?) -> Bool {
            let peer = peer ?? -.infinity, ours = ours ?? -.infinity
            return peer == ours || abs(peer - ours) <= tolerance * max(abs(peer), abs(ours))
        }
        var names: [String] = []
        let numbers: [(String, Double?, Double?)] = [
            ("log F", outputs.logF, solution.logEscortNormaliser),
            ("λ", outputs.lambda, solution.forwardKL.lambda),
            ("escaped mass", outputs.escapedMass, solution.forwardKL.escapedMass),
            ("max J_RKL", outputs.reverseKLValue, solution.reverseKLValue),
            ("max J_FKL", outputs.forwardKLValue, solution.forwardKLValue),
            ("MRPO gap", outputs.mrpoGap, solution.mrpoGap),
            ("Σα max J_k", outputs.reverseKLBound, solution.reverseKLBound),
            ("Σα max J_FKL,k", outputs.forwardKLBound, solution.forwardKLBound),
        ]
        for (name, peer, ours) in numbers where !close(peer, ours) { names.append(name) }
        for k in solution.singleReverseKLValues.indices {
            if !close(outputs.singleReverseKLValues[k], solution.singleReverseKLValues[k]) { names.append("max J_\(k + 1)") }
            if !close(outputs.singleForwardKLValues[k], solution.singleForwardKLValues[k]) { names.append("max J_FKL,\(k + 1)") }
        }
        let ours: [(String, Policy?)] = [("π_G", solution.escort), ("π_A", solution.mixture), ("π_H", solution.harmonic),
                                         ("RKL*", solution.reverseKL), ("FKL*", solution.forwardKL.policy), ("MRPO", solution.mrpo)]
        let n = solution.problem.responseCount
        for (index, (name, policy)) in ours.enumerated() {
            guard policies.count == ours.count * n, let logs = policy?.logProbabilities else {
                names.append(name)
                continue
            }
            let peer = policies[(index * n)..<((index + 1) * n)]
            let agrees = zip(peer, logs).allSatisfy { a, b in a == b || abs(a - b) <= tolerance }
            if !agrees { names.append(name) }
        }
        return names
    }

    /// Reads the policies a run wrote with `policies`.
    static func readPolicies(_ file: URL) throws -> [Double] {
        let data = try Data(contentsOf: file)
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) }
        }
    }
}
