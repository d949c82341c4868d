/// Makes text that came from a file safe to print on a terminal or in a text report: control
/// characters are shown, never interpreted, so a scenario cannot retitle, recolour or clear the
/// terminal of whoever reads its report or its errors.
public enum VisibleText {
    /// `text` with every C0 control (U+0000–U+001F), DEL and C1 control (U+0080–U+009F) written
    /// as visible escapes: `\e` for ESC, `\n`, `\r`, `\t` for those, `\x07` for other C0
    /// controls and DEL, `\u009b` for C1 controls. A backslash is left as it is. Characters in
    /// `keeping` (e.g. newline and tab, where the format allows them) pass through unchanged.
    public static func escaped(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping.contains($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar), !keeping.contains(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\u{1B}": result += "\\e"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{7F}": result += "\\x" + hex(scalar.value, digits: 2)
            default: result += "\\u" + hex(scalar.value, digits: 4)
            }
        }
        return result
    }

    /// Newline and tab: the controls a multi-line text report may keep.
    public static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\t"]

    /// Whether `scalar` is a C0 control, DEL or a C1 control.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `value` in lower-case hexadecimal, padded with zeros to `digits`.
    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
