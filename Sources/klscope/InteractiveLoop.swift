import ArgumentParser
import Explorer
import Foundation
import KLScenario
import NcursesBackend
import TerminalUI

/// The interactive explorer in the terminal, shared by `explore` and `tour`: starts ncurses
/// (or exits with status 2 and a message saying why it cannot), then moves batches of events
/// into the session and grids out to the screen until the user quits.
enum InteractiveLoop {
    /// Runs the explorer on `scenario`; `prepare` adjusts the session before the first frame
    /// (starting a tour). With `journaled`, unsaved edits are kept in this explorer's recovery
    /// journal, and journals left by ended explorers of the same file are offered for restoring.
    static func run(_ scenario: Scenario, file: URL?, display: DisplayOptions, journaled: Bool,
                    prepare: (ExplorerSession) -> Void = { _ in }) throws {
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal.start(TerminalOptions(mouse: !display.noMouse, color: !display.noColor))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
        defer { terminal.stop() }

        let options = ExplorerOptions(color: colorMode(colorCount: terminal.colorCount),
                                      ascii: display.ascii || !terminal.supportsUnicode, mouse: !display.noMouse)
        let session = ExplorerSession(scenario: scenario, file: file, options: options, workingDirectory: workingDirectory)
        var size = terminal.size
        session.handle(.resize(width: size.width, height: size.height))
        prepare(session)
        // Crash recovery: unsaved edits are journalled as they are made, and journals of explorers that are gone are offered.
        var recovery = journaled ? RecoveryKeeper(directory: RecoveryJournal.defaultDirectory()) : nil
        recovery?.start(session)
        while !session.shouldQuit {
            terminal.draw(session.view(width: size.width, height: size.height))
            var events: [Event] = []
            while events.isEmpty {
                events = terminal.nextEvents(timeoutMilliseconds: 100)
                if let signal = terminal.terminationSignal {
                    recovery?.update(session, force: true)
                    terminal.stop(reraising: signal)
                }
                recovery?.update(session)
                if let failure = recovery?.newFailure() {
                    session.reportJournalFailure(failure)
                    break
                }
                if session.drainBackground() { break }  // coverage lab progress: redraw
                if events.isEmpty, session.isPlaying {  // the animation's next frame (space)
                    session.tick()
                    break
                }
            }
            session.handle(events)
            recovery?.update(session)
            if let failure = recovery?.newFailure() { session.reportJournalFailure(failure) }
            size = terminal.size
        }
        recovery?.finish()
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
