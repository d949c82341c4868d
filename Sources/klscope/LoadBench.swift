import Foundation

/// `klscope bench load`: the load figures of issue 11. Writes big scenarios within the limits to
/// a temporary folder (a 100 MB scenario of 6.5 million inline responses as YAML and as JSON, a
/// scenario whose responses, rewards and probabilities come from a 20 MB CSV, a scenario of 10^6
/// inline responses), loads each in a fresh process (`MemoryProbe`, mode `load`), and prints the
/// seconds and the peak memory beside two baselines from the same run: the time to read the same
/// files from disk, and the size of the arrays the load produces.
enum LoadBench {
    /// One generated scenario.
    private struct Case {
        var name: String
        /// The folder holding the scenario and its data files (and nothing else).
        var folder: URL
        var file: URL
        /// How many times the load reads the files (a CSV once per column it gives).
        var reads = 1
    }

    static func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-load-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        print("Loading big scenarios in a fresh process: seconds and peak memory, against reading the same files and the arrays produced")
        print(["case", "files", "load", "CPU", "read", "CPU/read", "MB/s (CPU)", "peak", "arrays", "peak/arrays"].enumerated()
            .map { pad($0.element, $0.offset == 0 ? 28 : 11) }.joined())
        var constant = 0.0
        for make in [inlineScenario(json: false), inlineScenario(json: true), csvScenario, millionScenario] {
            let item = try make(root)
            let bytes = try files(in: item.folder).reduce(0) { $0 + Double($1.count) }
            let read = Stopwatch.median(seconds: 0.3) { _ = try? files(in: item.folder) }
            let result = try MemoryProbe.measure(.load, file: item.file)
            try? FileManager.default.removeItem(at: item.folder)
            constant = max(constant, result.baseline)
            let peak = result.peak - result.baseline
            print([pad(item.name, 28), pad(BenchCommand.megabytes(bytes), 11), pad(Stopwatch.describe(result.loadSeconds), 11),
                   pad(Stopwatch.describe(result.loadCPUSeconds), 11), pad(Stopwatch.describe(read), 11),
                   pad(String(format: "%.0f×", result.loadCPUSeconds / read), 11),
                   pad(String(format: "%.0f", Double(item.reads) * bytes / 1e6 / result.loadCPUSeconds), 11), pad(BenchCommand.megabytes(peak), 11),
                   pad(BenchCommand.megabytes(result.input), 11), pad(String(format: "%.2f×", peak / result.input), 11)].joined())
        }
        print("load: ScenarioLoader.load in a fresh klscope process, wall clock; CPU: the processor time it used (loading is one thread,")
        print("so on a busy machine this is the load's own part); read: reading the case's files into memory (median, this process);")
        print("MB/s (CPU): bytes the load reads per CPU second (the CSV is read once for each of responses, rewards and probabilities).")
        print("peak: the probe's VmHWM less its VmHWM before loading (at most \(BenchCommand.megabytes(constant)), the runtime and the binary);")
        print("arrays: the responses as Swift holds them (16 bytes a label) and the rewards and references as doubles.")
    }

    /// The contents of every file in `folder`.
    private static func files(in folder: URL) throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }

    /// A new folder for one case.
    private static func folder(_ root: URL, _ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new file at `url`, written a few megabytes at a time.
    private static func writer(_ url: URL) throws -> BufferedOutput {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return BufferedOutput(try FileHandle(forWritingTo: url), blockSize: 4 << 20)
    }

    /// 6.5 million responses given inline, about 100 MB: labels, rewards 0 and 1, probabilities
    /// all 1 renormalised.
    private static func inlineScenario(json: Bool) -> (URL) throws -> Case {
        { root in
            let n = 6_500_000
            let folder = try folder(root, json ? "json" : "yaml")
            let file = folder.appendingPathComponent(json ? "big.json" : "big.yaml")
            var out = try writer(file)
            out.write(json ? "{\"beta\": 0.5, \"normalize\": true,\n\"responses\": [" : "beta: 0.5\nnormalize: true\nresponses: [")
            out.list(n) { json ? "\"r\($0)\"" : "r\($0)" }
            out.write(json ? "],\n\"rewards\": [" : "]\nrewards: [")
            out.list(n) { $0 % 2 == 0 ? "0" : "1" }
            out.write(json ? "],\n\"references\": [{\"name\": \"a\", \"probs\": [" : "]\nreferences:\n  - name: a\n    probs: [")
            out.list(n) { _ in "1" }
            out.write(json ? "]}]}\n" : "]\n")
            try out.close()
            return Case(name: "6.5M inline, " + (json ? "JSON" : "YAML"), folder: folder, file: file)
        }
    }

    /// Responses, rewards and probabilities (renormalised) from one 20 MB CSV of 750,000 `label,value` rows.
    private static func csvScenario(_ root: URL) throws -> Case {
        let folder = try folder(root, "csv")
        var csv = try writer(folder.appendingPathComponent("rows.csv"))
        for index in 0..<750_000 { csv.write("r\(index),\(Double(index % 9973 + 1) / 9973)\n") }
        try csv.close()
        let file = folder.appendingPathComponent("csv.yaml")
        try Data("beta: 0.5\nnormalize: true\nresponses: rows.csv\nrewards: rows.csv\nreferences:\n  - name: a\n    probs: rows.csv\n".utf8)
            .write(to: file)
        return Case(name: "750k-row CSV, read 3×", folder: folder, file: file, reads: 3)
    }

    /// 10^6 responses inline with rewards and full-precision log-probabilities (about 37 MB).
    private static func millionScenario(_ root: URL) throws -> Case {
        let n = 1_000_000
        let folder = try folder(root, "million")
        let file = folder.appendingPathComponent("million.yaml")
        var out = try writer(file)
        out.write("beta: 0.5\nresponses: [")
        out.list(n) { "r\($0)" }
        out.write("]\nrewards: [")
        out.list(n) { "\(Double($0 % 1000) / 1000)" }
        out.write("]\nreferences:\n  - name: a\n    logprobs: [")
        let logProbability = "\(-log(Double(n)))"
        out.list(n) { _ in logProbability }
        out.write("]\n")
        try out.close()
        return Case(name: "10^6 inline, YAML", folder: folder, file: file)
    }
}

extension BufferedOutput {
    /// Writes `count` items made by `item`, separated by `", "`.
    fileprivate mutating func list(_ count: Int, _ item: (Int) -> String) {
        for index in 0..<count { write(index == 0 ? item(index) : ", " + item(index)) }
    }

    /// Writes out what is buffered and closes the file.
    fileprivate mutating func close() throws {
        flush()
        try handle.close()
    }
}
