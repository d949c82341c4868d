/// A text rendering of a grid for tests and scripted rendering, in the manner of a test
/// backend: the characters, then a second layer in which each cell's style is a letter,
/// then the legend that says which style each letter stands for.
public enum Snapshot {
    /// The letters used for styles, in order of first appearance; the plain style is a space.
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// The characters of `grid`, trailing spaces removed.
    public static func text(_ grid: Grid) -> String { grid.text }

    /// The style layer and its legend: one letter per cell (space for the plain style,
    /// trailing spaces removed), a blank line, then lines such as `a: fg 75 bold`.
    public static func styles(_ grid: Grid) -> String {
        var letterOf: [Style: Character] = [.plain: " "]
        var legend: [String] = []
        var lines: [String] = []
        for row in 0..<grid.height {
            var line = ""
            for column in 0..<grid.width {
                let style = grid[column, row].style
                if let letter = letterOf[style] {
                    line.append(letter)
                } else {
                    let letter = legend.count < letters.count ? letters[legend.count] : "?"
                    letterOf[style] = letter
                    legend.append("\(letter): \(describe(style))")
                    line.append(letter)
                }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return (lines + [""] + legend).joined(separator: "\n")
    }

    /// The full snapshot: text, a separator, and the style layer with its legend.
    public static func render(_ grid: Grid) -> String {
        text(grid) + "\n" + String(repeating: "=", count: max(8, grid.width)) + "\n" + styles(grid) + "\n"
    }

    /// A short description of a style: `fg 75 bg 4 bold reverse` (`fg s3` for standard colour 3).
    public static func describe(_ style: Style) -> String {
        var parts: [String] = []
        if style.foreground != .default { parts.append("fg " + describe(style.foreground)) }
        if style.background != .default { parts.append("bg " + describe(style.background)) }
        if style.bold { parts.append("bold") }
        if style.dim { parts.append("dim") }
        if style.underline { parts.append("underline") }
        if style.reverse { parts.append("reverse") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }

    private static func describe(_ color: Color) -> String {
        switch color {
        case .default: "default"
        case .standard(let index): "s\(index)"
        case .indexed(let index): "\(index)"
        }
    }
}
