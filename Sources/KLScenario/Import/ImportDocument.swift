import Foundation
import Yams
import TerminalUI

/// One JSON document an importer reads (a whole file, or one line of a JSON Lines file), with
/// the helpers that turn a missing or wrong value into a `ScenarioError` naming the file, the
/// line and column, and the JSON path of the field.
///
/// JSON is read by the same YAML composer as scenario files, so positions, limits and duplicate
/// keys are handled the same way.
struct ImportDocument {
    /// The file name errors carry.
    let fileName: String
    /// Added to the composer's line numbers: the line of a JSON Lines file, minus one.
    let lineOffset: Int
    /// The document's root value.
    let root: Node

    /// Reads the file at `path`, or line `line` (1-based) of it when given. A `.jsonl` or
    /// `.ndjson` file without `line` must have exactly one non-empty line.
    static func read(path: String, line: Int?) throws(ScenarioError) -> ImportDocument {
        let text = try readText(path)
        let isLines = ["jsonl", "ndjson"].contains((path as NSString).pathExtension.lowercased())
        guard line != nil || isLines else { return try parse(text, fileName: path, lineOffset: 0) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let chosen: Int
        if let line {
            guard line >= 1, line <= lines.count, !lines[line - 1].allSatisfy(\.isWhitespace) else {
                let filled = lines.indices.filter { !lines[$0].allSatisfy(\.isWhitespace) }.count
                throw ScenarioError(file: path, message: "--line \(line): no such line with a response; the file has \(filled) non-empty line\(filled == 1 ? "" : "s")")
            }
            chosen = line
        } else {
            let filled = lines.indices.filter { !lines[$0].allSatisfy(\.isWhitespace) }
            guard filled.count == 1 else {
                throw ScenarioError(file: path, message: "a JSON Lines file with \(filled.count) responses; choose one with --line N")
            }
            chosen = filled[0] + 1
        }
        return try parse(String(lines[chosen - 1]), fileName: path, lineOffset: chosen - 1)
    }

    /// The whole file at `path` as UTF-8 text, with errors like a scenario file's.
    static func readText(_ path: String) throws(ScenarioError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(atPath: path, limit: ScenarioLimits.maxFileBytes)
        } catch {
            switch error.code {
            case ENOENT: throw ScenarioError(file: path, message: "file does not exist")
            case EISDIR: throw ScenarioError(file: path, message: "is a folder, not a JSON file")
            case FileSystem.tooLarge: throw ScenarioError(file: path, message: "the file is larger than \(ScenarioLimits.maxFileBytes >> 20) MiB")
            default: throw ScenarioError(file: path, message: "cannot read the file: \(error.reason)")
            }
        }
        return try ScenarioLoader.utf8Text(bytes, fileName: path)
    }

    /// Composes `text` (one JSON value) into a document.
    static func parse(_ source: String, fileName: String, lineOffset: Int) throws(ScenarioError) -> ImportDocument {
        let text: String
        do throws(ScenarioError) {
            text = try JSONSurrogates.decoded(source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source, fileName: fileName)
        } catch {
            var error = error
            if error.line > 0 { error.line += lineOffset }
            throw error
        }
        let root: Node?
        do {
            _ = try YAMLStructureCheck.check(text, fileName: fileName)  // only its limits; the whole text is composed below
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch var error as ScenarioError {
            if error.line > 0 { error.line += lineOffset }
            throw error
        } catch let error as YamlError {
            var located = ScenarioLoader.syntaxError(error, in: text, fileName: fileName)
            if located.line > 0 { located.line += lineOffset }
            located.message = located.message.replacingOccurrences(of: "YAML syntax error", with: "JSON syntax error")
            throw located
        } catch {
            throw ScenarioError(file: fileName, message: "cannot read JSON: \(error)")
        }
        guard let root else { throw ScenarioError(file: fileName, line: lineOffset > 0 ? lineOffset + 1 : 0, message: "empty; expected a JSON object") }
        return ImportDocument(fileName: fileName, lineOffset: lineOffset, root: root)
    }

    /// An error at `node`.
    func fail(_ node: Node, _ field: String, _ message: String) -> ScenarioError {
        ScenarioError(file: fileName, line: (node.mark?.line ?? 0) + lineOffset, column: node.mark?.column ?? 0,
                      field: field, message: message)
    }

    /// The value of `key` in the object `node`, or nil when absent or JSON `null`.
    func member(_ node: Node, _ key: String) -> Node? {
        guard case .mapping(let mapping) = node, let value = mapping[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.style == .plain, scalar.string == "null" { return nil }
        return value
    }

    /// The value of `key` in the object `node` at `path`, or an error saying it is missing.
    func required(_ node: Node, _ key: String, path: String, hint: String = "") throws(ScenarioError) -> Node {
        guard case .mapping = node else { throw fail(node, path, "expected a JSON object\(hint)") }
        guard let value = member(node, key) else { throw fail(node, path, "no \"\(key)\"\(hint)") }
        return value
    }

    /// The array `node` at `path`.
    func array(_ node: Node, path: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw fail(node, path, "expected a JSON array") }
        return Array(sequence)
    }

    /// The key-value pairs of the object `node` at `path`, in file order.
    func object(_ node: Node, path: String) throws(ScenarioError) -> [(key: Node, value: Node)] {
        guard case .mapping(let mapping) = node else { throw fail(node, path, "expected a JSON object") }
        return mapping.map { ($0.key, $0.value) }
    }

    /// The string `node` at `path`.
    func string(_ node: Node, path: String) throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, path, "expected a string") }
        return scalar.string
    }

    /// The number `node` at `path` (NaN and infinities included, as Python's `json` writes them).
    func number(_ node: Node, path: String) throws(ScenarioError) -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = ScalarText.number(scalar.string) else {
            throw fail(node, path, "expected a number, got \(VisibleText.escaped(node.scalar?.string ?? "a list or object"))")
        }
        return value
    }

    /// A log-probability at `path`: a number, not NaN, not above 0 (`-Infinity` is a zero probability).
    func logProbability(_ node: Node, path: String) throws(ScenarioError) -> Double {
        let value = try number(node, path: path)
        if value.isNaN { throw fail(node, path, "log-probability is NaN") }
        if value > 0 { throw fail(node, path, "positive log-probability \(node.scalar?.string ?? ""); a log-probability is at most 0") }
        return value
    }
}
