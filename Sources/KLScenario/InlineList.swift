import CYaml
import Yams

/// A long flow list (`[a, b, c]`, also JSON's) of scalars under `responses`, `rewards`, `probs`
/// or `logprobs`, read by the structure pass (`YAMLStructureCheck`) straight from libyaml's
/// events instead of becoming a Yams node per item. Yams composes the document with the list
/// blanked to `[ … ]` of spaces at the same place, and the parser takes the items from here.
struct InlineList {
    /// What the key says the items are.
    enum Kind {
        case labels, numbers, logProbabilities

        init?(key: String) {
            switch key {
            case "responses": self = .labels
            case "rewards", "probs": self = .numbers
            case "logprobs": self = .logProbabilities
            default: return nil
            }
        }
    }

    /// Shorter lists are left to Yams.
    static let minimumCount = 256

    let kind: Kind
    /// Where the `[` is, 1-based, as Yams marks the blanked list.
    let line: Int, column: Int
    /// libyaml's character index of the `[` and of the character after the `]`.
    let index: Int
    var end = 0
    /// The labels, for `.labels` (a null item is "", as the parser reads it).
    var labels: [String] = []
    /// The numbers, for the other kinds: NaN where the item is not a number that kind reads
    /// (the parser then reads that item again as a node, with the full rules and messages).
    var numbers: [Double] = []

    /// How many items.
    var count: Int { kind == .labels ? labels.count : numbers.count }

    /// Adds one scalar item given by its bytes and whether it is plain (unquoted).
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, plain: Bool) {
        if kind == .labels {
            labels.append(plain && ScalarText.isNull(bytes) ? "" : String(decoding: bytes, as: UTF8.self))
            return
        }
        if plain, let value = NumberScanner.decimal(bytes) {
            numbers.append(value)
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if kind == .logProbabilities {
            // A zero probability: `-.inf` and the like, null, or in JSON the text "-inf".
            if plain, ScalarText.isNull(bytes) { return numbers.append(-.infinity) }
            if !plain, text.first == "-", ScalarText.isInfinity(text.dropFirst()) { return numbers.append(-.infinity) }
        }
        numbers.append(plain ? ScalarText.number(text) ?? .nan : .nan)
    }
}

/// The long inline lists of one document, by the place of their `[`, and the text Yams composes.
struct InlineLists {
    struct Position: Hashable {
        var line: Int, column: Int
    }

    /// The text as given: where items are read again for their place and spelling.
    let source: String
    /// The text for Yams: `source` with the lists blanked.
    var yaml: String
    var lists: [Position: InlineList] = [:]

    init(source: String) {
        self.source = source
        yaml = source
    }

    /// The inline list that the (blanked, empty) sequence `node` stands for.
    func list(at node: Node) -> InlineList? {
        guard !lists.isEmpty, case .sequence(let sequence) = node, sequence.isEmpty, let mark = node.mark else { return nil }
        return lists[Position(line: mark.line, column: mark.column)]
    }

    /// Item `index` of `list` as a node (without a mark) with its 1-based line and column, read
    /// again from the source: for the parser's rules and messages on an item the fast path did not take.
    func item(_ list: InlineList, _ index: Int) -> (node: Node, line: Int, column: Int) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return (Node(""), 0, 0) }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(source.utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var inside = false, seen = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return (Node(""), 0, 0) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return (Node(""), 0, 0) }
                if !inside {
                    inside = event.type == YAML_SEQUENCE_START_EVENT && Int(event.start_mark.index) == list.index
                    continue
                }
                guard event.type == YAML_SCALAR_EVENT else { continue }
                if seen == index {
                    let scalar = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let style: Node.Scalar.Style = switch scalar.style {
                    case YAML_PLAIN_SCALAR_STYLE: .plain
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                    default: .doubleQuoted
                    }
                    return (.scalar(Node.Scalar(text, .implicit, style)), Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
                seen += 1
            }
        }
    }

    /// `bytes` with each list's items blanked: every character between `[` and `]` but line
    /// breaks becomes one space, so that lines and columns (libyaml counts characters) stay.
    static func blanking(_ bytes: UnsafeBufferPointer<UInt8>, _ lists: [InlineList]) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { result in
            var byte = 0, character = 0, written = 0
            /// The length of the UTF-8 character at `byte` (1 for a stray continuation byte).
            func length(at byte: Int) -> Int {
                var end = byte + 1
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                return end - byte
            }
            for list in lists {
                // Up to and through the `[`, as written.
                while character <= list.index, byte < bytes.count {
                    let size = bytes[byte] < 0x80 ? 1 : length(at: byte)
                    for offset in 0..<size { result[written + offset] = bytes[byte + offset] }
                    (byte, written, character) = (byte + size, written + size, character + 1)
                }
                while character < list.end - 1, byte < bytes.count {
                    let lead = bytes[byte]
                    let size = lead < 0x80 ? 1 : length(at: byte)
                    // Line breaks: LF, CR, and NEL, LS, PS, which libyaml also counts as lines.
                    let isBreak = lead == 0x0A || lead == 0x0D
                        || (size == 2 && lead == 0xC2 && bytes[byte + 1] == 0x85)
                        || (size == 3 && lead == 0xE2 && bytes[byte + 1] == 0x80 && (bytes[byte + 2] == 0xA8 || bytes[byte + 2] == 0xA9))
                    if isBreak {
                        for offset in 0..<size { result[written + offset] = bytes[byte + offset] }
                        written += size
                    } else {
                        result[written] = UInt8(ascii: " ")
                        written += 1
                    }
                    (byte, character) = (byte + size, character + 1)
                }
            }
            let rest = bytes.count - byte
            if rest > 0 { _ = UnsafeMutableBufferPointer(rebasing: result[written..<written + rest]).initialize(from: UnsafeBufferPointer(rebasing: bytes[byte...])) }
            return written + rest
        }
    }
}
