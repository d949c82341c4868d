/// A drawing surface of braille dots: each cell holds a 2×4 block of dots, so a line chart
/// gets twice the columns and four times the rows of the cells it covers.
public struct BrailleCanvas: Sendable, Equatable {
    /// The size in cells.
    public let columns: Int
    public let rows: Int
    private var bits: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
    }

    /// The size in dots.
    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// The bit of each dot of a cell, by (column, row) inside the cell.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at `x` (from the left) and `y` (from the top); dots outside are ignored.
    public mutating func set(x: Int, y: Int) {
        guard x >= 0, x < dotWidth, y >= 0, y < dotHeight else { return }
        bits[(y / 4) * columns + x / 2] |= Self.dotBits[x % 2][y % 4]
    }

    /// Sets the dots of a vertical run from `y0` to `y1` (either order) at column `x`.
    public mutating func vertical(x: Int, from y0: Int, to y1: Int) {
        for y in min(y0, y1)...max(y0, y1) { set(x: x, y: y) }
    }

    /// The braille character of a cell, nil when none of its dots is set.
    public func character(column: Int, row: Int) -> Character? {
        let value = bits[row * columns + column]
        guard value != 0 else { return nil }
        return Character(Unicode.Scalar(0x2800 + UInt32(value))!)
    }

    /// Sets the dots of a line from (`x0`, `y0`) to (`x1`, `y1`), `x0 ≤ x1`: at each column
    /// from `x0` to `x1` the row interpolated between the ends, joined to the previous
    /// column's row by a vertical run so that steep lines have no gaps.
    public mutating func line(from x0: Int, _ y0: Int, to x1: Int, _ y1: Int) {
        var previous = y0
        for x in x0...max(x0, x1) {
            let t = x1 > x0 ? Double(x - x0) / Double(x1 - x0) : 0
            let y = Int((Double(y0) + t * Double(y1 - y0)).rounded())
            vertical(x: x, from: previous, to: y)
            previous = y
        }
    }

    /// Draws the cells that have a dot set into `grid` with their top-left at (`column`, `row`),
    /// in `style`; cells without dots are left as they are.
    public func draw(into grid: inout Grid, column: Int, row: Int, style: Style) {
        for r in 0..<rows {
            for c in 0..<columns {
                if let character = character(column: c, row: r) { grid[column + c, row + r] = Cell(character, style: style) }
            }
        }
    }
}
