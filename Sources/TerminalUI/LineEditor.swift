/// A one-line text field: the text, a cursor, and the usual editing keys
/// (characters insert, ←/→, Home/End, Backspace, Delete, Ctrl-U clears, Ctrl-A/Ctrl-E).
public struct LineEditor: Sendable, Equatable {
    /// The text typed so far.
    public private(set) var text: String
    /// The cursor position, in characters from the start (0…text.count).
    public private(set) var cursor: Int

    /// A field holding `text` with the cursor at its end.
    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// Applies an editing key; returns false for keys the field does not use (Enter, Esc, Tab…).
    @discardableResult
    public mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            text.insert(character, at: text.index(text.startIndex, offsetBy: cursor))
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            cursor -= 1
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"):
            text = ""
            cursor = 0
        default: return false
        }
        return true
    }

    /// The part of the text to show in a field `width` cells wide, keeping the cursor
    /// visible, and the cursor's column inside that part.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 0 else { return ("", 0) }
        let characters = Array(text)
        let start = max(0, cursor - (width - 1))
        let end = min(characters.count, start + width)
        return (String(characters[start..<end]), cursor - start)
    }
}
