import ArgumentParser
import Explorer
import Foundation
import KLScenario
import NcursesBackend
import TerminalUI

/// `--no-mouse`, `--no-color` and `--ascii`: how the explorer draws and what input it takes.
struct DisplayOptions: ParsableArguments {
    @Flag(help: "Ignore the mouse, so that the terminal's own text selection works.")
    var noMouse = false

    @Flag(help: "No colours (also when NO_COLOR is set); series differ by glyph.")
    var noColor = false

    @Flag(help: "Only ASCII characters (no block elements, box drawing or Greek letters).")
    var ascii = false

    /// Options for a screen printed as text, where there is no terminal to ask: monochrome with
    /// `--no-color` or when `NO_COLOR` is set.
    var forText: ExplorerOptions {
        let monochrome = noColor || ColorMode.noColorRequested(by: ProcessInfo.processInfo.environment)
        return ExplorerOptions(color: monochrome ? .monochrome : .full256, ascii: ascii, mouse: false)
    }
}

/// `--size` and `--keys`: the screen the explorer shows at a size after some key presses,
/// for `render`, `export` and `tour --render`.
struct ReplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The terminal size, columns x rows, each 1…1000.", valueName: "WxH"))
    var size = TerminalSize(width: 120, height: 40)

    @Option(help: "Keys to press first, e.g. \"<tab> l l v\" (see klscope help render).")
    var keys: String = ""

    /// Sizes `session`, presses the keys, and lets background work (a coverage lab run) finish,
    /// so the screen is final. Returns the size; bad `--keys` exit with status 2.
    func replay(_ session: ExplorerSession) throws -> TerminalSize {
        let events: [Event]
        do {
            events = try KeyNotation.parse(keys)
        } catch {
            try fail("--keys: \(error)")
        }
        session.listsInBackground = false
        session.handle(.resize(width: size.width, height: size.height))
        for event in events { session.handle(event) }
        session.waitForBackground()
        return size
    }
}
