/// A line plot of one curve in a plot area: braille dots (two columns and four rows of dots a
/// cell), or one `glyph` a column where dots cannot be told apart by colour. The plot spans
/// `xRange` across and `yRange` up; heights outside `yRange` are drawn on its edge.
public struct LinePlot: Sendable {
    /// The points' positions across, ascending.
    public var xs: [Double]
    /// The points' heights; nil where the curve is undefined (the line breaks there).
    public var ys: [Double?]
    /// Points not joined to their neighbours, drawn as a whole cell each (`glyph` or `●`).
    public var isolated: Set<Int>

    public init(xs: [Double], ys: [Double?], isolated: Set<Int> = []) {
        self.xs = xs
        self.ys = ys
        self.isolated = isolated
    }

    /// Draws the curve into `plot`: every dot column (or cell column with a glyph) between two
    /// defined, joined neighbours gets the linearly interpolated height, braille dots joined to
    /// the previous column by a vertical run.
    public func draw(in plot: Rect, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, glyph: Character?, style: Style,
                     into grid: inout Grid) {
        let subX = glyph == nil ? 2 : 1, subY = glyph == nil ? 4 : 1
        let width = plot.width * subX, height = plot.height * subY
        func column(_ x: Double) -> Double { (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(width - 1) }
        func row(_ y: Double) -> Int {
            let fraction = min(1, max(0, (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)))
            return Int(((1 - fraction) * Double(height - 1)).rounded())
        }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        var previousRow: Int?
        var segment = 0
        for x in 0..<width {
            while segment < xs.count - 2, column(xs[segment + 1]) < Double(x) { segment += 1 }
            let a = segment, b = segment + 1
            guard b < xs.count, let ya = ys[a], let yb = ys[b], !isolated.contains(a), !isolated.contains(b) else {
                previousRow = nil
                continue
            }
            let ca = column(xs[a]), cb = column(xs[b])
            guard Double(x) >= ca - 0.5, Double(x) <= cb + 0.5 else {
                previousRow = nil
                continue
            }
            let t = cb > ca ? min(1, max(0, (Double(x) - ca) / (cb - ca))) : 0
            let y = row(ya + t * (yb - ya))
            if let glyph {
                grid[plot.x + x, plot.y + y] = Cell(glyph, style: style)
            } else {
                if let previousRow { canvas.vertical(x: x, from: previousRow, to: y) } else { canvas.set(x: x, y: y) }
            }
            previousRow = y
        }
        if glyph == nil { canvas.draw(into: &grid, column: plot.x, row: plot.y, style: style) }
        for index in isolated {
            guard let y = ys[index] else { continue }
            let c = Int((column(xs[index]) / Double(subX)).rounded(.down))
            grid[plot.x + min(plot.width - 1, c), plot.y + row(y) / subY] = Cell(glyph ?? "●", style: style)
        }
    }
}
