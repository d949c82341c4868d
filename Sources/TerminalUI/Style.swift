/// A terminal colour: the terminal's default, one of the 16 standard colours, or a 256-colour index.
public enum Color: Sendable, Hashable {
    case `default`
    /// Standard colours 0–15 (0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white, 8–15 bright).
    case standard(UInt8)
    /// An xterm 256-colour palette index.
    case indexed(UInt8)
}

/// How one cell is drawn: colours and attributes.
public struct Style: Sendable, Hashable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(foreground: Color = .default, background: Color = .default,
                bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// The terminal's default look.
    public static let plain = Style()
}
