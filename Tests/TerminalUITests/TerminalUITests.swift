import Testing
import TerminalUI

/// The general terminal-UI pieces: key notation, text layout, bars, tables, snapshots.
@Suite struct TerminalUITests {
    @Test func noColorIsRequestedByAnyNonEmptyValue() {
        #expect(ColorMode.noColorRequested(by: ["NO_COLOR": "1"]))
        #expect(ColorMode.noColorRequested(by: ["NO_COLOR": "no"]))
        #expect(!ColorMode.noColorRequested(by: ["NO_COLOR": ""]))
        #expect(!ColorMode.noColorRequested(by: ["TERM": "xterm"]))
    }

    @Test func keyNotationParsesEveryKind() throws {
        let events = try KeyNotation.parse("j ab <tab> <S-Tab> <enter> <esc> <c-r> <up> <pgdn> <space> <lt> q <F2> <bs>")
        let keys: [Key] = [.character("j"), .character("a"), .character("b"), .tab, .backTab, .enter, .escape,
                           .control("r"), .up, .pageDown, .character(" "), .character("<"), .character("q"), .function(2), .backspace]
        #expect(events == keys.map { .key($0) })
        #expect(try KeyNotation.parse("x<enter>y") == [.key(.character("x")), .key(.enter), .key(.character("y"))])
        #expect(try KeyNotation.parse("<click:3,4> <wheeldown:1,2> <resize:100x30>") == [
            .mouse(MouseEvent(.press(button: 1), column: 3, row: 4)), .mouse(MouseEvent(.scrollDown, column: 1, row: 2)),
            .resize(width: 100, height: 30),
        ])
        #expect(try KeyNotation.parse("   ") == [])
    }

    @Test func keyNotationRejectsNonsense() {
        #expect(throws: KeyNotation.ParseError.self) { try KeyNotation.parse("<nope>") }
        #expect(throws: KeyNotation.ParseError.self) { try KeyNotation.parse("a<b") }
        #expect(throws: KeyNotation.ParseError.self) { try KeyNotation.parse("<click:1>") }
    }

    @Test func wrapKeepsWordsWhole() {
        let lines = TextLayout.wrap("the quick brown fox jumps over the lazy dog", width: 10)
        #expect(lines == ["the quick", "brown fox", "jumps over", "the lazy", "dog"])
        #expect(TextLayout.wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(TextLayout.wrap("one\n\ntwo", width: 10) == ["one", "", "two"])
    }

    @Test func truncateMiddleKeepsBothEnds() {
        #expect(TextLayout.truncateMiddle("fine-tuned", to: 8) == "fine…ned")
        #expect(TextLayout.truncateMiddle("fine-tuned", to: 10) == "fine-tuned")
        #expect(TextLayout.truncateMiddle("model-a", to: 5) == "mo…-a")
        #expect(TextLayout.truncateMiddle("abcdef", to: 2) == "a…")
    }

    @Test func truncateAndPad() {
        #expect(TextLayout.truncate("abcdef", to: 4) == "abc…")
        #expect(TextLayout.truncate("abc", to: 4) == "abc")
        #expect(TextLayout.pad("ab", to: 4, .right) == "  ab")
        #expect(TextLayout.pad("ab", to: 5, .center) == " ab  ")
    }

    @Test func bars() {
        #expect(BarGlyphs.horizontal(fraction: 0.5, width: 4) == "██")
        #expect(BarGlyphs.horizontal(fraction: 0.5625, width: 4) == "██▎")
        #expect(BarGlyphs.horizontal(fraction: 1e-9, width: 4) == "▏")
        #expect(BarGlyphs.horizontal(fraction: 0, width: 4) == "")
        #expect(BarGlyphs.horizontal(fraction: 0.5, width: 4, fill: "#") == "##")
        #expect(BarGlyphs.vertical(fraction: 0.75, height: 2) == ["█", "▄"])
    }

    @Test func lineEditor() {
        var editor = LineEditor("abc")
        editor.apply(.left)
        editor.apply(.backspace)
        editor.apply(.character("X"))
        #expect(editor.text == "aXc" && editor.cursor == 2)
        editor.apply(.control("u"))
        #expect(editor.text.isEmpty)
        let usedEnter = editor.apply(.enter)
        #expect(!usedEnter)
    }

    @Test func tableDrawsAndTransposes() {
        let table = Table(columnHeaders: [.init("x"), .init("y")], rowHeaders: [.init("one"), .init("two")],
                          rows: [[.init("1"), .init("22")], [.init("3"), .init("4")]])
        var grid = Grid(width: 12, height: 3)
        let drawn = table.draw(in: grid.bounds, on: &grid)
        #expect(drawn.rows == 2 && drawn.columns == 2)
        #expect(grid.text == "     x  y\none  1 22\ntwo  3  4")
        let swapped = table.transposed()
        #expect(swapped.rowHeaders.map(\.text) == ["x", "y"])
        #expect(swapped.rows[1].map(\.text) == ["22", "4"])
        var narrow = Grid(width: 7, height: 2)
        #expect(table.draw(in: narrow.bounds, on: &narrow).columns == 1)
    }

    @Test func snapshotNamesEachStyleOnce() {
        var grid = Grid(width: 6, height: 2)
        grid.write("ab", column: 0, row: 0, style: Style(foreground: .indexed(75), bold: true))
        grid.write("c", column: 3, row: 0, style: Style(reverse: true))
        grid.write("d", column: 0, row: 1, style: Style(foreground: .indexed(75), bold: true))
        #expect(Snapshot.styles(grid) == "aa b\na\n\na: fg 75 bold\nb: reverse")
    }

    @Test func boxDrawing() {
        var grid = Grid(width: 8, height: 3)
        let inner = grid.drawBox(grid.bounds, style: .ascii, title: "T")
        #expect(inner == Rect(x: 1, y: 1, width: 6, height: 1))
        #expect(grid.text == "+- T --+\n|      |\n+------+")
    }
}

/// Text from a file reaches the grid with its control characters as visible escapes, a cell each.
@Suite struct GridEscapingTests {
    @Test func controlCharactersAreWrittenAsVisibleEscapesWithinTheLimit() {
        var grid = Grid(width: 12, height: 1)
        let written = grid.write("a\u{1B}[2Jb\u{9B}", column: 0, row: 0)
        #expect(grid.line(0) == "a\\e[2Jb\\u009")
        #expect(written == 12)
        var clipped = Grid(width: 12, height: 1)
        #expect(clipped.write("\u{07}xyz", column: 1, row: 0, limit: 3) == 3)
        #expect(clipped.line(0) == " \\x0        ")
        #expect(grid.cells.allSatisfy { !$0.character.unicodeScalars.contains(where: VisibleText.isControl) })
    }
}
