import CYaml

/// The limits a scenario file must stay within, so that no file (malicious, corrupted or just
/// enormous) can exhaust memory, overflow the stack or take long to load. Each limit is checked
/// before the work it protects: the size before reading, the YAML structure (nesting, alias
/// expansion) before the tree is built.
public enum ScenarioLimits {
    /// The largest scenario file read: 256 MiB.
    public static let maxFileBytes = 256 << 20
    /// The most responses a scenario may have.
    public static let maxResponses = 10_000_000
    /// The most references a scenario may have.
    public static let maxReferences = 64
    /// The deepest nesting of lists and mappings (a scenario needs 3).
    public static let maxDepth = 64
    /// The most values that YAML aliases (`*name`) may add in all when expanded. Aliases are
    /// allowed for small reuse; a "billion laughs" file is refused before anything is expanded.
    public static let maxAliasExpansion = 100_000
}

/// A pass over the YAML events (libyaml's parser keeps its own stack and never recurses) that
/// refuses too deep nesting and too large alias expansion before `Yams.compose` builds a tree:
/// composing recurses once per level, and it hashes mapping keys, which takes exponential time
/// on nested aliases. Syntax errors are left for `compose` to report.
enum YAMLStructureCheck {
    private struct Frame {
        var anchor: String?
        var size = 1
        var height = 1
    }

    private struct Anchored {
        var size: Int
        var height: Int
    }

    static func check(_ text: String, fileName: String) throws(ScenarioError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { return }
        try utf8.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(ScenarioError) in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            try walk(&parser, fileName: fileName)
        }
    }

    private static func walk(_ parser: inout yaml_parser_t, fileName: String) throws(ScenarioError) {
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var expansion = 0

        func error(_ event: yaml_event_t, _ message: String) -> ScenarioError {
            ScenarioError(file: fileName, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                          message: message)
        }
        func add(size: Int, height: Int, anchor: String?) {
            if let anchor { anchors[anchor] = Anchored(size: size, height: height) }
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].size += size
            stack[stack.count - 1].height = max(stack[stack.count - 1].height, height + 1)
        }
        func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                // libyaml stops at its own nesting limit while looking ahead, before any event
                // reaches ours: word it the same way. Other syntax errors are compose's to report.
                if let problem = parser.problem, String(cString: problem).contains("nesting level") {
                    throw ScenarioError(file: fileName, line: Int(parser.problem_mark.line) + 1,
                                        column: Int(parser.problem_mark.column) + 1,
                                        message: "lists and mappings are nested more than \(ScenarioLimits.maxDepth) deep; a scenario needs 3")
                }
                return
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_SCALAR_EVENT:
                add(size: 1, height: 0, anchor: name(event.data.scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < ScenarioLimits.maxDepth else {
                    throw error(event, "lists and mappings are nested more than \(ScenarioLimits.maxDepth) deep; a scenario needs 3")
                }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
                stack.append(Frame(anchor: anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return }
                add(size: frame.size, height: frame.height, anchor: frame.anchor)
            case YAML_ALIAS_EVENT:
                guard let alias = name(event.data.alias.anchor), let target = anchors[alias] else { return }
                expansion += target.size
                guard expansion <= ScenarioLimits.maxAliasExpansion else {
                    throw error(event, "YAML aliases expand to more than \(ScenarioLimits.maxAliasExpansion) values (at *\(alias)); write the values out instead of using aliases")
                }
                guard stack.count + target.height <= ScenarioLimits.maxDepth else {
                    throw error(event, "lists and mappings are nested more than \(ScenarioLimits.maxDepth) deep (through the alias *\(alias)); a scenario needs 3")
                }
                add(size: target.size, height: target.height, anchor: nil)
            default:
                break
            }
        }
    }
}
