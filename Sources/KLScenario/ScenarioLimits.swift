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
    /// The most nodes (keys, values and list items) the YAML tree may hold, counted on libyaml's
    /// events before the tree is built. The items of long inline lists (`InlineList`) do not
    /// count: they are read without a node each.
    public static let maxNodes = 1_000_000
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
        /// For a mapping: whether the next node is a key, and the last key read (nil: not a scalar).
        var isMapping = false
        var expectsKey = true
        var key: String?
        /// The list being read without nodes, while every item so far is a plain-enough scalar.
        var inline: InlineList?
    }

    private struct Anchored {
        var size: Int
        var height: Int
    }

    /// Checks `text` and reads its long inline lists; the result holds the text Yams should
    /// compose (those lists blanked) and the lists.
    /// Lists shorter than `minimumInlineCount` are left to Yams (tests pass `Int.max` to compare the
    /// paths); a long inline list of more than `maxInlineItems` items is refused at its first item too many.
    static func check(_ text: String, fileName: String, minimumInlineCount: Int = InlineList.minimumCount,
                      maxInlineItems: Int = ScenarioLimits.maxResponses) throws(ScenarioError) -> InlineLists {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return InlineLists(source: text) }
        defer { yaml_parser_delete(&parser) }
        if text.isEmpty { return InlineLists(source: text) }
        var source = text
        // The text's own bytes (`withUTF8`, no copy); `withUTF8` rethrows untyped, so the error comes back as a value.
        let found = try source.withUTF8 { buffer -> Result<(lists: [InlineList], yaml: String?), ScenarioError> in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do throws(ScenarioError) {
                let found = try walk(&parser, fileName: fileName, minimumInlineCount: minimumInlineCount, maxInlineItems: maxInlineItems)
                return .success((found, found.isEmpty ? nil : InlineLists.blanking(buffer, found)))
            } catch {
                return .failure(error)
            }
        }.get()
        var lists = InlineLists(source: source)
        if let yaml = found.yaml {
            lists.yaml = yaml
            for list in found.lists { lists.lists[InlineLists.Position(line: list.line, column: list.column)] = list }
        }
        return lists
    }

    /// Walks the events, returning the long inline lists in file order.
    private static func walk(_ parser: inout yaml_parser_t, fileName: String, minimumInlineCount: Int,
                             maxInlineItems: Int) throws(ScenarioError) -> [InlineList] {
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var expansion = 0
        var nodes = 0
        var found: [InlineList] = []

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
        func count(_ added: Int, _ event: yaml_event_t) throws(ScenarioError) {
            nodes += added
            guard nodes <= ScenarioLimits.maxNodes else {
                throw error(event, "the file holds more than \(ScenarioLimits.maxNodes) YAML nodes (keys, values and list items, long inline lists apart); give long lists inline as [a, b, c] or in a data file")
            }
        }
        /// A node starts: the key or value of the enclosing mapping. Returns the key it is the value of.
        func start() -> String? {
            guard let top = stack.indices.last, stack[top].isMapping else { return nil }
            defer { stack[top].expectsKey.toggle() }
            if stack[top].expectsKey { stack[top].key = nil; return nil }
            return stack[top].key
        }
        /// A node other than an inline item arrives in the list on top: it is not inline after all.
        func abandonInline(_ event: yaml_event_t) throws(ScenarioError) {
            guard let top = stack.indices.last, let inline = stack[top].inline else { return }
            stack[top].inline = nil
            try count(inline.count, event)
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
                return []
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return found
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                if let top = stack.indices.last, stack[top].inline != nil, scalar.anchor == nil, scalar.tag == nil {
                    stack[top].inline!.append(UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                                              plain: scalar.style == YAML_PLAIN_SCALAR_STYLE)
                    stack[top].size += 1
                    // One item per response: a longer list is refused before it fills memory.
                    guard stack[top].inline!.count <= maxInlineItems else {
                        throw error(event, "a list of more than \(maxInlineItems) items; a scenario has at most \(maxInlineItems) responses")
                    }
                    continue
                }
                try abandonInline(event)
                _ = start()
                if let top = stack.indices.last, stack[top].isMapping, !stack[top].expectsKey {
                    stack[top].key = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                }
                try count(1, event)
                add(size: 1, height: 0, anchor: name(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < ScenarioLimits.maxDepth else {
                    throw error(event, "lists and mappings are nested more than \(ScenarioLimits.maxDepth) deep; a scenario needs 3")
                }
                try abandonInline(event)
                let key = start()
                try count(1, event)
                let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                let anchor = isSequence ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
                var frame = Frame(anchor: anchor, isMapping: !isSequence)
                if isSequence, anchor == nil, event.data.sequence_start.tag == nil,
                   event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE, let key, let kind = InlineList.Kind(key: key) {
                    frame.inline = InlineList(kind: kind, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                                              index: Int(event.start_mark.index))
                }
                stack.append(frame)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard var frame = stack.popLast() else { return found }
                if var inline = frame.inline {
                    if inline.count >= minimumInlineCount {
                        inline.end = Int(event.end_mark.index)
                        found.append(inline)
                    } else {
                        try count(inline.count, event)
                    }
                    frame.inline = nil
                }
                add(size: frame.size, height: frame.height, anchor: frame.anchor)
            case YAML_ALIAS_EVENT:
                try abandonInline(event)
                _ = start()
                try count(1, event)
                guard let alias = name(event.data.alias.anchor), let target = anchors[alias] else { return found }
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
