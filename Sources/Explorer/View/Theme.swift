import KLMath
import KLScenario
import TerminalUI

/// The look of the explorer for one set of options: colours or glyphs per series, the
/// symbols (Unicode or ASCII) and the styles of every kind of text.
struct Theme {
    let color: ColorMode
    let ascii: Bool

    init(_ options: ExplorerOptions) {
        color = options.color
        ascii = options.ascii
    }

    // MARK: Symbols

    var beta: String { ascii ? "beta" : "β" }
    var lambda: String { ascii ? "lambda" : "λ" }
    var alpha: String { ascii ? "w" : "α" }
    var unsavedMark: String { ascii ? "*" : "●" }
    var ellipsis: String { ascii ? "~" : "…" }
    var lessOrEqual: String { ascii ? "<=" : "≤" }
    var times: String { ascii ? "x" : "×" }
    var dash: String { ascii ? "-" : "—" }
    var selectedMarker: String { ascii ? ">" : "▶" }
    var escapedTag: String { ascii ? "^ escaped" : "↗ escaped" }
    var escapedArrow: Character { ascii ? "^" : "↗" }
    /// The ghost mark of a pinned policy (`p`): at the end of its bar in rows, at its top in columns.
    var ghostInRow: Character { ascii ? "|" : "┊" }
    var ghostInColumn: Character { ascii ? "-" : "╌" }
    /// Before the value an animation moves (space).
    var playMark: String { ascii ? ">" : "▶" }
    var box: BoxStyle { ascii ? .ascii : .rounded }
    var rule: Character { ascii ? "-" : "─" }
    var verticalRule: Character { ascii ? "|" : "│" }
    var axisCorner: Character { ascii ? "+" : "└" }
    /// Where a horizontal rule meets the vertical one from both sides and below.
    var teeDown: Character { ascii ? "+" : "┬" }
    /// Where a horizontal rule leaves the vertical one to the right.
    var teeRight: Character { ascii ? "+" : "├" }
    var sliderFilled: Character { ascii ? "=" : "━" }
    var sliderEmpty: Character { ascii ? "-" : "─" }
    var sliderKnob: Character { ascii ? "O" : "●" }

    /// The support mark of a response: in `I`, only in `U`, outside `U`.
    func mark(_ membership: SupportMembership) -> String {
        switch membership {
        case .intersection: ascii ? "I" : "∩"
        case .unionOnly: ascii ? "U" : "∪"
        case .outside: ascii ? "." : "·"
        }
    }

    /// The support mark with a word: `∩ in I`, `∪ only U`, `· not U`.
    func markWithWords(_ membership: SupportMembership) -> String {
        switch membership {
        case .intersection: mark(membership) + " in I"
        case .unionOnly: mark(membership) + " only U"
        case .outside: mark(membership) + " not U"
        }
    }

    /// Text from outside the program (titles, notes, file names, messages), spelled in
    /// ASCII when the options ask for it.
    func text(_ text: String) -> String { ascii ? ASCIIFallback.transliterate(text) : text }

    /// A number with four significant digits, `∞` (or `inf`) for infinities.
    func number(_ value: Double) -> String { NumberFormat.short(value, digits: 4, ascii: ascii) }

    // MARK: PolicyID

    /// The short name of a series: the reference's name, `π_G`, `RKL*`…
    func name(_ series: PolicyID, in scenario: Scenario) -> String {
        switch series {
        case .reference(let k): scenario.references[k].name
        default: PolicyName.of(series).map { ascii ? $0.ascii : $0.symbol } ?? ""
        }
    }

    /// The glyph a method's line is drawn with where braille dots could not be told apart by
    /// colour (ASCII or monochrome); nil where coloured braille dots are drawn.
    func curveGlyph(_ method: KLMethod) -> Character? {
        guard ascii || color == .monochrome else { return nil }
        return switch method {
        case .reverseKL: "*"
        case .forwardKL: "o"
        case .mrpo: "+"
        }
    }

    /// A few words on what each derived series is, for the legend at large sizes.
    func explanation(_ series: PolicyID) -> String {
        switch series {
        case .reference: "reference"
        case .escort: "geometric"
        case .mixture: "arithmetic"
        case .harmonic: "harmonic"
        case .reverseKL: "optimum"
        case .forwardKL: "optimum"
        case .mrpo: "approx. of RKL*"
        case .singleReverseKL, .singleForwardKL: "one reference's optimum"
        }
    }

    private static let monochromeGlyphs: [Character] = ["█", "▓", "▒", "░", "#", "=", "+", "~", ":", "%", "@", "*"]
    private static let asciiGlyphs: [Character] = ["#", "=", "+", "*", "%", "@", "o", "x", "~", ":", "&", "$"]

    /// The glyph that fills a series' bars; nil for smooth eighth-block bars (colour modes).
    func fill(_ series: PolicyID, referenceCount: Int) -> Character? {
        let index = Self.index(series, referenceCount: referenceCount)
        switch (color, ascii) {
        case (.monochrome, false): return Self.monochromeGlyphs[index % Self.monochromeGlyphs.count]
        case (.monochrome, true): return Self.asciiGlyphs[index % Self.asciiGlyphs.count]
        case (_, true): return "#"
        default: return nil
        }
    }

    /// The glyph that stands for a series in the legend.
    func swatch(_ series: PolicyID, referenceCount: Int) -> Character {
        fill(series, referenceCount: referenceCount) ?? "█"
    }

    /// The legend swatch of a curve drawn in braille dots.
    var brailleSwatch: Character { "⣿" }

    /// The axes of a chart around `plot`, in the frame's characters and style, labels muted.
    func chartAxes(_ plot: Rect) -> ChartAxes {
        ChartAxes(plot: plot, vertical: verticalRule, horizontal: rule, corner: axisCorner, tick: ascii ? "+" : "┴",
                  lineStyle: frame, labelStyle: muted)
    }

    private static let palette256: [UInt8] = [110, 215, 114, 182, 180, 152, 223, 146]
    private static let palette16: [UInt8] = [12, 11, 10, 13, 14, 7, 3, 6]

    /// The style of a series' bars and name.
    func style(_ series: PolicyID, referenceCount: Int) -> Style {
        let optimum = [.reverseKL, .forwardKL, .mrpo].contains(series)
        switch color {
        case .monochrome:
            return Style(bold: optimum)
        case .full256:
            let index: UInt8 = switch series {
            case .reference(let k), .singleReverseKL(let k), .singleForwardKL(let k): Self.palette256[k % Self.palette256.count]
            case .escort: 37
            case .mixture: 178
            case .harmonic: 97
            case .reverseKL: 203
            case .forwardKL: 33
            case .mrpo: 170
            }
            return Style(foreground: .indexed(index), bold: optimum)
        case .sixteen:
            let index: UInt8 = switch series {
            case .reference(let k), .singleReverseKL(let k), .singleForwardKL(let k): Self.palette16[k % Self.palette16.count]
            case .escort: 6
            case .mixture: 3
            case .harmonic: 5
            case .reverseKL: 9
            case .forwardKL: 4
            case .mrpo: 13
            }
            return Style(foreground: .standard(index), bold: optimum)
        }
    }

    private static func index(_ series: PolicyID, referenceCount: Int) -> Int {
        PolicyID.charted(referenceCount: referenceCount).firstIndex(of: series) ?? 0
    }

    // MARK: Text styles

    private func colored(_ index256: UInt8, _ index16: UInt8, bold: Bool = false) -> Style {
        switch color {
        case .full256: Style(foreground: .indexed(index256), bold: bold)
        case .sixteen: Style(foreground: .standard(index16), bold: bold)
        case .monochrome: Style(bold: bold)
        }
    }

    /// The title bar.
    var titleBar: Style { Style(bold: false, reverse: true) }
    /// The scenario title inside the title bar.
    var titleText: Style { Style(bold: true, reverse: true) }
    /// Section rules and frames.
    var frame: Style { color == .monochrome ? .plain : colored(244, 8) }
    /// Section titles.
    var heading: Style { Style(bold: true) }
    /// Secondary text: scales, explanations, hints.
    var muted: Style { color == .monochrome ? Style(dim: true) : colored(245, 8) }
    /// The selected response's label.
    var selected: Style { Style(bold: true, reverse: true) }
    /// The focused control's label and value.
    var focused: Style { color == .monochrome ? Style(bold: true, reverse: true) : Style(foreground: .default, bold: true, reverse: true) }
    /// A key name in hints.
    var key: Style { color == .monochrome ? Style(bold: true) : colored(81, 14, bold: true) }
    /// An error message.
    var error: Style { color == .monochrome ? Style(bold: true, reverse: true) : colored(203, 9, bold: true) }
    /// A success message.
    var success: Style { color == .monochrome ? Style(bold: true) : colored(114, 10, bold: true) }
    /// A warning in the numbers (undefined values, escaped mass).
    var warning: Style { color == .monochrome ? Style(bold: true) : colored(214, 11, bold: true) }
    /// The pinned setting's numbers (`p`).
    var pinned: Style { color == .monochrome ? Style(dim: true) : colored(141, 13) }
    /// Hidden series in the legend.
    var hidden: Style { color == .monochrome ? Style(dim: true) : colored(240, 8) }
}
