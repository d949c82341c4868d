/// How text sits in a field wider than itself.
public enum Alignment: Sendable {
    case left, right, center
}

/// Fitting text into cells: truncation, padding and word wrapping. Every character is
/// taken to occupy one cell, as in `Grid`.
public enum TextLayout {
    /// `text` cut to at most `width` cells; a cut text ends with `ellipsis`.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        guard width > ellipsis.count else { return String(text.prefix(width)) }
        var kept = text.prefix(width - ellipsis.count)
        while kept.last == " " { kept.removeLast() }
        return kept + ellipsis
    }

    /// `text` cut to at most `width` cells in its middle, keeping its start and its end
    /// (`fine…ned`), so that names differing only at the end stay apart.
    public static func truncateMiddle(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard text.count > width else { return text }
        guard width > ellipsis.count + 1 else { return truncate(text, to: width, ellipsis: ellipsis) }
        let kept = width - ellipsis.count
        return text.prefix(kept - kept / 2) + ellipsis + text.suffix(kept / 2)
    }

    /// `text` truncated and padded with spaces to exactly `width` cells.
    public static func pad(_ text: String, to width: Int, _ alignment: Alignment = .left, ellipsis: String = "…") -> String {
        let fitted = truncate(text, to: width, ellipsis: ellipsis)
        let room = max(0, width - fitted.count)
        switch alignment {
        case .left: return fitted + String(repeating: " ", count: room)
        case .right: return String(repeating: " ", count: room) + fitted
        case .center:
            let left = room / 2
            return String(repeating: " ", count: left) + fitted + String(repeating: " ", count: room - left)
        }
    }

    /// Word-wraps `text` to lines of at most `width` cells. Existing line breaks are kept,
    /// words longer than a line are broken, and no line has trailing spaces.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = String(paragraph.prefix(while: { $0 == " " }))
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = Substring(word)
                let prefix = line.isEmpty ? (lines.isEmpty || indent.count < width / 2 ? indent : "") : line + " "
                if prefix.count + word.count <= width {
                    line = prefix + word
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = ""
                while word.count > width {
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                line = String(word)
            }
            lines.append(line)
        }
        return lines
    }
}
