import Foundation

/// The axes of a chart whose plot area is `plot`: a vertical rule just left of it, a
/// horizontal rule just under it with a corner where they meet, and tick marks with labels
/// under the horizontal rule. Positions along the horizontal axis are fractions from 0 (the
/// plot's first column) to 1 (its last).
public struct ChartAxes: Sendable {
    /// The plot area; the axes are drawn outside it.
    public var plot: Rect
    /// The characters of the vertical rule, the horizontal rule, their corner and a tick on the horizontal rule.
    public var vertical: Character
    public var horizontal: Character
    public var corner: Character
    public var tick: Character
    /// The style of the rules and ticks, and of the labels.
    public var lineStyle: Style
    public var labelStyle: Style

    public init(plot: Rect, vertical: Character, horizontal: Character, corner: Character, tick: Character,
                lineStyle: Style, labelStyle: Style) {
        self.plot = plot
        self.vertical = vertical
        self.horizontal = horizontal
        self.corner = corner
        self.tick = tick
        self.lineStyle = lineStyle
        self.labelStyle = labelStyle
    }

    /// The plot column of `fraction` along the horizontal axis.
    public func column(_ fraction: Double) -> Int {
        plot.x + Int((fraction * Double(plot.width - 1)).rounded())
    }

    /// Draws the two rules and their corner.
    public func drawRules(into grid: inout Grid) {
        let axisX = plot.x - 1
        grid.drawVerticalRule(column: axisX, row: plot.y, height: plot.height, character: vertical, style: lineStyle)
        grid[axisX, plot.maxY] = Cell(corner, style: lineStyle)
        grid.drawRule(column: plot.x, row: plot.maxY, width: plot.width, character: horizontal, lineStyle: lineStyle)
    }

    /// Draws a tick on the horizontal rule at each of `ticks` and its label centred under it,
    /// kept inside the plot's width; a label that would touch the one before it, or start at or
    /// left of `after`, is left out (its tick stays). Returns the column just after the last label drawn.
    @discardableResult
    public func drawTicks(_ ticks: [(fraction: Double, label: String)], after: Int, into grid: inout Grid) -> Int {
        var free = after
        for (fraction, label) in ticks {
            let column = column(fraction)
            let start = min(plot.maxX - label.count, max(plot.x - 1, column - label.count / 2))
            if grid[column, plot.maxY].character == horizontal { grid[column, plot.maxY] = Cell(tick, style: lineStyle) }
            guard start > free else { continue }
            grid.write(label, column: start, row: plot.maxY + 1, style: labelStyle)
            free = start + label.count
        }
        return free
    }
}

/// A logarithmic (base 10) axis: its ticks sit at whole decades.
public enum LogAxis {
    /// The exponents of the whole decades from `low` to `high` (both log10 values), allowing
    /// for rounding in the logarithm; empty when there is none.
    public static func decades(from low: Double, to high: Double) -> [Int] {
        let first = Int(ceil(low - 1e-9)), last = Int(floor(high + 1e-9))
        return first <= last ? Array(first...last) : []
    }

    /// The smallest range of whole decades (log10 values) holding every positive finite one of
    /// `values`, at least one decade tall; nil when there is none.
    public static func decadeRange(of values: [Double]) -> (low: Double, high: Double)? {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let smallest = positive.min(), let largest = positive.max() else { return nil }
        let low = floor(log10(smallest))
        return (low, max(low + 1, ceil(log10(largest))))
    }

    /// Where `value` sits between `low` and `high` (log10 values) from 0 to 1, clamped; 0 for
    /// values that are not positive.
    public static func fraction(_ value: Double, low: Double, high: Double) -> Double {
        guard value > 0 else { return 0 }
        return min(max((log10(value) - low) / (high - low), 0), 1)
    }
}
