import ArgumentParser
import Foundation
import KLScenario

/// `klscope import`: turns what inference servers and scoring scripts write into a scenario.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a scenario from inference-server log-probabilities or a scores file.",
        subcommands: [OpenAI.self, Scores.self]
    )

    /// `klscope import openai`.
    struct OpenAI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openai",
            abstract: "One top-k reference per model from OpenAI-compatible completion responses.",
            discussion: """
                Each FILE is one model's response to the same prompt, asked for with "logprobs": true \
                and "top_logprobs": 20: chat completions (choices[0].logprobs.content[T].top_logprobs) \
                or legacy completions (choices[0].logprobs.top_logprobs[T]), as OpenAI, vLLM, \
                llama.cpp's server, TGI and SGLang return them; a .jsonl file holds one response per \
                line (--line). Tokens are matched across models by their bytes, else their text.
                """
        )

        @Argument(help: "One response file per model (JSON, or JSON Lines with --line).")
        var files: [String]

        @Option(help: "Comma-separated model names, one per file (default: the file names).")
        var names: String?

        @Option(help: "The token position whose top-k list is imported (0: the first generated token).")
        var position = 0

        @Option(help: "In a JSON Lines file, the line (1-based) holding the response.")
        var line: Int?

        @Option(help: "A CSV file of token,reward rows.")
        var rewards: String?

        @Option(name: .customLong("reward"), help: "A token's reward, TOKEN=VALUE; repeat for more.")
        var rewardPairs: [String] = []

        @Option(name: .shortAndLong, help: "Write the scenario here (default: print it).")
        var output: String?

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one response file") }
            if rewards != nil, !rewardPairs.isEmpty { throw ValidationError("give --rewards FILE or --reward TOKEN=VALUE, not both") }
        }

        func run() throws {
            let modelNames = names.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                ?? files.map { ((($0 as NSString).lastPathComponent) as NSString).deletingPathExtension }
            guard modelNames.count == files.count else {
                try fail("--names gives \(modelNames.count) name\(modelNames.count == 1 ? "" : "s") for \(files.count) file\(files.count == 1 ? "" : "s")")
            }
            try importing {
                let models = try files.map { file throws(ScenarioError) in try OpenAIImport.topK(path: file, line: line, position: position) }
                let yaml = try OpenAIImport.scenarioYAML(models: models, names: modelNames, rewards: try rewardTable(), position: position)
                try emit(yaml, to: output)
            }
        }

        /// The rewards from --rewards or the --reward pairs.
        private func rewardTable() throws -> [String: Double] {
            if let rewards { return try OpenAIImport.rewards(path: rewards) }
            var table: [String: Double] = [:]
            for pair in rewardPairs {
                guard let equals = pair.lastIndex(of: "="), let value = Double(pair[pair.index(after: equals)...]), value.isFinite else {
                    try fail("--reward \(pair): expected TOKEN=VALUE with a finite number, such as --reward ' Paris=1'")
                }
                table[String(pair[..<equals])] = value
            }
            return table
        }
    }

    /// `klscope import scores`.
    struct Scores: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scores",
            abstract: "A sequence-level scenario from a JSON Lines file of scored responses.",
            discussion: """
                One line per sampled response: {"response": "...", "reward": 1.0, "logprobs": {"chat": -12.3, \
                "math": -15.1}}, each the whole response's log-probability under that model. Each reference \
                is the model's distribution restricted to the sampled responses (a log-softmax over the lines).
                """
        )

        @Argument(help: "The scores file (JSON Lines).")
        var file: String

        @Option(name: .shortAndLong, help: "Write the scenario here (default: print it).")
        var output: String?

        func run() throws {
            try importing { try emit(try ScoresImport.scenarioYAML(path: file), to: output) }
        }
    }
}

/// Runs an import, turning its located error into a message and exit status 2.
private func importing(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ScenarioError {
        try fail("\(error)")
    }
}

/// Writes the checked scenario to `path` atomically, or prints it.
private func emit(_ yaml: String, to path: String?) throws {
    if let path {
        try ImportedScenario.write(yaml, to: path)
        print("wrote \(path)")
    } else {
        try ImportedScenario.check(yaml, fileName: "the imported scenario")
        print(yaml, terminator: "")
    }
}
