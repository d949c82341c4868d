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
    @Option(help: ArgumentHelp("The terminal size, columns x rows.", valueName: "WxH"))
    var size: String = "120x40"

    @Option(help: "Keys to press first, e.g. \"<tab> l l v\" (see klscope help render).")
    var keys: String = ""

    /// Sizes `session`, presses the keys, and lets background work (a coverage lab run) finish,
    /// so the screen is final. Returns the size; bad `--size` or `--keys` exit with status 2.
    func replay(_ session: inout ExplorerSession) throws -> (width: Int, height: Int) {
        let parts = size.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let width = parts[0], let height = parts[1], (1...1000).contains(width), (1...1000).contains(height) else {
            try fail("--size must look like 120x40 (columns x rows, each 1…1000), got \"\(size)\"")
        }
        let events: [Event]
        do {
            events = try KeyNotation.parse(keys)
        } catch {
            try fail("--keys: \(error)")
        }
        session.listsInBackground = false
        session.handle(.resize(width: width, height: height))
        for event in events { session.handle(event) }
        session.waitForBackground()
        return (width, height)
    }
}

/// The directory klscope was started in: relative paths, the picker and exports start here.
var workingDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

/// The interactive explorer in the terminal, shared by `explore` and `tour`: starts ncurses
/// (or exits with status 2 and a message saying why it cannot), then moves batches of events
/// into the session and grids out to the screen until the user quits.
enum InteractiveLoop {
    /// Runs the explorer on `scenario`; `prepare` adjusts the session before the first frame
    /// (starting a tour). With `journaled`, unsaved edits are kept in this explorer's recovery
    /// journal, and journals left by ended explorers of the same file are offered for restoring.
    static func run(_ scenario: Scenario, file: URL?, display: DisplayOptions, journaled: Bool,
                    prepare: (inout ExplorerSession) -> Void = { _ in }) throws {
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
        var session = ExplorerSession(scenario: scenario, file: file, options: options, workingDirectory: workingDirectory)
        var size = terminal.size
        session.handle(.resize(width: size.width, height: size.height))
        prepare(&session)
        // Crash recovery: unsaved edits are journalled as they are made, and journals of explorers that are gone are offered.
        var recovery = journaled ? RecoveryKeeper(directory: RecoveryJournal.defaultDirectory()) : nil
        recovery?.start(&session)
        while !session.shouldQuit {
            terminal.draw(session.view(width: size.width, height: size.height))
            var events: [Event] = []
            while events.isEmpty {
                events = terminal.nextEvents(timeoutMilliseconds: 100)
                if let signal = terminal.terminationSignal {
                    recovery?.update(&session, force: true)
                    terminal.stop(reraising: signal)
                }
                recovery?.update(&session)
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
            recovery?.update(&session)
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
