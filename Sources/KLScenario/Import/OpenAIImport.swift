import Foundation
import KLMath
import Yams
import TerminalUI

/// Reads the log-probabilities that OpenAI-compatible servers (OpenAI, vLLM, llama.cpp's server,
/// TGI, SGLang) return, and turns one response per model into a scenario of top-k references.
///
/// Two formats are read, from a JSON file or one line of a JSON Lines file:
/// - chat completions: `choices[0].logprobs.content[T].top_logprobs`, a list of
///   `{token, logprob, bytes}`;
/// - legacy completions: `choices[0].logprobs.top_logprobs[T]`, an object token → logprob.
///
/// Tokens are matched across models by their `bytes` where given, else by their text.
public enum OpenAIImport {
    /// One token of a model's top-k list.
    public struct Token: Equatable, Sendable {
        /// What matches the token across models: its bytes, or its text's UTF-8 bytes.
        public var key: [UInt8]
        /// The token's text as the server wrote it.
        public var text: String
        /// Its log-probability under the model.
        public var logProbability: Double
    }

    /// One model's top-k list at one position.
    public struct TopK: Equatable, Sendable {
        /// The tokens, in the file's order.
        public var tokens: [Token]
        /// `"chat"` or `"legacy"`: the format the list was read from.
        public var format: String
        /// The file (and line, for JSON Lines) it came from, for the notes.
        public var source: String
    }

    /// How far a top-k list's total probability may exceed 1 (relative) before it is refused.
    public static let massTolerance = 1e-6

    /// Reads the top-k list at `position` (0-based token index) of the response in the file at
    /// `path`, or of line `line` of it. Errors name the file, line and column, and the JSON path.
    public static func topK(path: String, line: Int? = nil, position: Int = 0) throws(ScenarioError) -> TopK {
        let document = try ImportDocument.read(path: path, line: line)
        return try topK(document, position: position, source: line.map { "\(path) line \($0)" } ?? path)
    }

    /// The top-k list at `position` of the response `document` holds.
    static func topK(_ document: ImportDocument, position: Int, source: String) throws(ScenarioError) -> TopK {
        let choices = try document.array(try document.required(document.root, "choices", path: "", hint: "; expected a completion response"), path: "choices")
        guard let choice = choices.first else { throw document.fail(document.root, "choices", "no choices") }
        let hint = "; ask the server with \"logprobs\": true and \"top_logprobs\": 20"
        let logprobs = try document.required(choice, "logprobs", path: "choices[0]", hint: hint)
        let path = "choices[0].logprobs"
        if let content = document.member(logprobs, "content") {
            let steps = try document.array(content, path: path + ".content")
            let step = try pick(steps, position: position, node: content, path: path + ".content", document: document)
            let listPath = path + ".content[\(position)].top_logprobs"
            let entries = try document.array(try document.required(step, "top_logprobs", path: path + ".content[\(position)]", hint: hint), path: listPath)
            guard !entries.isEmpty else { throw document.fail(step, listPath, "empty top-k list\(hint)") }
            var tokens: [Token] = []
            for (index, entry) in entries.enumerated() {
                let entryPath = listPath + "[\(index)]"
                let text = try document.string(try document.required(entry, "token", path: entryPath), path: entryPath + ".token")
                let logProbability = try document.logProbability(try document.required(entry, "logprob", path: entryPath), path: entryPath + ".logprob")
                var key = Array(text.utf8)
                if let bytesNode = document.member(entry, "bytes") {
                    key = []
                    for (byteIndex, byteNode) in try document.array(bytesNode, path: entryPath + ".bytes").enumerated() {
                        let value = try document.number(byteNode, path: entryPath + ".bytes[\(byteIndex)]")
                        guard let byte = UInt8(exactly: value) else {
                            throw document.fail(byteNode, entryPath + ".bytes[\(byteIndex)]", "not a byte (0 to 255)")
                        }
                        key.append(byte)
                    }
                }
                if let earlier = tokens.firstIndex(where: { $0.key == key }) {
                    throw document.fail(entry, entryPath, "duplicate token \"\(VisibleText.escaped(text))\" (top_logprobs[\(earlier)] has it too)")
                }
                tokens.append(Token(key: key, text: text, logProbability: logProbability))
            }
            try checkMass(tokens, document: document, node: step, path: listPath)
            return TopK(tokens: tokens, format: "chat", source: source)
        }
        guard let legacy = document.member(logprobs, "top_logprobs") else {
            throw document.fail(logprobs, path, "neither \"content\" (chat completions) nor \"top_logprobs\" (legacy completions)\(hint)")
        }
        let steps = try document.array(legacy, path: path + ".top_logprobs")
        let step = try pick(steps, position: position, node: legacy, path: path + ".top_logprobs", document: document)
        let listPath = path + ".top_logprobs[\(position)]"
        let entries = try document.object(step, path: listPath)
        guard !entries.isEmpty else { throw document.fail(step, listPath, "empty top-k list\(hint)") }
        var tokens: [Token] = []
        for (key, value) in entries {
            let text = try document.string(key, path: listPath)
            tokens.append(Token(key: Array(text.utf8), text: text,
                                logProbability: try document.logProbability(value, path: listPath + "[\(ScalarText.doubleQuoted(text))]")))
        }
        try checkMass(tokens, document: document, node: step, path: listPath)
        return TopK(tokens: tokens, format: "legacy", source: source)
    }

    /// The entry at `position`, or an error saying how many there are.
    private static func pick(_ steps: [Node], position: Int, node: Node, path: String, document: ImportDocument) throws(ScenarioError) -> Node {
        guard position >= 0, position < steps.count else {
            throw document.fail(node, path, "--position \(position) is past the end: the response has \(steps.count) token\(steps.count == 1 ? "" : "s") (positions 0 to \(steps.count - 1))")
        }
        return steps[position]
    }

    /// Refuses a top-k list whose probabilities add up to more than 1 beyond rounding.
    private static func checkMass(_ tokens: [Token], document: ImportDocument, node: Node, path: String) throws(ScenarioError) {
        let mass = exp(LogSpace.logSumExp(tokens.map(\.logProbability)))
        if mass > 1 + massTolerance {
            throw document.fail(node, path, "the top-k probabilities add up to \(mass), more than 1; these are not one model's log-probabilities")
        }
    }

    /// Rewards by token label from a CSV/TSV/text file of `token,reward` rows (the data-file
    /// format of scenario files); errors name the file and line.
    public static func rewards(path: String) throws(ScenarioError) -> [String: Double] {
        let column: DataColumn
        do {
            column = try DataFile.numbers(atPath: path)
        } catch {
            throw ScenarioError(file: path, message: (error.location.isEmpty ? "" : error.location + ": ") + error.message)
        }
        guard let labels = column.labels else {
            throw ScenarioError(file: path, message: "a rewards file needs token,reward rows")
        }
        var rewards: [String: Double] = [:]
        for (row, label) in labels.enumerated() {
            let problem = ScenarioRules.rewardProblem(column.values[row]) ?? (rewards[label] != nil ? "\"\(label)\" is listed twice" : nil)
            if let problem { throw ScenarioError(file: path, message: column.location(of: row) + ": " + problem) }
            rewards[label] = column.values[row]
        }
        return rewards
    }

    /// The scenario, as hand-writable YAML, with one top-k reference per model (named by
    /// `names`, in order) over the union of their tokens, rewards from `rewards` (by the token's
    /// label; 0 for the others), and notes on where the numbers came from and what the
    /// truncation means. A reward for a label that is not a token is an error.
    public static func scenarioYAML(models: [TopK], names: [String], rewards: [String: Double], position: Int) throws(ScenarioError) -> String {
        var keys: [[UInt8]] = []
        var labelOfKey: [[UInt8]: String] = [:]
        var used: Set<String> = [ScenarioParser.restLabel]
        for model in models {
            for token in model.tokens where labelOfKey[token.key] == nil {
                var label = visibleLabel(token.text)
                if used.contains(label) { label += " [bytes " + token.key.map { String($0, radix: 16) }.joined(separator: " ") + "]" }
                used.insert(label)
                labelOfKey[token.key] = label
                keys.append(token.key)
            }
        }
        let labels = keys.map { labelOfKey[$0]! }
        for label in rewards.keys.sorted() where !used.contains(label) || label == ScenarioParser.restLabel {
            throw ScenarioError(file: "", field: "--reward", message: "\"\(VisibleText.escaped(label))\" is not one of the imported tokens (\(labels.prefix(8).map { "\"\(VisibleText.escaped($0))\"" }.joined(separator: ", "))\(labels.count > 8 ? ", …" : ""))")
        }
        var text = "title: \(ScalarText.string("Next token at position \(position): " + names.joined(separator: " vs ")))\n"
        let sizes = zip(names, models).map { "\($0) \($1.tokens.count)" }.joined(separator: ", ")
        var notes = """
            Imported by klscope import openai from \(models.map { "\($0.source) (\($0.format) completions)" }.joined(separator: ", ")), \
            the top-k list at token position \(position). \
            Each reference is one model's top-k list (k: \(sizes)): a token outside a model's top-k is not in that \
            model's support as far as klscope knows, so reverse KL (intersection of supports) keeps only tokens every \
            model listed, and forward KL (union) the tokens any model listed. The mass outside each top-k goes to \
            "other" (rest), whose reward is rest_reward (default: the lowest reward). Tokens are matched across \
            models by their bytes where the server gave them, else by their text.
            """
        notes += rewards.isEmpty ? " Every reward is 0: give them with --reward TOKEN=VALUE or --rewards FILE, or edit them here.\n"
            : " Rewards: from the command line; tokens not given one have reward 0.\n"
        text += "notes: " + (ScalarText.literalBlock(notes, indent: 2) ?? ScalarText.doubleQuoted(notes) + "\n")
        text += "beta: 1\n"
        text += "responses: [" + labels.map(ScalarText.string).joined(separator: ", ") + "]\n"
        text += "rewards: [" + labels.map { ScalarText.number(rewards[$0] ?? 0) }.joined(separator: ", ") + "]\n"
        text += "references:\n"
        for (name, model) in zip(names, models) {
            text += "  - name: \(ScalarText.string(name))\n"
            let probabilities = model.tokens.map { exp($0.logProbability) }
            text += "    topk: {" + zip(model.tokens, probabilities).map { token, p in
                ScalarText.string(labelOfKey[token.key]!) + ": " + ScalarText.number(p)
            }.joined(separator: ", ") + "}\n"
            text += "    rest: \(ScalarText.number(max(0, 1 - probabilities.reduce(0, +))))\n"
        }
        return text
    }

    /// A token's text as a response label: whitespace-only tokens (a space, a newline) are
    /// spelled out, since a label must show something.
    static func visibleLabel(_ text: String) -> String {
        guard text.allSatisfy(\.isWhitespace) else { return text }
        if text.isEmpty { return "(empty)" }
        let spelled = VisibleText.escaped(text.replacingOccurrences(of: " ", with: "␣"))
        guard spelled.allSatisfy(\.isWhitespace) else { return spelled }
        return spelled.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
