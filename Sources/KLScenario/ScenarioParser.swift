import Foundation
import KLMath
import Yams

/// Turns a composed YAML tree into a validated `Scenario`, stopping at the first problem
/// with an error that names the file, the position and the field.
struct ScenarioParser {
    /// The file name errors carry.
    let fileName: String
    /// The title used when the file has none.
    let defaultTitle: String
    /// The most responses accepted (a parameter so tests need not build ten million).
    var maxResponses = ScenarioLimits.maxResponses
    /// The folder data files named in the scenario (`probs: chat.npy`) are relative to; nil:
    /// the folder of `fileName`.
    var baseDirectory: URL? = nil
    /// The scenario's `generate:` text (how to make its data files), added to the error when
    /// a data file it names does not exist; read from the file itself.
    fileprivate(set) var generateHint: String? = nil
    /// The long inline lists the structure pass read, which Yams got blanked.
    var inlineLists: InlineLists? = nil

    /// How far the total probability of a reference may be from 1 before it is rejected
    /// (or, with `normalize: true`, renormalised).
    static let sumTolerance = 1e-6
    /// A reference whose log-sum is within this of 0 sums to 1 up to rounding and is kept as
    /// written; any other accepted reference is divided by its exact sum.
    static let exactSumTolerance = 1e-14

    static let topLevelKeys = ["title", "notes", "generate", "beta", "responses", "rewards", "normalize", "references", "rest_reward"]
    static let referenceKeys = ["name", "weight", "probs", "logprobs", "topk", "rest"]
    /// The response added when a reference gives a top-k list: it carries each reference's
    /// remaining mass (`rest`).
    public static let restLabel = "other"

    // MARK: Scenario

    func scenario(from root: Node?) throws(ScenarioError) -> Scenario {
        guard let root else {
            throw ScenarioError(file: fileName, message: "the file is empty; a scenario needs beta, responses, rewards and references")
        }
        let top = try fields(of: root, path: "", known: Self.topLevelKeys, misplaced: Self.referenceKeys,
                             misplacedWhere: "inside an entry of references", what: "a scenario")
        if generateHint == nil, let node = top.value("generate") {
            var parser = self
            parser.generateHint = try text(node, field: "generate") ?? ""
            return try parser.scenario(from: root)
        }
        let title = try top.value("title").flatMap { node throws(ScenarioError) in try text(node, field: "title") }
        let notes = try top.value("notes").flatMap { node throws(ScenarioError) in try text(node, field: "notes") }

        let betaNode = try top.required("beta")
        let beta = try finiteNumber(betaNode, field: "beta", what: "β")
        if let problem = ScenarioRules.betaProblem(beta, shown: scalarText(betaNode)) { throw fail(betaNode, "beta", problem) }

        var responses = try labels(top.required("responses"))

        let rewardsNode = try top.required("rewards")
        var rewards = try dataFilePath(rewardsNode) != nil
            ? fileNumbers(rewardsNode, field: "rewards", count: responses.count, labels: responses) { value in
                ScenarioRules.rewardProblem(value)
            }
            : numbers(rewardsNode, field: "rewards", count: responses.count, of: "rewards",
                      accept: { $0.isFinite && ScenarioRules.rewardProblem($0) == nil }) { node, field throws(ScenarioError) in
                let reward = try finiteNumber(node, field: field, what: "a reward")
                if let problem = ScenarioRules.rewardProblem(reward, shown: scalarText(node)) { throw fail(node, field, problem) }
                return reward
            }

        let normalize = try top.value("normalize").map { node throws(ScenarioError) in try flag(node, field: "normalize") } ?? false

        let referencesNode = try top.required("references")
        let referenceNodes = try list(referencesNode, field: "references")
        guard !referenceNodes.isEmpty else {
            throw fail(referencesNode, "references", "no references; give at least one (name, weight, probs or logprobs)")
        }
        guard referenceNodes.count <= ScenarioLimits.maxReferences else {
            throw fail(referencesNode, "references", "too many references: \(referenceNodes.count); at most \(ScenarioLimits.maxReferences)")
        }
        // A top-k list (`topk` with `rest`) adds the response "other" carrying the remaining mass,
        // with the reward `rest_reward` (default: the lowest reward).
        let usesTopK = referenceNodes.contains { node in
            if case .mapping(let mapping) = node { return mapping.contains { $0.key.scalar?.string == "topk" } }
            return false
        }
        let restRewardNode = top.value("rest_reward")
        if usesTopK {
            if let earlier = responses.firstIndex(of: Self.restLabel) {
                throw fail(try top.required("responses"), "responses",
                           "responses[\(earlier)] is called \"\(Self.restLabel)\", the name of the response a top-k list adds for the remaining mass; rename it")
            }
            var restReward = rewards.min() ?? 0
            if let restRewardNode {
                restReward = try finiteNumber(restRewardNode, field: "rest_reward", what: "a reward")
                if let problem = ScenarioRules.rewardProblem(restReward, shown: scalarText(restRewardNode)) {
                    throw fail(restRewardNode, "rest_reward", problem)
                }
            }
            responses.append(Self.restLabel)
            rewards.append(restReward)
        } else if let restRewardNode {
            throw fail(restRewardNode, "rest_reward", "rest_reward is the reward of \"\(Self.restLabel)\", which only a reference with topk adds; remove it or give a reference topk")
        }
        var notices: [String] = []
        var references: [Scenario.Reference] = []
        var firstIndexOfName: [String: Int] = [:]
        for (index, node) in referenceNodes.enumerated() {
            let listed = usesTopK ? responses.count - 1 : responses.count
            let (reference, nameNode) = try self.reference(node, index: index, responseCount: listed, responseLabels: responses,
                                                           addsRest: usesTopK, normalize: normalize, notices: &notices)
            if let earlier = firstIndexOfName[reference.name] {
                throw fail(nameNode, "references[\(index)].name",
                           "duplicate reference name \"\(reference.name)\" (references[\(earlier)] has it too)")
            }
            firstIndexOfName[reference.name] = index
            references.append(reference)
        }
        if let problem = ScenarioRules.weightsProblem(references.map(\.weight)) { throw fail(referencesNode, "references", problem) }

        return Scenario(title: title.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTitle, notes: notes ?? "",
                        beta: beta, responses: responses, rewards: rewards, references: references,
                        normalize: normalize, loadNotices: notices)
    }

    /// The response labels: at least two, none empty, no two alike.
    private func labels(_ node: Node) throws(ScenarioError) -> [String] {
        if dataFilePath(node) != nil { return try fileLabels(node) }
        let inline = inlineLists?.list(at: node)
        let nodes = inline == nil ? try list(node, field: "responses") : []
        let count = inline?.count ?? nodes.count
        guard count >= 2 else {
            throw fail(node, "responses", "need at least two responses, got \(count)")
        }
        guard count <= maxResponses else {
            throw fail(node, "responses", "too many responses: \(count); at most \(maxResponses)")
        }
        // The fast path's labels are kept as they are (no copy); nodes are read one by one.
        var labels = inline?.labels ?? []
        if inline == nil {
            labels.reserveCapacity(count)
            for index in 0..<count { labels.append(try text(nodes[index], field: "responses[\(index)]") ?? "") }
        }
        if let (index, earlier) = Self.firstLabelProblem(labels) {
            let message = earlier.map { "duplicate response \"\(labels[index])\" (responses[\($0)] has it too)" } ?? "response label is empty"
            guard let inline, let inlineLists else { throw fail(nodes[index], "responses[\(index)]", message) }
            // At the label's place in the inline list.
            let item = inlineLists.item(inline, index)
            var error = fail(item.node, "responses[\(index)]", message)
            (error.line, error.column) = (item.line, item.column)
            throw error
        }
        return labels
    }

    /// The first label that is blank (`earlier` nil) or repeats an earlier one (`earlier` its index), in order.
    static func firstLabelProblem(_ labels: [String]) -> (index: Int, earlier: Int?)? {
        LabelIndex.firstProblem(in: labels, isBlank: isBlank)
    }

    /// Whether `label` is empty or only white space (`Character.isWhitespace`), without making
    /// characters of an ASCII label.
    static func isBlank(_ label: String) -> Bool {
        for byte in label.utf8 {
            if byte >= 0x80 { return label.allSatisfy(\.isWhitespace) }
            if byte != UInt8(ascii: " ") && !(0x09...0x0D).contains(byte) { return false }
        }
        return true
    }

    // MARK: References

    /// One reference and the node of its name (to locate a duplicate name).
    private func reference(_ node: Node, index: Int, responseCount: Int, responseLabels: [String], addsRest: Bool = false, normalize: Bool,
                           notices: inout [String]) throws(ScenarioError) -> (Scenario.Reference, Node) {
        let path = "references[\(index)]"
        let entry = try fields(of: node, path: path, known: Self.referenceKeys, misplaced: Self.topLevelKeys,
                               misplacedWhere: "at the top level, not inside a reference",
                               what: "a reference (name, weight, probs, logprobs or topk)")
        let nameNode = try entry.required("name")
        let name = try text(nameNode, field: path + ".name") ?? ""
        guard !name.allSatisfy(\.isWhitespace) else { throw fail(nameNode, path + ".name", "reference name is empty") }

        var weight = 1.0
        if let weightNode = entry.value("weight") {
            weight = try finiteNumber(weightNode, field: path + ".weight", what: "a weight")
            if let problem = ScenarioRules.weightProblem(weight, shown: scalarText(weightNode)) { throw fail(weightNode, path + ".weight", problem) }
        }

        var logs: [Double]
        let valuesNode: Node
        let valuesField: String
        let given = ["probs", "logprobs", "topk"].filter { entry.key($0) != nil }
        if given.count > 1, let second = entry.key(given[1]) {
            throw fail(second, path, "give exactly one of probs, logprobs or topk, not both \(given[0]) and \(given[1])")
        }
        if let restKey = entry.key("rest"), given != ["topk"] {
            throw fail(restKey, path + ".rest", "rest is the mass outside a top-k list; it goes with topk")
        }
        switch (entry.key("probs"), entry.key("logprobs")) {
        case (nil, nil) where given == ["topk"]:
            valuesField = path + ".topk"
            valuesNode = try entry.required("topk")
            logs = try topK(valuesNode, restNode: entry.value("rest"), field: valuesField, labels: responseLabels)
        case (nil, nil):
            throw fail(node, path, "give the probabilities as probs, logprobs or topk; none is present")
        case (.some, .some(let second)):
            throw fail(second, path, "give exactly one of probs or logprobs, not both")
        case (.some, nil):
            valuesField = path + ".probs"
            valuesNode = try entry.required("probs")
            if dataFilePath(valuesNode) != nil {
                logs = LogSpace.logs(of: try fileNumbers(valuesNode, field: valuesField, count: responseCount, labels: responseLabels) { p in
                    ScenarioRules.probabilityProblem(p)
                })
            } else {
            logs = LogSpace.logs(of: try numbers(valuesNode, field: valuesField, count: responseCount, of: "probabilities",
                                                 accept: { $0.isFinite && $0 >= 0 }, read: probability))
            }
        case (nil, .some):
            valuesField = path + ".logprobs"
            valuesNode = try entry.required("logprobs")
            if dataFilePath(valuesNode) != nil {
                logs = try fileNumbers(valuesNode, field: valuesField, count: responseCount, labels: responseLabels) { value in
                    value.isNaN ? "not finite: nan" : (value == .infinity ? "a log-probability cannot be +infinity (use -inf for a zero probability)" : nil)
                }
            } else {
            logs = try numbers(valuesNode, field: valuesField, count: responseCount, of: "log-probabilities",
                               accept: { !$0.isNaN && $0 < .infinity }, read: logProbability)
            }
        }

        if addsRest && logs.count < responseLabels.count { logs.append(-.infinity) } // no mass on "other"
        // What counts as zero (docs/mathematics.md): `normalize: true` on log-probabilities is a
        // log-softmax done first; then every log-probability below log(smallest double) is 0;
        // then the reference is divided by its exact sum, also when accepted within tolerance.
        let total = exp(LogSpace.logSumExp(logs))
        if normalize && valuesField.hasSuffix(".logprobs") { LogSpace.normalize(&logs) }
        LogSpace.applyZeroRule(&logs)
        let logTotal = LogSpace.logSumExp(logs)
        guard logTotal > -.infinity else {
            throw fail(valuesNode, valuesField, "every probability is zero; a reference needs at least one response it can produce")
        }
        // A sum within rounding of 1 is left as written, so saving and loading is exact.
        if abs(logTotal) > Self.exactSumTolerance { LogSpace.normalize(&logs) }
        if !(abs(total - 1) <= Self.sumTolerance) {
            let sum = Self.describeSum(total)
            guard normalize else {
                throw fail(valuesNode, valuesField,
                           "probabilities sum to \(sum), not 1; correct them, or add \"normalize: true\" at the top level to renormalise")
            }
            notices.append("reference \"\(name)\": probabilities summed to \(sum); renormalised")
        }
        return (Scenario.Reference(name: name, weight: weight, logProbabilities: logs), nameNode)
    }

    /// A top-k list: `{label: p}` (or a CSV/TSV file of `label,p` rows) for some of the responses
    /// and `rest`, the mass of all others (default: 1 minus the listed mass), which goes to the
    /// last response, "other". Responses not listed get probability 0.
    private func topK(_ node: Node, restNode: Node?, field: String, labels: [String]) throws(ScenarioError) -> [Double] {
        var probabilities = [Double](repeating: 0, count: labels.count)
        let rows = labels.count - 1
        var indexOf: [String: Int] = [:]
        indexOf.reserveCapacity(rows)
        for (index, label) in labels.prefix(rows).enumerated() { indexOf[label] = index }
        var seen = Set<Int>()
        if let path = dataFilePath(node) {
            let (disk, shown) = resolve(path)
            let column: DataColumn
            do {
                column = try DataFile.numbers(atPath: disk)
            } catch {
                throw fail(node, field, dataFile: shown, error)
            }
            guard let fileLabels = column.labels else {
                throw fail(node, field, dataFile: shown, DataFileError(location: "", message: "a top-k file needs label,probability rows"))
            }
            for (row, label) in fileLabels.enumerated() {
                let p = column.values[row]
                let problem: String? = if let invalid = ScenarioRules.probabilityProblem(p) { invalid }
                    else if indexOf[label] == nil { "\"\(label)\" is not one of the responses" }
                    else if !seen.insert(indexOf[label]!).inserted { "\"\(label)\" is listed twice" } else { nil }
                if let problem {
                    throw fail(node, field, dataFile: shown, DataFileError(location: column.location(of: row), message: problem))
                }
                probabilities[indexOf[label]!] = p
            }
        } else {
            guard case .mapping(let mapping) = node else {
                throw fail(node, field, "expected a mapping of response: probability, such as {answer: 0.5, derive: 0.2}, or a CSV file, got \(describe(node))")
            }
            for (key, value) in mapping {
                let label = key.scalar?.string ?? ""
                guard let index = indexOf[label] else {
                    throw fail(key, field, "\"\(label)\" is not one of the responses")
                }
                guard seen.insert(index).inserted else { throw fail(key, field, "\"\(label)\" is listed twice") }
                probabilities[index] = try probability(value, field: field + "." + label)
            }
        }
        let listed = probabilities.reduce(0, +)
        if let restNode {
            probabilities[rows] = try probability(restNode, field: join(field.replacingOccurrences(of: ".topk", with: ""), "rest"))
        } else {
            probabilities[rows] = max(0, 1 - listed)
        }
        return LogSpace.logs(of: probabilities)
    }

    /// One entry of `probs`: a finite number, zero or more.
    private func probability(_ node: Node, field: String) throws(ScenarioError) -> Double {
        let p = try finiteNumber(node, field: field, what: "a probability",
                                 negativeInfinityHint: "; write 0 for a zero probability")
        guard p >= 0 else { throw fail(node, field, "negative probability \(scalarText(node))") }
        return p
    }

    /// One entry of `logprobs`: a number below `+∞`, where `-∞` (also `null` and the text `"-inf"`,
    /// for JSON, which has no infinity) stands for a zero probability.
    private func logProbability(_ node: Node, field: String) throws(ScenarioError) -> Double {
        if case .scalar(let scalar) = node {
            if isNull(scalar) { return -.infinity }
            if scalar.style != .plain, scalar.string.first == "-", ScalarText.isInfinity(scalar.string.dropFirst()) {
                return -.infinity
            }
        }
        let value = try number(node, field: field, what: "a log-probability")
        guard value < .infinity else {
            throw fail(node, field, "a log-probability cannot be +infinity (use -inf for a zero probability)")
        }
        return value
    }

    // MARK: Data files

    /// The path a scalar names when it stands for a data file (`probs: chat.npy`): text ending in
    /// .npy, .csv, .tsv or .txt, or `FILE.safetensors#TENSOR`; nil otherwise (and the value is checked as a list).
    func dataFilePath(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !isNull(scalar),
              DataFile.isDataFile(scalar.string)
        else { return nil }
        return scalar.string
    }

    /// The data file's path on disk, and as messages name it (relative to the working directory
    /// like the scenario file's name).
    func resolve(_ path: String) -> (disk: String, shown: String) {
        if path.hasPrefix("/") { return (path, path) }
        let folder = (fileName as NSString).deletingLastPathComponent
        let shown = folder.isEmpty ? path : folder + "/" + path
        let base = baseDirectory ?? URL(fileURLWithPath: fileName).deletingLastPathComponent()
        return (base.appendingPathComponent(path).path, shown)
    }

    /// A data-file error as a scenario error: the scenario's line and field, then the data file,
    /// its offset or line, and what is wrong.
    /// A missing data file also says how to make it, when the scenario has a `generate:` hint.
    private func fail(_ node: Node, _ field: String, dataFile: String, _ error: DataFileError) -> ScenarioError {
        let hint = error.isMissingFile && generateHint?.isEmpty == false ? "; to make it: " + (generateHint ?? "") : ""
        return fail(node, field, dataFile + (error.location.isEmpty ? "" : ": " + error.location) + ": " + error.message + hint)
    }

    /// `count` numbers from the data file `node` names, each checked by `problem` (nil: fine).
    /// When the file has `label,value` rows, its labels must be the responses in order (checked
    /// as the file is read).
    private func fileNumbers(_ node: Node, field: String, count: Int, labels: [String],
                             problem: (Double) -> String?) throws(ScenarioError) -> [Double] {
        let (disk, shown) = resolve(dataFilePath(node) ?? "")
        let column: DataColumn
        do {
            column = try DataFile.numbers(atPath: disk, expectedLabels: labels)
        } catch {
            throw fail(node, field, dataFile: shown, error)
        }
        guard column.values.count == count else {
            let got = column.values.count > count && column.firstLine != nil ? "more" : "\(column.values.count)" // a text file is read no further
            throw fail(node, field, dataFile: shown, DataFileError(location: "",
                       message: "wrong length: expected \(count) values (one per response), got \(got)"))
        }
        for (index, value) in column.values.enumerated() {
            if let message = problem(value) {
                throw fail(node, field, dataFile: shown, DataFileError(location: column.location(of: index),
                           message: message + " (value \(index), response \"\(labels[index])\")"))
            }
        }
        return column.values
    }

    /// The response labels from the data file `node` names, checked like a list of labels.
    private func fileLabels(_ node: Node) throws(ScenarioError) -> [String] {
        let (disk, shown) = resolve(dataFilePath(node) ?? "")
        let labels: [String]
        do {
            labels = try DataFile.labels(atPath: disk, most: maxResponses)
        } catch {
            throw fail(node, "responses", dataFile: shown, error)
        }
        guard labels.count >= 2 else {
            throw fail(node, "responses", dataFile: shown, DataFileError(location: "", message: "need at least two responses, got \(labels.count)"))
        }
        guard labels.count <= maxResponses else {
            throw fail(node, "responses", dataFile: shown, DataFileError(location: "", message: "too many responses: more than \(maxResponses)"))
        }
        if let (index, earlier) = Self.firstLabelProblem(labels) {
            let message = earlier.map { "duplicate response \"\(labels[index])\" (line \($0 + 1) has it too)" } ?? "response label is empty"
            throw fail(node, "responses", dataFile: shown, DataFileError(location: "line \(index + 1)", message: message))
        }
        return labels
    }

    // MARK: Values

    /// A number that is neither NaN nor infinite.
    private func finiteNumber(_ node: Node, field: String, what: String,
                              negativeInfinityHint: String = "") throws(ScenarioError) -> Double {
        let value = try number(node, field: field, what: what)
        guard value.isFinite else {
            let text = scalarText(node)
            let reason = ScalarText.isInfinity(text.drop { $0 == "+" || $0 == "-" }) ? "cannot be infinite, got \(text)" : "is too large: \(text)"
            throw fail(node, field, "\(what) \(reason)" + (value < 0 ? negativeInfinityHint : ""))
        }
        return value
    }

    /// A number, possibly infinite, never NaN: a plain scalar in decimal or an infinity spelling.
    private func number(_ node: Node, field: String, what: String) throws(ScenarioError) -> Double {
        guard case .scalar(let scalar) = node else {
            throw fail(node, field, "expected \(what) (a number), got \(describe(node))")
        }
        guard !isNull(scalar) else { throw fail(node, field, "missing value: expected \(what) (a number)") }
        guard scalar.style == .plain, let value = ScalarText.number(scalar.string) else {
            throw fail(node, field, "expected \(what) (a number), got \(describe(node))")
        }
        guard !value.isNaN else { throw fail(node, field, "\(what) cannot be NaN") }
        return value
    }

    /// Text; nil for an empty value (`key:` with nothing after it, `~`, `null`).
    private func text(_ node: Node, field: String) throws(ScenarioError) -> String? {
        guard case .scalar(let scalar) = node else {
            throw fail(node, field, "expected text, got \(describe(node))")
        }
        return isNull(scalar) ? nil : scalar.string
    }

    /// `true` or `false`.
    private func flag(_ node: Node, field: String) throws(ScenarioError) -> Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw fail(node, field, "expected true or false, got \(describe(node))")
    }

    /// The `count` numbers of a list, each read by `read` from its node and field. The items of a
    /// long inline list come read already: those `accept` takes are kept, and only the others
    /// are read again as nodes (located at their place in the file), so every item meets the
    /// same rules and gets the same message as it would from a node.
    private func numbers(_ node: Node, field: String, count: Int, of what: String, accept: (Double) -> Bool,
                         read: (Node, String) throws(ScenarioError) -> Double) throws(ScenarioError) -> [Double] {
        guard let inlineLists, let inline = inlineLists.list(at: node) else {
            return try list(node, field: field, count: count, of: what).enumerated().map { (index, item) throws(ScenarioError) in
                try read(item, field + "[\(index)]")
            }
        }
        if let problem = countProblem(inline.count, expected: count, of: what) { throw fail(node, field, problem) }
        var values = inline.numbers
        for index in values.indices where !accept(values[index]) {
            let item = inlineLists.item(inline, index)
            do {
                values[index] = try read(item.node, field + "[\(index)]")
            } catch {
                var located = error
                (located.line, located.column) = (item.line, item.column)
                throw located
            }
        }
        return values
    }

    /// What is wrong with a list of `count` items where `expected` are needed, or nil.
    private func countProblem(_ count: Int, expected: Int?, of what: String) -> String? {
        guard let expected, count != expected else { return nil }
        return "expected \(expected) \(what) (one per response), got \(count)"
    }

    /// The items of a list, checking their number when `count` is given.
    private func list(_ node: Node, field: String, count: Int? = nil, of what: String = "") throws(ScenarioError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw fail(node, field, "expected a list such as [a, b, c], got \(describe(node))")
        }
        let items = Array(sequence)
        if let problem = countProblem(items.count, expected: count, of: what) { throw fail(node, field, problem) }
        return items
    }

    // MARK: Mappings

    /// The entries of a mapping by key, after checking every key is known.
    private struct Fields {
        let parser: ScenarioParser
        let node: Node
        let path: String
        let entries: [String: (key: Node, value: Node)]

        func key(_ name: String) -> Node? { entries[name]?.key }
        func value(_ name: String) -> Node? { entries[name]?.value }

        func required(_ name: String) throws(ScenarioError) -> Node {
            guard let value = value(name) else {
                throw parser.fail(node, parser.join(path, name), "missing required key \"\(name)\"")
            }
            return value
        }
    }

    /// Reads a mapping, rejecting keys that are not in `known`. A key of the other kind of mapping
    /// (`misplaced`) is reported as being in the wrong place; any other unknown key gets the
    /// nearest known key as a suggestion when one is close.
    private func fields(of node: Node, path: String, known: [String], misplaced: [String],
                        misplacedWhere: String, what: String) throws(ScenarioError) -> Fields {
        guard case .mapping(let mapping) = node else {
            throw fail(node, path, "expected \(what) as a mapping of key: value lines, got \(describe(node))")
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, !isNull(scalar) else {
                throw fail(key, path, "expected a key name, got \(describe(key))")
            }
            let name = scalar.string
            guard known.contains(name) else {
                var message = "unknown key \"\(name)\""
                if misplaced.contains(name) {
                    message += "; it belongs \(misplacedWhere)"
                } else if let suggestion = Self.nearest(to: name, among: known) {
                    message += "; did you mean \"\(suggestion)\"?"
                } else {
                    message += "; the keys here are " + known.joined(separator: ", ")
                }
                throw fail(key, join(path, name), message)
            }
            entries[name] = (key, value)
        }
        return Fields(parser: self, node: node, path: path, entries: entries)
    }

    /// The known key closest to `name` (edit distance with transpositions, ignoring case) when it
    /// is within two edits or shares its first four letters; nil when nothing is close.
    static func nearest(to name: String, among known: [String]) -> String? {
        let lowered = Array(name.lowercased())
        let scored = known.map { candidate -> (key: String, distance: Int) in
            let target = Array(candidate)
            let distance = editDistance(lowered, target)
            let sharesStem = lowered.count >= 4 && target.starts(with: lowered.prefix(4))
            return (candidate, sharesStem ? min(distance, 2) : distance)
        }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= 2 else { return nil }
        return best.key
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    // MARK: Helpers

    func fail(_ node: Node, _ field: String, _ message: String) -> ScenarioError {
        ScenarioError(file: fileName, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                      field: field, message: message)
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Whether a scalar is YAML's null: an empty plain value, `~` or `null`.
    private func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ScalarText.nullSpellings.contains(scalar.string)
    }

    /// The text of a scalar as written, for messages.
    private func scalarText(_ node: Node) -> String { node.scalar?.string ?? "" }

    /// What a node holds, in words, for "expected …, got …" messages.
    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar) where isNull(scalar): "nothing"
        case .scalar(let scalar) where scalar.style == .plain: scalar.string
        case .scalar(let scalar): "the text \(ScalarText.doubleQuoted(scalar.string))"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A sum of probabilities to ten significant digits, trailing zeros dropped: `0.98`, `0.9999985`.
    /// Every sum described is off by more than the tolerance, so it never reads as 1.
    static func describeSum(_ sum: Double) -> String {
        sum.isFinite ? String(format: "%.10g", sum) : "more than 1e308"
    }
}
