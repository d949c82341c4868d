import Foundation
import Yams

/// Reads scenario files: YAML, or JSON as its subset.
///
/// ```yaml
/// title: Chat and math references disagree   # optional; defaults to the file name
/// notes: |                                   # optional
///   What to look at, what to change.
/// beta: 0.5
/// responses: [greet, joke, answer, derive, refuse]
/// rewards:   [0.1, -0.3, 1.0, 1.4, -1.0]
/// normalize: false                           # optional; true renormalises references not summing to 1
/// references:
///   - name: chat
///     weight: 0.6                            # optional, default 1; relative
///     probs: [0.35, 0.25, 0.30, 0.0, 0.10]
///   - name: math
///     weight: 0.4
///     logprobs: [-2.3025850929940455, -.inf, -0.6931471805599453, -1.0498221244986778, -2.995732273553991]
/// ```
///
/// A malformed file is rejected with one `ScenarioError` that locates the first problem
/// (both functions use typed throws: the error is always a `ScenarioError`). Probabilities must
/// sum to 1 within 1e-6 (for `logprobs`: `exp(logsumexp)`) unless `normalize: true`, which
/// renormalises and records a `loadNotices` entry. Zero probabilities are `0` in `probs` and
/// `-.inf`, `-inf` or `-Infinity` in `logprobs` (in JSON also `"-inf"` or `null`).
public enum ScenarioLoader {
    /// Reads and validates the scenario file at `url`. Errors name the file by `url.relativePath`.
    public static func load(contentsOf url: URL) throws(ScenarioError) -> Scenario {
        try parse(try text(of: url), fileName: url.relativePath, baseDirectory: url.deletingLastPathComponent())
    }

    /// The file's text; its bytes are let go on return, so a big file is not held twice while it is parsed.
    private static func text(of url: URL) throws(ScenarioError) -> String {
        let name = url.relativePath
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(atPath: url.path, limit: ScenarioLimits.maxFileBytes)
        } catch {
            throw readError(error, fileName: name)
        }
        return try utf8Text(bytes, fileName: name)
    }

    /// Why the scenario file `name` could not be read, in words.
    static func readError(_ error: FileSystemError, fileName name: String) -> ScenarioError {
        switch error.code {
        case ENOENT: ScenarioError(file: name, message: "file does not exist")
        case EISDIR: ScenarioError(file: name, message: "is a folder, not a scenario file")
        case FileSystem.notRegularFile:
            ScenarioError(file: name, message: "is not a regular file (a device, pipe or socket); give a scenario file")
        case FileSystem.tooLarge:
            ScenarioError(file: name, message: "the file is larger than \(ScenarioLimits.maxFileBytes >> 20) MiB; a scenario file is far smaller")
        default: ScenarioError(file: name, message: "cannot read the file: \(error.reason)")
        }
    }

    /// Validates the scenario in `text`; `fileName` is used in errors and, without its folder and
    /// extension, as the title when the text has none.
    /// Data files the scenario names (`probs: chat.npy`) are relative to `baseDirectory`, by
    /// default the folder of `fileName`.
    public static func parse(_ text: String, fileName: String, baseDirectory: URL? = nil) throws(ScenarioError) -> Scenario {
        try parse(text, fileName: fileName, baseDirectory: baseDirectory, minimumInlineCount: InlineList.minimumCount)
    }

    /// `parse`, with lists of `minimumInlineCount` items or more read by the fast path (`InlineList`).
    static func parse(_ text: String, fileName: String, baseDirectory: URL?, minimumInlineCount: Int) throws(ScenarioError) -> Scenario {
        // libyaml does not skip a byte-order mark when told the encoding, so drop it here.
        let text = try JSONSurrogates.decoded(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, fileName: fileName)
        var inlineLists = try YAMLStructureCheck.check(text, fileName: fileName, minimumInlineCount: minimumInlineCount)
        let root: Node?
        do {
            root = try Yams.compose(yaml: inlineLists.yaml, .default, .default, .utf8)
            inlineLists.yaml = "" // composed: not held while the tree is read
        } catch let error as YamlError {
            throw syntaxError(error, in: text, fileName: fileName)
        } catch {
            throw ScenarioError(file: fileName, message: "cannot read YAML: \(error)")
        }
        var parser = ScenarioParser(fileName: fileName, defaultTitle: defaultTitle(fileName))
        parser.baseDirectory = baseDirectory
        parser.inlineLists = inlineLists
        return try parser.scenario(from: root)
    }

    /// Every scenario file (`*.yaml`, `*.yml`, `*.json`, not hidden) directly inside `directories`,
    /// sorted by path, each with its title and first line of notes (`ScenarioListing.summary(of:)`:
    /// at most a bounded prefix of each file is read). Files that fail to load are listed too,
    /// titled by their file name and carrying the error. Folders that cannot be read are skipped.
    /// With `folders`, the subfolders (not hidden) come first, as folder entries sorted by path;
    /// only their names are read. `isCancelled` is asked before each file; once it is true the
    /// listing stops, and what it returns is incomplete.
    public static func list(directories: [URL], folders: Bool = false, isCancelled: () -> Bool = { false }) -> [ScenarioListing] {
        list(directories: directories, folders: folders, isCancelled: isCancelled, read: ScenarioListing.readPrefix)
    }

    /// `list` reading the scenario files with `read` (tests count the bytes it reads).
    static func list(directories: [URL], folders: Bool, isCancelled: () -> Bool,
                     read: ScenarioListing.PrefixReader) -> [ScenarioListing] {
        var seen = Set<String>()
        var listings: [ScenarioListing] = []
        var subfolders: [ScenarioListing] = []
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where !name.hasPrefix(".") {
                let url = directory.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                      isDirectory.boolValue ? folders : scenarioExtensions.contains((name as NSString).pathExtension.lowercased()),
                      seen.insert(url.standardizedFileURL.path).inserted
                else { continue }
                if isDirectory.boolValue {
                    subfolders.append(.folder(url))
                } else {
                    if isCancelled() { break }
                    listings.append(ScenarioListing.summary(of: url, read: read))
                }
            }
        }
        return subfolders.sorted { $0.url.path < $1.url.path } + listings.sorted { $0.url.path < $1.url.path }
    }

    /// The file extensions `list` picks up.
    static let scenarioExtensions: Set<String> = ["yaml", "yml", "json"]

    /// The file name without folder and extension: the title of a file that has none.
    static func defaultTitle(_ fileName: String) -> String {
        ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// `bytes` as text, or an error at the first byte that is not UTF-8.
    static func utf8Text(_ bytes: [UInt8], fileName: String) throws(ScenarioError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1, column = 1
        while case .valid(let encoded) = parser.parseScalar(from: &iterator) {
            offset += encoded.count
            if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        let byte = offset < bytes.count ? String(bytes[offset], radix: 16, uppercase: true) : "?"
        throw ScenarioError(file: fileName, line: line, column: column,
                            message: "not UTF-8 text (byte 0x\(byte)); save the file as UTF-8")
    }

    /// A Yams error as a located `ScenarioError`.
    static func syntaxError(_ error: YamlError, in text: String, fileName: String) -> ScenarioError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text), line \($0.mark.line))" } ?? ""
            return ScenarioError(file: fileName, line: mark.line, column: mark.column,
                                 message: "YAML syntax error: \(problem)\(during)")
        case let .reader(problem, offset, _, _):
            let (line, column) = position(ofCharacter: offset ?? 0, in: text)
            return ScenarioError(file: fileName, line: line, column: column, message: "YAML syntax error: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ScenarioError(file: fileName, line: context.mark.line, column: context.mark.column,
                                 message: duplicateKeysMessage(duplicates, at: context.mark, in: text))
        default:
            return ScenarioError(file: fileName, message: "cannot read YAML: \(error)")
        }
    }

    /// What Yams calls a key it cannot show as text (a list or mapping, often repeated by an alias).
    static let unshownKey = "<uncovertable>"

    /// "key "beta" appears more than once in the same mapping", saying in words which repeated
    /// keys are lists or mappings (Yams shows them as `<uncovertable>`); when that is the only
    /// repeated key, its text from the file at `mark` is quoted too.
    static func duplicateKeysMessage(_ duplicates: [String], at mark: Mark, in text: String) -> String {
        // A file may use Yams's placeholder as a key of its own; then it is that key.
        let isPlaceholder = { (key: String) in key == unshownKey && !text.contains(unshownKey) }
        var keys = duplicates.filter { !isPlaceholder($0) }.map { "\"\($0)\"" }
        let unshown = duplicates.count - keys.count
        if unshown > 0 {
            var words = unshown == 1 ? "a key that is a list or a mapping" : "\(unshown) keys that are lists or mappings"
            if keys.isEmpty && unshown == 1 {
                let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(mark.line - 1).first ?? ""
                let source = line.dropFirst(max(0, mark.column - 1)).trimmingCharacters(in: .whitespaces)
                if !source.isEmpty { words += " (\(source.count > 40 ? source.prefix(39) + "…" : source))" }
            }
            keys.append(words)
        }
        let list = switch (keys.count, unshown) {
        case (1, 0): "key \(keys[0]) appears"
        case (1, 1): "\(keys[0]) appears"
        case (1, _): "\(keys[0]) each appear"
        default: "\(unshown == 0 || keys.count > 2 ? "keys" : "key") \(keys.dropLast().joined(separator: ", ")) and \(keys.last!) each appear"
        }
        return list + " more than once in the same mapping" + (unshown > 0 ? "; keys must be names" : "")
    }

    /// The 1-based line and column of the character at `offset` (Yams counts reader errors in characters).
    private static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
