/// How many colours the terminal shows, and so how a view should tell things apart.
public enum ColorMode: String, Sendable, Hashable, CaseIterable {
    /// The xterm 256-colour palette.
    case full256
    /// The 16 standard colours only.
    case sixteen
    /// No colour: distinctions are made with glyphs and attributes (bold, reverse).
    case monochrome
}
