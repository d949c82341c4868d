import ArgumentParser
import Foundation
import KLScenario

/// `klscope [explore] [FILE]`: the interactive explorer. The loop only moves events from the
/// terminal to the session and grids back; all behaviour lives in `ExplorerSession`.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore a scenario interactively in the terminal (the default command).",
        discussion: """
            Needs an interactive terminal. Colours follow the terminal (256, 16 or none) and \
            NO_COLOR; characters are ASCII-only when the locale is not UTF-8.
            """
    )

    @Argument(help: "A scenario file (YAML or JSON); omit it for the built-in scenario.")
    var file: String?

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let scenario = try file.map(loadScenarioOrExit) ?? .builtInDefault
        try InteractiveLoop.run(scenario, file: file.map { URL(fileURLWithPath: $0) }, display: display, journaled: true)
    }
}
