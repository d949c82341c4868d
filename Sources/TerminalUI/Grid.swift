/// One character cell of the screen with its style.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// An empty cell in the default style.
    public static let blank = Cell()
}

/// A rectangle of cells, in columns and rows from the top-left corner.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// Whether the cell at column `column`, row `row` is inside.
    public func contains(column: Int, row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }
}

/// An in-memory screen: the view draws into it, a backend copies it to a terminal,
/// and tests read it as text. Every character occupies exactly one cell.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A blank grid of the given size.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at a column and row; writes outside the grid are ignored.
    public subscript(column: Int, row: Int) -> Cell {
        get { cells[row * width + column] }
        set {
            guard column >= 0, column < width, row >= 0, row < height else { return }
            cells[row * width + column] = newValue
        }
    }

    /// Writes `text` from (`column`, `row`), clipped to `limit` cells and to the grid. Control
    /// characters (text from a file may hold any) are written as their visible escapes
    /// (`VisibleText.escaped`: `\e`, `\x07`, `\u009b`), a cell per character, so a grid never
    /// holds a control character and the terminal, `render` and the snapshots show the same
    /// columns. Returns the number of cells written.
    @discardableResult
    public mutating func write(_ text: String, column: Int, row: Int, style: Style = .plain, limit: Int = .max) -> Int {
        guard row >= 0, row < height else { return 0 }
        var x = column
        var written = 0
        for character in VisibleText.escaped(text) {
            if written >= limit || x >= width { break }
            if x >= 0 { cells[row * width + x] = Cell(character, style: style) }
            x += 1
            written += 1
        }
        return written
    }

    /// Fills a rectangle (clipped to the grid) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                cells[row * width + column] = cell
            }
        }
    }

    /// Changes the style of every cell in a rectangle, keeping the characters.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                change(&cells[row * width + column].style)
            }
        }
    }

    /// One row as plain text.
    public func line(_ row: Int) -> String {
        String(cells[(row * width)..<((row + 1) * width)].map(\.character))
    }

    /// The grid as plain text: one line per row, trailing spaces removed.
    public var text: String {
        (0..<height).map { row in
            var line = line(row)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
