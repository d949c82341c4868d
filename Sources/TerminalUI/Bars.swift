/// Bars for charts: smooth ones from eighth blocks, or whole cells of one glyph where
/// block elements are unavailable or series must differ by shape (monochrome).
public enum BarGlyphs {
    /// Horizontal partial blocks, one to eight eighths: `▏▎▍▌▋▊▉█`.
    public static let horizontalEighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    /// Vertical partial blocks, one to eight eighths: `▁▂▃▄▅▆▇█`.
    public static let verticalEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A horizontal bar `fraction` (0…1) of `width` cells long. With `fill` nil it is drawn
    /// in eighth blocks; otherwise in whole cells of `fill`. A positive fraction always
    /// shows at least a sliver, so that tiny values differ from zero.
    public static func horizontal(fraction: Double, width: Int, fill: Character? = nil) -> String {
        let eighths = scaledEighths(fraction, cells: width)
        guard eighths > 0 else { return "" }
        if let fill {
            return String(repeating: String(fill), count: max(1, (eighths + 4) / 8))
        }
        let full = eighths / 8, rest = eighths % 8
        return String(repeating: "█", count: full) + (rest > 0 ? String(horizontalEighths[rest - 1]) : "")
    }

    /// The cells of a vertical bar `fraction` (0…1) of `height` cells tall, bottom first.
    /// With `fill` nil the top cell is a partial block; otherwise whole cells of `fill`.
    public static func vertical(fraction: Double, height: Int, fill: Character? = nil) -> [Character] {
        let eighths = scaledEighths(fraction, cells: height)
        guard eighths > 0 else { return [] }
        if let fill {
            return Array(repeating: fill, count: max(1, (eighths + 4) / 8))
        }
        let full = eighths / 8, rest = eighths % 8
        return Array(repeating: "█", count: full) + (rest > 0 ? [verticalEighths[rest - 1]] : [])
    }

    /// `fraction` of `cells` in eighths of a cell, at least one when the fraction is positive.
    private static func scaledEighths(_ fraction: Double, cells: Int) -> Int {
        guard cells > 0, fraction > 0 else { return 0 }
        let clamped = min(1, fraction)
        return max(1, Int((clamped * Double(cells * 8)).rounded()))
    }
}
