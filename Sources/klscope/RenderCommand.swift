import ArgumentParser
import Explorer
import Foundation
import KLScenario
import TerminalUI

/// `klscope render`: prints, as plain text, the screen the explorer would show after some keys.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the explorer's screen as text, after pressing the given keys.",
        discussion: """
            Keys are space-separated: plain characters (j, L, 0, abc types a, b, c), and named keys \
            in angle brackets: <up> <down> <left> <right> <pgup> <pgdn> <home> <end> <tab> <s-tab> \
            <enter> <esc> <bs> <space> <c-r> <lt>. Example: klscope render examples/escape.yaml \
            --keys "<tab> l l v".
            """
    )

    @Argument(help: "A scenario file; omit it for the built-in scenario.")
    var file: String?

    @Option(help: ArgumentHelp("The terminal size, columns x rows.", valueName: "WxH"))
    var size: String = "120x40"

    @Option(help: "Keys to press before printing the screen.")
    var keys: String = ""

    @Flag(help: "Draw as on a terminal without colours (series differ by glyph).")
    var noColor = false

    @Flag(help: "Only ASCII characters.")
    var ascii = false

    @Flag(help: "Also print a layer with one letter per style, and its legend (colours, bold, reverse).")
    var styles = false

    func run() throws {
        let parts = size.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let width = parts[0], let height = parts[1], width > 0, height > 0, width <= 1000, height <= 1000 else {
            try fail("--size must look like 120x40 (columns x rows, each 1…1000), got \"\(size)\"")
        }
        let events: [Event]
        do {
            events = try KeyNotation.parse(keys)
        } catch {
            try fail("--keys: \(error)")
        }
        let scenario = try file.map(loadScenarioOrExit) ?? .builtInDefault
        let options = ExplorerOptions(color: noColor ? .monochrome : .full256, ascii: ascii, mouse: false)
        var session = ExplorerSession(
            scenario: scenario, file: file.map { URL(fileURLWithPath: $0) }, options: options,
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        session.handle(.resize(width: width, height: height))
        for event in events { session.handle(event) }
        session.waitForBackground()  // a coverage lab run (m) finishes before the screen is printed
        let grid = session.view(width: width, height: height)
        print(styles ? Snapshot.render(grid) : grid.text)
    }
}
