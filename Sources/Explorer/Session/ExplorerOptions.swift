import TerminalUI

/// How the explorer draws and which input it accepts, fixed for a session.
public struct ExplorerOptions: Sendable, Equatable {
    /// The colours the terminal can show.
    public var color: ColorMode
    /// Draw only ASCII characters (no block elements, box drawing or Greek letters).
    public var ascii: Bool
    /// Accept mouse events; when false they are ignored.
    public var mouse: Bool

    /// Creates options; the defaults suit a modern 256-colour UTF-8 terminal.
    public init(color: ColorMode = .full256, ascii: Bool = false, mouse: Bool = true) {
        self.color = color
        self.ascii = ascii
        self.mouse = mouse
    }
}
