import ArgumentParser
import Explorer
import Foundation
import KLScenario
import NcursesBackend
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

    @Option(help: "With --render: keys to press first, as for klscope render.")
    var keys: String = ""

    @Option(help: ArgumentHelp("With --render: the terminal size, columns x rows.", valueName: "WxH"))
    var size: String = "120x40"

    @Flag(help: "Ignore the mouse, so that the terminal's own text selection works.")
    var noMouse = false

    @Flag(help: "No colours; series differ by glyph.")
    var noColor = false

    @Flag(help: "Only ASCII characters.")
    var ascii = false

    func run() throws {
        let progress: TourProgress
        do throws(ScenarioError) {
            progress = try TourProgress(Tour.load(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            try fail("\(error)")
        }
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if render {
            let parts = size.lowercased().split(separator: "x").map { Int($0) }
            guard parts.count == 2, let width = parts[0], let height = parts[1], (1...1000).contains(width), (1...1000).contains(height) else {
                try fail("--size must look like 120x40, got \"\(size)\"")
            }
            let events: [Event]
            do { events = try KeyNotation.parse(keys) } catch { try fail("--keys: \(error)") }
            var session = ExplorerSession(scenario: progress.stops[0].scenario, file: nil,
                                          options: ExplorerOptions(color: noColor ? .monochrome : .full256, ascii: ascii, mouse: false),
                                          workingDirectory: workingDirectory)
            session.handle(.resize(width: width, height: height))
            session.startTour(progress)
            for event in events { session.handle(event) }
            print(session.view(width: width, height: height).text)
            return
        }
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal.start(TerminalOptions(mouse: !noMouse, color: !noColor))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
        defer { terminal.stop() }
        let options = ExplorerOptions(color: ExploreCommand.colorMode(colorCount: terminal.colorCount),
                                      ascii: ascii || !terminal.supportsUnicode, mouse: !noMouse)
        var session = ExplorerSession(scenario: progress.stops[0].scenario, file: nil, options: options, workingDirectory: workingDirectory)
        var size = terminal.size
        session.handle(.resize(width: size.width, height: size.height))
        session.startTour(progress)
        while !session.shouldQuit {
            terminal.draw(session.view(width: size.width, height: size.height))
            var events: [Event] = []
            while events.isEmpty {
                events = terminal.nextEvents(timeoutMilliseconds: 100)
                if let signal = terminal.terminationSignal { terminal.stop(reraising: signal) }
                if session.drainBackground() { break }  // coverage lab progress: redraw
            }
            session.handle(events)
            size = terminal.size
        }
    }
}
