import Foundation
import Yams

/// Saves edits into a scenario file the way a careful person would by hand: only the values that
/// changed are rewritten, in place, and every other byte of the file stays as it was (comments,
/// key order, quoting, number formatting, `probs` or `logprobs`, references to data files).
///
/// The file's text is composed again with Yams, whose marks give the line and column of every
/// value. An edited `β`, weight, reward or probability replaces just the text of its scalar,
/// keeping its quotes: a probability in a `probs:` list is written as a probability, one in a
/// `logprobs:` list as a log-probability, both in their shortest round-tripping form. A missing
/// `weight:` is added on the line after the reference's `name:`. A value that lives in a data file
/// (`probs: chat.npy`) is written into that file, in its own format: the same bytes of a `.npy`
/// or `.safetensors` tensor in the same dtype (float32 or float64), or the same line of a CSV/TSV/
/// text file. What cannot be written in place (a top-k list, a 16-bit tensor, a value spread over
/// several lines) is refused with a message instead of being rewritten in another form.
enum ScenarioPatcher {
    /// The patched scenario text (nil when the scenario file itself needs no change) and the data
    /// files to write with it (path on disk, new bytes).
    struct Patch {
        var text: String?
        var dataFiles: [(path: String, bytes: [UInt8])]
    }

    /// `text` (the file at `fileName`, whose data files are relative to `baseDirectory`) with the
    /// values where `edited` differs from what `text` holds replaced in place. Nil when `text`
    /// does not load or describes another shape of scenario (other responses, other reference
    /// names, other notes or `normalize`): then the file is not the edited one's and is written
    /// whole. Throws `cannot save in place: …` for an edit the file's form cannot hold.
    static func patch(_ text: String, fileName: String, baseDirectory: URL, to edited: Scenario) throws(ScenarioError) -> Patch? {
        let hasMark = text.hasPrefix("\u{FEFF}")
        let body = hasMark ? String(text.dropFirst()) : text
        guard let base = try? ScenarioLoader.parse(body, fileName: fileName, baseDirectory: baseDirectory),
              base.responses == edited.responses, base.notes == edited.notes, base.normalize == edited.normalize,
              base.references.map(\.name) == edited.references.map(\.name),
              let root = try? Yams.compose(yaml: body, .default, .default, .utf8)
        else { return nil }
        var parser = ScenarioParser(fileName: fileName, defaultTitle: ScenarioLoader.defaultTitle(fileName))
        parser.baseDirectory = baseDirectory
        var patcher = Patcher(source: SourceText(body), parser: parser, fileName: fileName,
                              isJSON: (fileName as NSString).pathExtension.lowercased() == "json")

        if base.title != edited.title {
            guard let titleNode = root.value(of: "title") else { throw patcher.refusal("title", "the file has no title line to change") }
            try patcher.replace(titleNode, field: "title", with: ScalarText.string(edited.title), quotedText: edited.title)
        }
        if base.beta != edited.beta, let betaNode = root.value(of: "beta") {
            try patcher.replace(betaNode, field: "beta", number: edited.beta)
        }
        try patcher.numbers(root.value(of: "rewards"), field: "rewards", old: base.rewards, new: edited.rewards,
                            extra: root.value(of: "rest_reward"))
        let referenceNodes = root.value(of: "references")?.sequence.map(Array.init) ?? []
        for (k, node) in referenceNodes.enumerated() where k < edited.references.count {
            let old = base.references[k], new = edited.references[k]
            let path = "references[\(k)]"
            if old.weight != new.weight {
                if let weightNode = node.value(of: "weight") {
                    try patcher.replace(weightNode, field: path + ".weight", number: new.weight)
                } else {
                    try patcher.insertWeight(new.weight, in: node, field: path)
                }
            }
            guard old.logProbabilities != new.logProbabilities else { continue }
            if let probs = node.value(of: "probs") {
                try patcher.numbers(probs, field: path + ".probs", old: old.logProbabilities.map(exp),
                                    new: new.logProbabilities.map(exp), changed: zip(old.logProbabilities, new.logProbabilities).map(!=))
            } else if let logprobs = node.value(of: "logprobs") {
                try patcher.numbers(logprobs, field: path + ".logprobs", old: old.logProbabilities, new: new.logProbabilities)
            } else {
                throw patcher.refusal(path, "its probabilities are a top-k list, which cannot hold the edited probabilities; save as a new file (S) instead")
            }
        }
        let patched = (hasMark ? "\u{FEFF}" : "") + patcher.source.text
        return Patch(text: patched == text ? nil : patched, dataFiles: patcher.dataFileBytes())
    }
}

/// The patches collected for one save.
private struct Patcher {
    var source: SourceText
    let parser: ScenarioParser
    let fileName: String
    let isJSON: Bool
    /// Data files being patched: binary ones by byte, text ones by line.
    var binaryFiles: [String: [UInt8]] = [:]
    var textFiles: [String: [String]] = [:]
    /// The order data files were first touched in, so they are written in a stable order.
    var dataFileOrder: [String] = []

    func refusal(_ field: String, _ reason: String) -> ScenarioError {
        ScenarioError(file: fileName, field: field, message: "cannot save in place: \(reason)")
    }

    /// Replaces the number `node` holds.
    mutating func replace(_ node: Node, field: String, number: Double) throws(ScenarioError) {
        let quoted = number.isInfinite ? (number < 0 ? "-inf" : "inf") : ScalarText.number(number)
        try replace(node, field: field, with: numberText(number), quotedText: quoted)
    }

    /// The number as the file's syntax writes it: `-.inf` in YAML, `"-inf"` in JSON.
    func numberText(_ value: Double) -> String {
        isJSON && value.isInfinite ? (value < 0 ? "\"-inf\"" : "\"inf\"") : ScalarText.number(value)
    }

    /// Replaces the text of the scalar `node` with `plain` (its new text as a plain scalar), or,
    /// when the file quotes it, with `quotedText` inside the same quotes.
    mutating func replace(_ node: Node, field: String, with plain: String, quotedText: String) throws(ScenarioError) {
        guard case .scalar(let scalar) = node, let mark = scalar.mark,
              let span = source.span(line: mark.line, column: mark.column, style: scalar.style, value: scalar.string)
        else { throw refusal(field, "its value is not a one-line value klscope can find in the file") }
        switch scalar.style {
        case .singleQuoted: source.replace(span, with: "'" + quotedText.replacingOccurrences(of: "'", with: "''") + "'")
        case .doubleQuoted: source.replace(span, with: String(ScalarText.doubleQuoted(quotedText)))
        default: source.replace(span, with: plain)
        }
    }

    /// Rewrites the entries of the list (or data file) `node` where `old` and `new` differ (or
    /// where `changed` says so). `extra` is the node of the value past the end of the list (the
    /// reward of "other", `rest_reward`).
    mutating func numbers(_ node: Node?, field: String, old: [Double], new: [Double], changed: [Bool]? = nil,
                          extra: Node? = nil) throws(ScenarioError) {
        guard let node else { return }
        var changed = changed ?? zip(old, new).map { $0 != $1 }
        guard changed.contains(true) else { return }
        let listed: Int
        if let path = parser.dataFilePath(node) {
            listed = try writeData(path, field: field, new: new, changed: changed)
        } else {
            guard let items = node.sequence.map(Array.init) else { throw refusal(field, "it is not a list") }
            listed = items.count
            for (index, isChanged) in changed.prefix(items.count).enumerated() where isChanged {
                try replace(items[index], field: "\(field)[\(index)]", number: new[index])
            }
        }
        changed.removeFirst(min(listed, changed.count))
        guard changed.contains(true) else { return }
        // The value past the list: the reward of "other" that a top-k list adds.
        guard let extra else {
            throw refusal(field, "the reward of \"\(ScenarioParser.restLabel)\" has no rest_reward line to change")
        }
        try replace(extra, field: "rest_reward", number: new[new.count - 1])
    }

    /// Writes the changed values into the data file `path` names; returns how many values it holds.
    private mutating func writeData(_ path: String, field: String, new: [Double], changed: [Bool]) throws(ScenarioError) -> Int {
        let disk = parser.resolve(path).disk
        let column: DataColumn
        do {
            column = try DataFile.numbers(atPath: disk)
        } catch {
            throw refusal(field, "cannot read \(path): \(error.message)")
        }
        if !dataFileOrder.contains(disk) { dataFileOrder.append(disk) }
        if column.firstLine == nil {
            guard column.itemSize == 4 || column.itemSize == 8 else {
                throw refusal(field, "\(path) holds 16-bit values, which would lose the edit; save as a new file (S) instead")
            }
            var bytes: [UInt8]
            if let pending = binaryFiles[disk] {
                bytes = pending
            } else {
                do { bytes = try FileSystem.readBytes(atPath: disk) } catch { throw refusal(field, "cannot read \(path): \(error.reason)") }
            }
            for (index, isChanged) in changed.enumerated() where isChanged && index < column.values.count {
                let at = column.dataOffset + index * column.itemSize
                if column.itemSize == 8 {
                    withUnsafeBytes(of: new[index].bitPattern.littleEndian) { bytes.replaceSubrange(at..<at + 8, with: $0) }
                } else {
                    withUnsafeBytes(of: Float(new[index]).bitPattern.littleEndian) { bytes.replaceSubrange(at..<at + 4, with: $0) }
                }
            }
            binaryFiles[disk] = bytes
        } else {
            var lines: [String]
            if let pending = textFiles[disk] {
                lines = pending
            } else {
                guard let text = try? String(contentsOfFile: disk, encoding: .utf8) else { throw refusal(field, "cannot read \(path)") }
                lines = text.components(separatedBy: "\n")
            }
            let separator: Character = DataFile.isTabSeparated(disk) ? "\t" : ","
            // Every line from `firstLine` on holds the next value (the loader refuses anything else).
            let firstLine = column.firstLine ?? 1
            for (index, isChanged) in changed.enumerated() where isChanged && index < column.values.count {
                let value = new[index]
                let text = value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)"
                let line = firstLine + index - 1
                lines[line] = Self.replacingLastCell(of: lines[line], separator: separator, with: text)
            }
            textFiles[disk] = lines
        }
        return column.values.count
    }

    /// `line` with its last cell's text (without the spaces around it and a `\r`) replaced.
    static func replacingLastCell(of line: String, separator: Character, with text: String) -> String {
        let start = line.lastIndex(of: separator).map(line.index(after:)) ?? line.startIndex
        let cell = line[start...]
        let leading = cell.prefix { $0 == " " || $0 == "\t" && separator != "\t" }
        let trailing = cell.reversed().prefix { $0 == " " || $0 == "\r" || $0 == "\t" && separator != "\t" }
        return String(line[..<start]) + leading + text + String(trailing.reversed())
    }

    /// Adds `weight: value` to the reference `node`, on a line of its own after `name:` in a block
    /// mapping, or after the name's value in a flow mapping.
    mutating func insertWeight(_ weight: Double, in node: Node, field: String) throws(ScenarioError) {
        guard case .mapping(let mapping) = node,
              let pair = mapping.first(where: { $0.key.scalar?.string == "name" }),
              let keyMark = pair.key.mark, case .scalar(let name) = pair.value, let valueMark = name.mark,
              let span = source.span(line: valueMark.line, column: valueMark.column, style: name.style, value: name.string)
        else { throw refusal(field + ".weight", "the reference has no name line to put a weight after") }
        if mapping.style == .flow {
            source.insert(", \(isJSON ? "\"weight\"" : "weight"): \(numberText(weight))", line: span.line, column: span.end)
        } else {
            source.insertLine(String(repeating: " ", count: keyMark.column - 1) + "weight: \(numberText(weight))", after: span.line)
        }
    }

    /// The new bytes of every data file touched, in the order they were first touched.
    func dataFileBytes() -> [(path: String, bytes: [UInt8])] {
        dataFileOrder.map { path in (path, binaryFiles[path] ?? Array((textFiles[path] ?? []).joined(separator: "\n").utf8)) }
    }
}

/// A text as lines of Unicode scalars (the unit of Yams' columns), with replacements and new
/// lines collected against the original positions and applied together.
struct SourceText {
    /// Each line without its `\n` (a `\r` stays at its end), as read.
    private let lines: [[Unicode.Scalar]]
    /// Replacements (of a span, or an insertion where start == end).
    private var replacements: [(span: Span, text: String)] = []
    /// New lines, each after a 0-based original line.
    private var newLines: [(after: Int, text: String)] = []

    init(_ text: String) {
        lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
    }

    /// The text with every replacement and new line, and the same line ends.
    var text: String {
        var edited = lines
        for (span, text) in replacements.sorted(by: { ($0.span.line, $0.span.start) > ($1.span.line, $1.span.start) }) {
            edited[span.line].replaceSubrange(span.start..<span.end, with: text.unicodeScalars)
        }
        for (after, text) in newLines.sorted(by: { $0.after > $1.after }) {
            let ending: [Unicode.Scalar] = lines[after].last == "\r" ? ["\r"] : []
            edited.insert(Array(text.unicodeScalars) + ending, at: after + 1)
        }
        var result = String.UnicodeScalarView()
        for (index, line) in edited.enumerated() {
            if index > 0 { result.append("\n") }
            result.append(contentsOf: line)
        }
        return String(result)
    }

    /// The columns of one scalar on one line: 0-based line, start and end (exclusive) in scalars.
    struct Span { var line: Int, start: Int, end: Int }

    /// Where the scalar starting at 1-based `line`, `column` ends on that line, in the given style,
    /// checked against its value: nil when it runs over several lines or does not read back as
    /// `value` (so nothing is ever replaced that is not exactly the value).
    func span(line: Int, column: Int, style: Node.Scalar.Style, value: String) -> Span? {
        let row = line - 1, start = column - 1
        guard lines.indices.contains(row), start < lines[row].count else { return nil }
        let text = lines[row]
        var end = start
        switch style {
        case .singleQuoted, .doubleQuoted:
            let quote: Unicode.Scalar = style == .singleQuoted ? "'" : "\""
            guard text[start] == quote else { return nil }
            end = start + 1
            while end < text.count {
                if style == .doubleQuoted && text[end] == "\\" { end += 2; continue }
                if text[end] == quote {
                    if style == .singleQuoted && end + 1 < text.count && text[end + 1] == "'" { end += 2; continue }
                    return Span(line: row, start: start, end: end + 1)
                }
                end += 1
            }
            return nil
        case .plain, .any:
            // A plain scalar ends at a flow indicator, a comment or the end of the line; trailing
            // spaces are not part of it.
            while end < text.count {
                let character = text[end]
                if character == "," || character == "]" || character == "}" || character == "\r" { break }
                if character == "#" && end > start && (text[end - 1] == " " || text[end - 1] == "\t") { break }
                end += 1
            }
            while end > start && (text[end - 1] == " " || text[end - 1] == "\t") { end -= 1 }
            let span = Span(line: row, start: start, end: end)
            return String(String.UnicodeScalarView(text[start..<end])) == value ? span : nil
        default:
            return nil
        }
    }

    /// Replaces the scalars of `span` (of the original text).
    mutating func replace(_ span: Span, with text: String) {
        replacements.append((span, text))
    }

    /// Inserts `text` at 0-based `line`, `column` of the original text.
    mutating func insert(_ text: String, line: Int, column: Int) {
        replacements.append((Span(line: line, start: column, end: column), text))
    }

    /// Inserts `text` as a new line after 0-based original `line`, with that line's `\r` if it has one.
    mutating func insertLine(_ text: String, after line: Int) {
        newLines.append((line, text))
    }
}

private extension Node {
    /// The value of `key` in this mapping (nil when absent or not a mapping).
    func value(of key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { $0.key.scalar?.string == key }?.value
    }
}
