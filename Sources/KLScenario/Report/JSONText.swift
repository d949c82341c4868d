import TerminalUI
/// A JSON value with ordered object keys, written by hand so that key order is stable and
/// every double is printed in its shortest round-tripping form (`null` when not finite).
public enum JSONText: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number; infinities and NaN are written as `null`.
    case number(Double)
    /// An array of numbers, stored as doubles (a vocabulary's policy is 150,000 of them).
    case numbers([Double])
    case string(String)
    indirect case array([JSONText])
    indirect case object([(String, JSONText)])

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered() == rhs.rendered() }

    /// An optional number: `null` when absent.
    public static func number(_ value: Double?) -> JSONText { value.map { .number($0) } ?? .null }

    /// The JSON text, indented by two spaces per level.
    public func rendered(indent: Int = 0) -> String {
        var text = ""
        write(to: &text, indent: indent)
        return text
    }

    /// Writes the JSON text to `target` piece by piece, so that a large document need never be
    /// one string in memory. Arrays of scalars stay on one line.
    public func write<Target: TextOutputStream>(to target: inout Target, indent: Int = 0) {
        switch self {
        case .null: target.write("null")
        case .bool(let value): target.write(value ? "true" : "false")
        case .number(let value): target.write(NumberFormat.roundTrip(value) ?? "null")
        case .numbers(let values):
            target.write("[")
            for (i, value) in values.enumerated() {
                if i > 0 { target.write(", ") }
                target.write(NumberFormat.roundTrip(value) ?? "null")
            }
            target.write("]")
        case .string(let value): target.write(JSONText.quoted(value))
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                target.write("[")
                for (i, item) in items.enumerated() {
                    if i > 0 { target.write(", ") }
                    item.write(to: &target)
                }
                target.write("]")
                return
            }
            writeBlock(items.map { (nil, $0) }, open: "[", close: "]", to: &target, indent: indent)
        case .object(let members):
            if members.isEmpty { return target.write("{}") }
            writeBlock(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &target, indent: indent)
        }
    }

    /// One member or element per line, indented one level deeper than the brackets.
    private func writeBlock<Target: TextOutputStream>(_ entries: [(String?, JSONText)], open: String, close: String,
                                                      to target: inout Target, indent: Int) {
        let inner = String(repeating: "  ", count: indent + 1)
        target.write(open + "\n")
        for (i, (key, value)) in entries.enumerated() {
            target.write(inner)
            if let key { target.write(JSONText.quoted(key) + ": ") }
            value.write(to: &target, indent: indent + 1)
            target.write(i < entries.count - 1 ? ",\n" : "\n")
        }
        target.write(String(repeating: "  ", count: indent) + close)
    }

    private var isScalar: Bool {
        switch self {
        case .numbers, .array, .object: false
        default: true
        }
    }

    /// `text` as a JSON string; controls (C0, DEL, C1) as `\u00XX`, so none reaches a terminal raw.
    private static func quoted(_ text: String) -> String {
        ScalarText.quoted(text) { VisibleText.isControl($0) ? "\\u" + ScalarText.hex($0.value, digits: 4).lowercased() : nil }
    }
}

extension JSONText {
    /// The members every JSON report (`solve`, `sweep`, `lab`) opens with, so that they agree:
    /// the scenario's title, responses, rewards, β, reference names and normalised weights (for
    /// a sweep, the point the sweep varies from).
    public static func scenarioHeader(_ scenario: Scenario) -> [(String, JSONText)] {
        [("title", .string(scenario.title)),
         ("responses", .array(scenario.responses.map { .string($0) })),
         ("rewards", .numbers(scenario.rewards)),
         ("beta", .number(scenario.beta)),
         ("references", .array(scenario.references.map { .string($0.name) })),
         ("weights", .numbers(scenario.normalizedWeights))]
    }
}
