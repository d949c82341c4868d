import Foundation
import Yams

/// One entry of the file picker: a scenario file (where it is, its title and the first line of
/// its notes, or why it cannot be opened) or a folder to go into.
public struct ScenarioListing: Sendable, Equatable {
    /// The file.
    public var url: URL
    /// The scenario's title, or the file name when it has none or fails to load.
    public var title: String
    /// The first non-empty line of the notes, trimmed; empty when there are none.
    public var firstNoteLine: String
    /// Whether this entry is a guided tour rather than a plain scenario file (never for `list`).
    public var isTour: Bool
    /// Why the file cannot be opened; nil when it loads.
    public var loadError: ScenarioError?
    /// Whether this entry is a folder (the picker goes into it) rather than a file.
    public var isFolder: Bool

    /// Creates a listing entry.
    public init(url: URL, title: String, firstNoteLine: String, isTour: Bool = false, loadError: ScenarioError? = nil,
                isFolder: Bool = false) {
        self.url = url
        self.title = title
        self.firstNoteLine = firstNoteLine
        self.isTour = isTour
        self.loadError = loadError
        self.isFolder = isFolder
    }

    /// The entry of the folder at `url`, titled by its name with a trailing `/`.
    public static func folder(_ url: URL) -> ScenarioListing {
        ScenarioListing(url: url, title: url.lastPathComponent + "/", firstNoteLine: "folder", isFolder: true)
    }

    /// The examples an install (`scripts/install.sh PREFIX`) puts beside the binary:
    /// `PREFIX/share/klscope/examples` for `PREFIX/bin/klscope`; nil when there is no such folder.
    public static let installedExamplesDirectory: URL? = installedExamples(besideExecutable: Bundle.main.executableURL)

    /// `../share/klscope/examples` from the folder of `executable` (symbolic links resolved),
    /// when it is a folder.
    static func installedExamples(besideExecutable executable: URL?) -> URL? {
        guard let executable else { return nil }
        let folder = executable.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/klscope/examples", isDirectory: true)
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue ? folder : nil
    }

    /// The most of a file `summary(of:)` reads: 64 KiB.
    public static let summaryPrefixBytes = 64 << 10

    /// Reads at most the given number of bytes from the start of the file at a path; the listing
    /// reads scenario files only through one (tests pass one that counts).
    typealias PrefixReader = (_ path: String, _ count: Int) throws(FileSystemError) -> [UInt8]

    /// The `PrefixReader` of the file system.
    static func readPrefix(_ path: String, _ count: Int) throws(FileSystemError) -> [UInt8] {
        try FileSystem.readBytes(atPath: path, prefix: count)
    }

    /// Describes the file at `url` from at most its first `summaryPrefixBytes` bytes (one more,
    /// to tell whether there is more), so listing a folder of large files costs a bounded amount
    /// of reading and memory per file, and nothing else is read. A file that fits in the prefix
    /// and names no data file is checked in full from those bytes, as opening it would, so its
    /// `loadError` is known; a longer one, or one naming data files (`probs: vocab.npy`, which
    /// may hold millions of numbers), is described from the `title` and `notes` found in its
    /// text (top-level YAML keys, or the JSON members `"title"` and `"notes"`) and carries no
    /// error: it is checked when opened.
    public static func summary(of url: URL) -> ScenarioListing {
        summary(of: url, read: readPrefix)
    }

    /// `summary(of:)` reading with `read`.
    static func summary(of url: URL, read: PrefixReader) -> ScenarioListing {
        let name = url.relativePath, fallbackTitle = ScenarioLoader.defaultTitle(url.lastPathComponent)
        func failed(_ error: ScenarioError) -> ScenarioListing {
            ScenarioListing(url: url, title: fallbackTitle, firstNoteLine: "", loadError: error)
        }
        let bytes: [UInt8]
        do {
            bytes = try read(url.path, summaryPrefixBytes + 1)
        } catch {
            return failed(ScenarioLoader.readError(error, fileName: name))
        }
        let text: String
        if bytes.count > summaryPrefixBytes {
            // Drop a character cut in two at the end of the prefix, then anything else not UTF-8.
            var end = summaryPrefixBytes
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            text = String(decoding: bytes[..<end], as: UTF8.self)
        } else {
            do throws(ScenarioError) {
                text = try ScenarioLoader.utf8Text(bytes, fileName: name)
                if !PrefixFields.namesDataFiles(text) {
                    let scenario = try ScenarioLoader.parse(text, fileName: name, baseDirectory: url.deletingLastPathComponent())
                    return ScenarioListing(url: url, title: scenario.title, firstNoteLine: firstLine(of: scenario.notes))
                }
            } catch {
                return failed(error)
            }
        }
        let (title, notes) = PrefixFields.titleAndNotes(in: text)
        return ScenarioListing(url: url, title: title.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackTitle,
                               firstNoteLine: firstLine(of: notes ?? ""))
    }

    /// The first non-empty line of `notes`, trimmed.
    static func firstLine(of notes: String) -> String {
        notes.split(whereSeparator: \.isNewline)
            .lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
    }
}

/// Finds a scenario's `title` and `notes` in the beginning of a file too long to parse whole.
enum PrefixFields {
    /// Whether the YAML or JSON `text` has a value that names a data file (`.npy`, `.csv`,
    /// `.tsv`, `.txt`, `FILE.safetensors#TENSOR`), which opening the scenario would read; false
    /// when `text` does not compose (parsing it then says why, without reading anything more).
    static func namesDataFiles(_ text: String) -> Bool {
        guard let node = try? Yams.compose(yaml: text) else { return false }
        var pending = [node]
        while let next = pending.popLast() {
            switch next {
            case .scalar(let scalar): if DataFile.isDataFile(scalar.string) { return true }
            case .mapping(let mapping): pending += mapping.values
            case .sequence(let sequence): pending += Array(sequence)
            case .alias: break
            }
        }
        return false
    }

    /// The strings under the top-level keys `title` and `notes` found in `text` (nil when absent
    /// or not a string).
    static func titleAndNotes(in text: String) -> (title: String?, notes: String?) {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" {
            return (jsonString(member: "title", in: text), jsonString(member: "notes", in: text))
        }
        return yamlStrings(in: text)
    }

    /// The JSON string value of the first member named `member` in `text`, decoded.
    private static func jsonString(member: String, in text: String) -> String? {
        let pattern = "\"\(member)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\")"
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text[range].utf8), options: .fragmentsAllowed)) as? String
    }

    /// The top-level YAML keys `title` and `notes` with their indented continuation lines,
    /// parsed on their own.
    private static func yamlStrings(in text: String) -> (title: String?, notes: String?) {
        var kept: [Substring] = []
        var keeping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " ", first != "\t", first != "#" {
                keeping = line.hasPrefix("title:") || line.hasPrefix("notes:")
            }
            if keeping { kept.append(line) }
        }
        guard !kept.isEmpty,
              let node = try? Yams.compose(yaml: kept.joined(separator: "\n")), let mapping = node.mapping
        else { return (nil, nil) }
        return (mapping["title"]?.string, mapping["notes"]?.string)
    }
}
