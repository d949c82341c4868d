import CNcursesw
import TerminalUI

/// Turns `Style` colours into ncurses colour pairs, allocating each (foreground, background)
/// combination on first use and caching it. Colours the terminal lacks are approximated:
/// 256-colour indices by the nearest of the 16 standard colours, bright colours by their
/// normal counterparts on 8-colour terminals. With no colours every style gets pair 0.
struct Palette {
    /// How many colours are used: 0 (monochrome), 8, 16 or 256.
    let colorCount: Int
    /// Whether -1 means "the terminal's default colour" (`use_default_colors` succeeded).
    private let hasDefaultColors: Bool
    private let maximumPair: Int
    private var pairs: [Key: Int16] = [:]

    private struct Key: Hashable {
        var foreground: Int16
        var background: Int16
    }

    /// Starts colour on the current screen unless `enabled` is false or the terminal has none.
    init(enabled: Bool) {
        guard enabled, has_colors(), start_color() == OK else {
            colorCount = 0
            hasDefaultColors = false
            maximumPair = 0
            return
        }
        hasDefaultColors = use_default_colors() == OK
        let colors = klscope_colors()
        colorCount = colors >= 256 ? 256 : colors >= 16 ? 16 : colors >= 8 ? 8 : 0
        maximumPair = min(Int(klscope_color_pairs()), Int(Int16.max)) - 1
    }

    /// The pair for a style's colours, or 0 (the default pair) when there are no colours or no
    /// pairs left.
    mutating func pair(for style: Style) -> Int16 {
        guard colorCount > 0 else { return 0 }
        let key = Key(foreground: number(style.foreground, isForeground: true),
                      background: number(style.background, isForeground: false))
        if key.foreground == -1, key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard pairs.count < maximumPair else { return 0 }
        let pair = Int16(pairs.count + 1)
        guard init_pair(pair, key.foreground, key.background) == OK else { return 0 }
        pairs[key] = pair
        return pair
    }

    /// The ncurses colour number for a colour at this terminal's depth.
    private func number(_ color: Color, isForeground: Bool) -> Int16 {
        let index: Int
        switch color {
        case .default:
            if hasDefaultColors { return -1 }
            return isForeground ? Int16(COLOR_WHITE) : Int16(COLOR_BLACK)
        case .standard(let value):
            index = Int(value & 15)
        case .indexed(let value):
            index = colorCount >= 256 ? Int(value) : Palette.nearestStandard(to: Int(value))
        }
        return Int16(colorCount >= 16 ? index : index % 8)
    }

    /// xterm's default RGB values of the 16 standard colours.
    private static let standardRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The standard colour (0–15) closest to xterm 256-colour index `index`.
    static func nearestStandard(to index: Int) -> Int {
        if index < 16 { return index }
        let rgb: (Int, Int, Int)
        if index < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            rgb = (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
        } else {
            let grey = 8 + 10 * (index - 232)
            rgb = (grey, grey, grey)
        }
        func distance(_ other: (Int, Int, Int)) -> Int {
            let (r, g, b) = (rgb.0 - other.0, rgb.1 - other.1, rgb.2 - other.2)
            return r * r + g * g + b * b
        }
        return standardRGB.indices.min { distance(standardRGB[$0]) < distance(standardRGB[$1]) } ?? 7
    }
}
