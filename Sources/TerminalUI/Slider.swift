import Foundation

/// A one-row slider: cells left of the knob filled, the knob, the rest empty; a log-scale
/// slider places its value by its logarithm.
public struct Slider: Sendable {
    /// The characters of the filled part, the knob and the empty part.
    public var filled: Character
    public var knob: Character
    public var empty: Character

    public init(filled: Character, knob: Character, empty: Character) {
        self.filled = filled
        self.knob = knob
        self.empty = empty
    }

    /// Where `value` sits on a log scale from `range.lowerBound` to `range.upperBound` (both
    /// positive), from 0 to 1, clamped; 0 for values that are not positive.
    public static func logFraction(_ value: Double, in range: ClosedRange<Double>) -> Double {
        LogAxis.fraction(value, low: log10(range.lowerBound), high: log10(range.upperBound))
    }

    /// The value at `fraction` (0…1) of a log scale from `range.lowerBound` to `range.upperBound`.
    public static func logValue(at fraction: Double, in range: ClosedRange<Double>) -> Double {
        let low = log10(range.lowerBound), high = log10(range.upperBound)
        return pow(10, low + (high - low) * fraction)
    }

    /// Draws the slider at `fraction` (0…1) `width` cells wide from (`column`, `row`): the
    /// filled part and the knob in `style`, the empty part in `emptyStyle`. Narrower than 3 cells it draws nothing.
    public func draw(fraction: Double, column: Int, row: Int, width: Int, style: Style, emptyStyle: Style, into grid: inout Grid) {
        guard width >= 3 else { return }
        let knobAt = Int((min(max(fraction, 0), 1) * Double(width - 1)).rounded())
        for i in 0..<width {
            grid[column + i, row] = i < knobAt ? Cell(filled, style: style) : i == knobAt ? Cell(knob, style: style) : Cell(empty, style: emptyStyle)
        }
    }
}
