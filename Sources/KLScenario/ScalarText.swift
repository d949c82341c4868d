/// The spellings of numbers and text in scenario files, shared by the loader and the writer
/// so that everything written reads back to the same value.
enum ScalarText {
    /// Spellings of infinity after an optional sign, compared case-insensitively
    /// (`.inf` is YAML's, `Infinity` JavaScript's).
    private static let infinitySpellings: Set<String> = [".inf", "inf", "infinity"]
    /// Spellings of NaN, compared case-insensitively.
    private static let nanSpellings: Set<String> = [".nan", "nan"]

    /// The spellings of YAML's null in a plain scalar (`key:` with nothing after it, `~`, `null`).
    static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// Whether the bytes of a plain scalar spell null.
    static func isNull(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count <= 4 && nullSpellings.contains(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether `text`, without its sign, spells infinity.
    static func isInfinity(_ text: Substring) -> Bool { infinitySpellings.contains(text.lowercased()) }

    /// Parses a plain YAML/JSON number: a decimal (`1`, `-0.3`, `.5`, `1e-05`) or a spelling of
    /// infinity or NaN. Returns nil for anything else (hex, `1_000`, words, empty text).
    /// Decimals too large for a `Double` come back infinite, too small ones zero.
    static func number(_ text: String) -> Double? {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if isInfinity(body) { return text.first == "-" ? -.infinity : .infinity }
        if nanSpellings.contains(body.lowercased()) { return .nan }
        var text = text
        guard text.withUTF8(NumberScanner.isDecimal) else { return nil }
        return Double(text)
    }

    /// The shortest text that reads back to exactly `value`; `-.inf` and `.inf` for infinities.
    static func number(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return "\(value)"
    }

    /// Words that plain YAML scalars could read as something other than text.
    private static let reservedWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
        ".inf", "inf", "infinity", ".nan", "nan",
    ]

    /// A label, name or title as a YAML scalar: plain when that is unambiguous
    /// (starts with a letter; letters, digits, spaces and `_-.()/+` only; no edge spaces),
    /// double-quoted otherwise.
    static func string(_ text: String) -> String {
        let isPlain = text.first.map { $0.isASCII && $0.isLetter } == true
            && text.last != " "
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.()/+ ".contains($0)) }
            && !reservedWords.contains(text.lowercased())
        return isPlain ? text : doubleQuoted(text)
    }

    /// `text` as a double-quoted YAML scalar, escaping quotes, backslashes, line breaks and every
    /// character YAML does not allow unescaped (controls, U+2028/U+2029, U+FEFF, U+FFFE/U+FFFF).
    static func doubleQuoted(_ text: String) -> String {
        quoted(text) { scalar in
            switch scalar {
            case _ where isPrintable(scalar): nil
            case _ where scalar.value <= 0xFF: "\\x" + hex(scalar.value, digits: 2)
            case _ where scalar.value <= 0xFFFF: "\\u" + hex(scalar.value, digits: 4)
            default: "\\U" + hex(scalar.value, digits: 8)
            }
        }
    }

    /// `text` in double quotes with the escapes JSON and YAML share (quote, backslash, newline,
    /// tab, carriage return); every other character is written as `escape` spells it, or as it
    /// is where `escape` returns nil.
    static func quoted(_ text: String, escape: (Unicode.Scalar) -> String?) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if let escaped = escape(scalar) { result += escaped } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    /// Whether YAML allows `scalar` unescaped in any scalar style and never reads it as a line break.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A multi-line text as a YAML literal block (`|`) indented by `indent` spaces, which keeps
    /// it readable in the file, or nil when a literal block cannot hold it exactly (it starts
    /// with white space, holds characters that need escaping, or has no visible character).
    static func literalBlock(_ text: String, indent: Int) -> String? {
        guard let first = text.unicodeScalars.first, !first.properties.isWhitespace,
              text.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || isPrintable($0) })
        else { return nil }
        let trailingBreaks = text.reversed().prefix { $0 == "\n" }.count
        let chomping = trailingBreaks == 0 ? "-" : trailingBreaks == 1 ? "" : "+"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let padding = String(repeating: " ", count: indent)
        var block = "|" + chomping + "\n"
        for (index, line) in lines.enumerated() where !(index == lines.count - 1 && line.isEmpty) {
            block += (line.isEmpty ? "" : padding + line) + "\n"
        }
        return block
    }
}
