import ArgumentParser
import Explorer
import Foundation
import KLScenario
import NcursesBackend
import TerminalUI

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

    @Flag(help: "Ignore the mouse, so that the terminal's own text selection works.")
    var noMouse = false

    @Flag(help: "No colours (also when NO_COLOR is set); series differ by glyph.")
    var noColor = false

    @Flag(help: "Only ASCII characters (no block elements, box drawing or Greek letters).")
    var ascii = false

    func run() throws {
        let scenario = try file.map(loadScenarioOrExit) ?? .builtInDefault
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal.start(TerminalOptions(mouse: !noMouse, color: !noColor))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
        defer { terminal.stop() }

        let options = ExplorerOptions(color: Self.colorMode(colorCount: terminal.colorCount),
                                      ascii: ascii || !terminal.supportsUnicode, mouse: !noMouse)
        var session = ExplorerSession(
            scenario: scenario, file: file.map { URL(fileURLWithPath: $0) }, options: options,
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var size = terminal.size
        session.handle(.resize(width: size.width, height: size.height))
        // Crash recovery: unsaved edits are journaled within a second; a journal left by a
        // crashed or killed run of the same file is offered for restoring.
        var recovery = RecoveryKeeper(directory: RecoveryJournal.defaultDirectory())
        let journal = recovery.journal(for: session)
        if let recovered = journal.read() {
            recovery.adopt(journal)
            session.offerRecovery(recovered.scenario, savedAt: recovered.savedAt)
        }
        while !session.shouldQuit {
            terminal.draw(session.view(width: size.width, height: size.height))
            var events: [Event] = []
            while events.isEmpty {
                events = terminal.nextEvents(timeoutMilliseconds: 100)
                if let signal = terminal.terminationSignal {
                    recovery.update(session, force: true)
                    terminal.stop(reraising: signal)
                }
                recovery.update(session)
                if session.drainBackground() { break }  // coverage lab progress: redraw
            }
            session.handle(events)
            recovery.update(session)
            size = terminal.size
        }
        recovery.finish(session)
    }

    /// The explorer's colour mode for a terminal showing `colorCount` colours (0 when colours are
    /// off because of `--no-color`, `NO_COLOR` or the terminal).
    static func colorMode(colorCount: Int) -> ColorMode {
        switch colorCount {
        case 256...: .full256
        case 8...: .sixteen
        default: .monochrome
        }
    }
}
