import Foundation
import KLMath
import Yams

/// Reads a scores file, the sequence-level setting: one JSON line per sampled response,
/// `{"response": "...", "reward": 1.0, "logprobs": {"chat": -12.3, "math": -15.1}}`, where each
/// log-probability is the whole response's (the sum of its tokens') under that model. Each
/// reference is the model's distribution restricted to the sampled responses: a log-softmax
/// of its column over the lines.
public enum ScoresImport {
    /// The scenario, as hand-writable YAML, from the scores file at `path`. Errors name the
    /// file, the line and column, and the field.
    public static func scenarioYAML(path: String) throws(ScenarioError) -> String {
        let text = try ImportDocument.readText(path)
        var responses: [String] = [], rewards: [Double] = []
        var models: [String] = []
        var columns: [[Double]] = []
        var lineOfResponse: [String: Int] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            let lineNumber = index + 1
            let document = try ImportDocument.parse(String(line), fileName: path, lineOffset: index)
            let root = document.root
            let response = try document.string(try document.required(root, "response", path: ""), path: "response")
            let label = OpenAIImport.visibleLabel(response)
            if let earlier = lineOfResponse[label] {
                throw document.fail(try document.required(root, "response", path: ""), "response",
                                    "duplicate response (line \(earlier) has it too); keep one line per distinct response")
            }
            lineOfResponse[label] = lineNumber
            let rewardNode = try document.required(root, "reward", path: "")
            let reward = try document.number(rewardNode, path: "reward")
            if let problem = ScenarioRules.rewardProblem(reward, shown: rewardNode.scalar?.string ?? "") {
                throw document.fail(rewardNode, "reward", problem)
            }
            let logprobsNode = try document.required(root, "logprobs", path: "", hint: "; give each model's sequence log-probability, {\"chat\": -12.3}")
            let entries = try document.object(logprobsNode, path: "logprobs")
            let names = try entries.map { entry throws(ScenarioError) in try document.string(entry.key, path: "logprobs") }
            if models.isEmpty {
                guard !names.isEmpty else { throw document.fail(logprobsNode, "logprobs", "no models") }
                models = names
                columns = Array(repeating: [], count: names.count)
            } else if names != models {
                throw document.fail(logprobsNode, "logprobs", "models \(names.joined(separator: ", ")), but the first line has \(models.joined(separator: ", ")); every line gives the same models in the same order")
            }
            for (column, entry) in entries.enumerated() {
                columns[column].append(try document.logProbability(entry.value, path: "logprobs." + names[column]))
            }
            responses.append(label)
            rewards.append(reward)
        }
        guard responses.count >= 2 else {
            throw ScenarioError(file: path, message: "\(responses.count) response\(responses.count == 1 ? "" : "s"); a scores file needs at least two lines")
        }
        for (column, name) in models.enumerated() where LogSpace.logSumExp(columns[column]) == -.infinity {
            throw ScenarioError(file: path, field: "logprobs." + name, message: "every response has log-probability -Infinity under \(name)")
        }
        let notes = """
            Imported by klscope import scores from \(path): \(responses.count) sampled responses with their rewards \
            and each model's sequence log-probability. Each reference is that model's distribution restricted to \
            these responses (a log-softmax of its log-probabilities over the lines): responses nobody sampled are not \
            in any support here, and the probabilities are relative to the sampled set, not to all completions.

            """
        var yaml = "title: \(ScalarText.string("Sampled responses: " + models.joined(separator: " vs ")))\n"
        yaml += "notes: " + (ScalarText.literalBlock(notes, indent: 2) ?? ScalarText.doubleQuoted(notes) + "\n")
        yaml += "beta: 1\n"
        yaml += "responses: [" + responses.map(ScalarText.string).joined(separator: ", ") + "]\n"
        yaml += "rewards: [" + rewards.map(ScalarText.number).joined(separator: ", ") + "]\n"
        yaml += "references:\n"
        for (column, name) in models.enumerated() {
            var logs = columns[column]
            _ = LogSpace.normalize(&logs)
            yaml += "  - name: \(ScalarText.string(name))\n"
            yaml += "    logprobs: [" + logs.map(ScalarText.number).joined(separator: ", ") + "]\n"
        }
        return yaml
    }
}
