/// How many colours the terminal shows, and so how a view should tell things apart.
public enum ColorMode: String, Sendable, Hashable, CaseIterable {
    /// The xterm 256-colour palette.
    case full256
    /// The 16 standard colours only.
    case sixteen
    /// No colour: distinctions are made with glyphs and attributes (bold, reverse).
    case monochrome
}

extension ColorMode {
    /// Whether `environment` asks for no colour: `NO_COLOR` set to anything but the empty string
    /// (the NO_COLOR convention), for the terminal and for screens printed as text alike.
    public static func noColorRequested(by environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }
}
