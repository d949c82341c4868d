/// The characters of a frame: corners, edges and the joints of rules that meet it.
public struct BoxStyle: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character

    public init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
                bottomLeft: Character, bottomRight: Character) {
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
    }

    /// `╭─╮│╰╯`
    public static let rounded = BoxStyle(horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯")
    /// `+-+|++`, for terminals without box drawing.
    public static let ascii = BoxStyle(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
}

extension Grid {
    /// Clears `rect` and draws a frame around its edge, with `title` set into the top edge.
    /// Returns the area inside the frame.
    @discardableResult
    public mutating func drawBox(_ rect: Rect, style box: BoxStyle, lineStyle: Style = .plain,
                                 title: String? = nil, titleStyle: Style = .plain) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        fill(rect)
        let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
        self[rect.x, rect.y] = Cell(box.topLeft, style: lineStyle)
        self[rect.maxX - 1, rect.y] = Cell(box.topRight, style: lineStyle)
        self[rect.x, rect.maxY - 1] = Cell(box.bottomLeft, style: lineStyle)
        self[rect.maxX - 1, rect.maxY - 1] = Cell(box.bottomRight, style: lineStyle)
        for column in inner.x..<inner.maxX {
            self[column, rect.y] = Cell(box.horizontal, style: lineStyle)
            self[column, rect.maxY - 1] = Cell(box.horizontal, style: lineStyle)
        }
        for row in inner.y..<inner.maxY {
            self[rect.x, row] = Cell(box.vertical, style: lineStyle)
            self[rect.maxX - 1, row] = Cell(box.vertical, style: lineStyle)
        }
        if let title, inner.width > 4 {
            write(" " + TextLayout.truncate(title, to: inner.width - 4) + " ", column: rect.x + 2, row: rect.y, style: titleStyle)
        }
        return inner
    }

    /// A horizontal line across `width` cells from (`column`, `row`), with an optional
    /// title near its left end: `── Title ──────`.
    public mutating func drawRule(column: Int, row: Int, width: Int, character: Character, lineStyle: Style = .plain,
                                  title: String? = nil, titleStyle: Style = .plain) {
        guard width > 0 else { return }
        write(String(repeating: String(character), count: width), column: column, row: row, style: lineStyle)
        if let title, width > 5 {
            write(" " + TextLayout.truncate(title, to: width - 4) + " ", column: column + 1, row: row, style: titleStyle)
        }
    }

    /// A vertical line of `height` cells from (`column`, `row`) down.
    public mutating func drawVerticalRule(column: Int, row: Int, height: Int, character: Character, style: Style = .plain) {
        for y in row..<(row + max(0, height)) { self[column, y] = Cell(character, style: style) }
    }
}
