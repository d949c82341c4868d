/// A grid of text with a header row and a header column, drawn with right-aligned
/// values in columns as wide as their widest entry. Rows and columns that do not fit
/// the rectangle it is drawn in are left out from the end.
public struct Table: Sendable {
    /// One piece of text with its style.
    public struct Entry: Sendable {
        public var text: String
        public var style: Style

        public init(_ text: String, style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    /// The names of the columns (drawn above them).
    public var columnHeaders: [Entry]
    /// The names of the rows (drawn at their left).
    public var rowHeaders: [Entry]
    /// The values, one array per row, one entry per column.
    public var rows: [[Entry]]
    /// The longest row header kept; longer ones are truncated.
    public var rowHeaderLimit: Int

    public init(columnHeaders: [Entry], rowHeaders: [Entry], rows: [[Entry]], rowHeaderLimit: Int = 16) {
        self.columnHeaders = columnHeaders
        self.rowHeaders = rowHeaders
        self.rows = rows
        self.rowHeaderLimit = rowHeaderLimit
    }

    /// The same table with rows and columns swapped.
    public func transposed() -> Table {
        let swapped = columnHeaders.indices.map { column in rowHeaders.indices.map { rows[$0][column] } }
        return Table(columnHeaders: rowHeaders, rowHeaders: columnHeaders, rows: swapped, rowHeaderLimit: rowHeaderLimit)
    }

    /// The width of the row-header column, gap included.
    public var rowHeaderWidth: Int { min(rowHeaderLimit, rowHeaders.map(\.text.count).max() ?? 0) + 1 }

    /// The width of each value column, including the gap before it.
    public var columnWidths: [Int] {
        columnHeaders.indices.map { column in
            1 + max(columnHeaders[column].text.count, rows.map { $0[column].text.count }.max() ?? 0)
        }
    }

    /// The cells needed to draw every column.
    public var width: Int { rowHeaderWidth + columnWidths.reduce(0, +) }
    /// The lines needed to draw every row, header included.
    public var height: Int { 1 + rows.count }

    /// Draws the header row and as many rows and whole columns as fit in `rect`.
    /// Returns how many rows and columns were drawn.
    @discardableResult
    public func draw(in rect: Rect, on grid: inout Grid, ellipsis: String = "…") -> (rows: Int, columns: Int) {
        guard rect.height >= 1, rect.width > rowHeaderWidth else { return (0, 0) }
        var widths: [Int] = []
        var used = rowHeaderWidth
        for width in columnWidths {
            guard used + width <= rect.width else { break }
            widths.append(width)
            used += width
        }
        var x = rect.x + rowHeaderWidth
        for (column, width) in widths.enumerated() {
            let header = columnHeaders[column]
            grid.write(TextLayout.pad(header.text, to: width - 1, .right, ellipsis: ellipsis), column: x + 1, row: rect.y, style: header.style)
            x += width
        }
        let shownRows = min(rows.count, rect.height - 1)
        for row in 0..<shownRows {
            let y = rect.y + 1 + row
            let header = rowHeaders[row]
            grid.write(TextLayout.truncate(header.text, to: rowHeaderWidth - 1, ellipsis: ellipsis), column: rect.x, row: y, style: header.style)
            x = rect.x + rowHeaderWidth
            for (column, width) in widths.enumerated() {
                let entry = rows[row][column]
                grid.write(TextLayout.pad(entry.text, to: width - 1, .right, ellipsis: ellipsis), column: x + 1, row: y, style: entry.style)
                x += width
            }
        }
        return (shownRows, widths.count)
    }
}
