import ArgumentParser
import Explorer
import Foundation
import KLScenario

/// `klscope render`: prints, as plain text, the screen the explorer would show after some keys.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the explorer's screen as text, after pressing the given keys.",
        discussion: """
            Keys are space-separated: plain characters (j, L, 0, abc types a, b, c), and named keys \
            in angle brackets: <up> <down> <left> <right> <pgup> <pgdn> <home> <end> <tab> <s-tab> \
            <enter> <esc> <bs> <space> <c-r> <lt>. Example: klscope render examples/escape.yaml \
            --keys "<tab> l l v". A control character from the file is printed as its visible \
            escape (\\e, \\x07, \\u009b), where the explorer draws ?.
            """
    )

    @Argument(help: "A scenario file; omit it for the built-in scenario.")
    var file: String?

    @OptionGroup var replay: ReplayOptions

    @OptionGroup var display: DisplayOptions

    @Flag(help: "Also print a layer with one letter per style, and its legend (colours, bold, reverse).")
    var styles = false

    func run() throws {
        let scenario = try file.map(loadScenarioOrExit) ?? .builtInDefault
        let session = ExplorerSession(scenario: scenario, file: file.map { URL(fileURLWithPath: $0) },
                                      options: display.forText, workingDirectory: workingDirectory)
        let size = try replay.replay(session)
        print(session.printableScreen(width: size.width, height: size.height, styles: styles))
    }
}
