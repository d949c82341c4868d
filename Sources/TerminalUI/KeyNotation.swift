/// Parses a readable notation for key presses and mouse events, as used by scripted
/// rendering (`klscope render --keys`) and by tests.
///
/// Tokens are separated by spaces. Plain characters stand for themselves, so `abc` is
/// `a`, `b`, `c` typed one after another. Special keys are written in angle brackets,
/// case-insensitively: `<tab>` `<s-tab>` `<enter>` (`<cr>`) `<esc>` `<space>` `<bs>`
/// `<del>` `<up>` `<down>` `<left>` `<right>` `<pgup>` `<pgdn>` `<home>` `<end>`
/// `<f1>`…`<f12>`, `<c-x>` for Ctrl-X, and `<lt>` for a literal `<`. Mouse events and
/// resizes take cell coordinates: `<click:COL,ROW>` (left button), `<click3:COL,ROW>`,
/// `<release:COL,ROW>`, `<wheelup:COL,ROW>`, `<wheeldown:COL,ROW>`, `<resize:WxH>`.
public enum KeyNotation {
    /// Why a notation string could not be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// The offending token.
        public let token: String
        /// What is wrong with it.
        public let reason: String
        public var description: String { "key notation: \(token): \(reason)" }
    }

    /// The events written in `text`, in order.
    public static func parse(_ text: String) throws(ParseError) -> [Event] {
        var events: [Event] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            var rest = Substring(token)
            while let first = rest.first {
                if first == "<" {
                    guard let close = rest.firstIndex(of: ">") else {
                        throw ParseError(token: String(token), reason: "unclosed '<' (write <lt> for a literal '<')")
                    }
                    let name = rest[rest.index(after: rest.startIndex)..<close]
                    events.append(try special(String(name), token: String(token)))
                    rest = rest[rest.index(after: close)...]
                } else {
                    events.append(.key(.character(first)))
                    rest = rest.dropFirst()
                }
            }
        }
        return events
    }

    private static let named: [String: Key] = [
        "tab": .tab, "s-tab": .backTab, "backtab": .backTab, "enter": .enter, "cr": .enter,
        "return": .enter, "esc": .escape, "escape": .escape, "space": .character(" "),
        "bs": .backspace, "backspace": .backspace, "del": .delete, "delete": .delete,
        "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
        "home": .home, "end": .end, "lt": .character("<"), "gt": .character(">"),
    ]

    private static func special(_ name: String, token: String) throws(ParseError) -> Event {
        let lower = name.lowercased()
        if let key = named[lower] { return .key(key) }
        if lower.hasPrefix("c-"), lower.count == 3, let letter = lower.last, letter.isLetter {
            return .key(.control(letter))
        }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...12).contains(number) {
            return .key(.function(number))
        }
        if let colon = lower.firstIndex(of: ":") {
            let kind = String(lower[..<colon])
            let argument = String(lower[lower.index(after: colon)...])
            if kind == "resize" {
                let parts = argument.split(separator: "x")
                guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width >= 0, height >= 0 else {
                    throw ParseError(token: token, reason: "expected <resize:WIDTHxHEIGHT>")
                }
                return .resize(width: width, height: height)
            }
            let parts = argument.split(separator: ",")
            guard parts.count == 2, let column = Int(parts[0]), let row = Int(parts[1]) else {
                throw ParseError(token: token, reason: "expected <\(kind):COLUMN,ROW>")
            }
            let action: MouseEvent.Action
            switch kind {
            case "click", "click1": action = .press(button: 1)
            case "click2": action = .press(button: 2)
            case "click3": action = .press(button: 3)
            case "release": action = .release
            case "wheelup": action = .scrollUp
            case "wheeldown": action = .scrollDown
            default: throw ParseError(token: token, reason: "unknown mouse event '\(kind)'")
            }
            return .mouse(MouseEvent(action, column: column, row: row))
        }
        throw ParseError(token: token, reason: "unknown key <\(name)>")
    }
}
