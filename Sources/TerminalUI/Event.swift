/// A key press, independent of any terminal library.
public enum Key: Sendable, Hashable {
    /// A printable character (including space).
    case character(Character)
    /// A control chord such as Ctrl-R, given by its lowercase letter.
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// Function key F1…F12.
    case function(Int)
}

/// What the mouse did, at which cell.
public struct MouseEvent: Sendable, Hashable {
    /// The kind of mouse event.
    public enum Action: Sendable, Hashable {
        /// A button press: 1 left, 2 middle, 3 right.
        case press(button: Int)
        case release
        case scrollUp
        case scrollDown
    }

    public var action: Action
    public var column: Int
    public var row: Int

    public init(_ action: Action, column: Int, row: Int) {
        self.action = action
        self.column = column
        self.row = row
    }
}

/// Everything a terminal front end can tell the interface.
public enum Event: Sendable, Hashable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
}
