import ArgumentParser
import Explorer
import Foundation
import KLScenario
import TerminalUI

/// `klscope tour FILE`: the explorer playing a guided tour; `]` and `[` step through it.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Play a guided tour (a YAML list of steps with captions) in the explorer.",
        discussion: """
            Each step may load a scenario, set beta, weights, rewards or probabilities, choose the \
            visible series, the layout or the view, and highlight a response or series; its caption \
            shows in the notes box. ] goes to the next step, [ to the previous one; every other key \
            works as in the explorer. A broken tour is rejected like a broken scenario (file, line, \
            field). With --render, prints the screen after --keys instead. See examples/tours/lesson.yaml.
            """
    )

    @Argument(help: "A tour file (YAML).")
    var file: String

    @Flag(help: "Print the screen as text after --keys instead of opening the terminal.")
    var render = false

    @OptionGroup var replay: ReplayOptions

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let progress: TourProgress
        do throws(ScenarioError) {
            progress = try TourProgress(Tour.load(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            try fail("\(error)")
        }
        if render {
            let session = ExplorerSession(scenario: progress.stops[0].scenario, file: nil,
                                          options: display.forText, workingDirectory: workingDirectory)
            session.startTour(progress)
            let size = try replay.replay(session)
            print(session.printableScreen(width: size.width, height: size.height))
            return
        }
        try InteractiveLoop.run(progress.stops[0].scenario, file: nil, display: display, journaled: false) { session in
            session.startTour(progress)
        }
    }
}
