import CNcursesw
import Foundation
import Platform
import Synchronization
import TerminalUI

/// What to turn on when the terminal starts.
public struct TerminalOptions: Sendable, Equatable {
    /// Report mouse presses, releases and the wheel (no motion).
    public var mouse: Bool
    /// Use colours if the terminal has them and `NO_COLOR` is unset or empty; otherwise monochrome.
    public var color: Bool

    public init(mouse: Bool = true, color: Bool = true) {
        self.mouse = mouse
        self.color = color
    }
}

/// Why the interactive terminal could not start. `description` says what is wrong and what to do;
/// the caller should print it to stderr and exit with `exitStatus` (2).
public enum TerminalStartError: Error, CustomStringConvertible, Sendable, Equatable {
    /// stdin or stdout is not a terminal (redirected or piped).
    case notATerminal
    /// `TERM` is unset or empty.
    case noTerminalType
    /// ncurses could not open the terminal type (no terminfo entry).
    case unknownTerminalType(String)
    /// The terminal type cannot address the cursor (e.g. `TERM=dumb`).
    case cannotMoveCursor(String)

    /// The process exit status for a failed start.
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case .notATerminal:
            return "klscope: the explorer needs an interactive terminal (stdin and stdout must be a TTY). "
                + "Use `klscope solve FILE` for numbers or `klscope render FILE` for a text screen."
        case .noTerminalType:
            return "klscope: TERM is not set, so the terminal type is unknown. "
                + "Set it (e.g. `export TERM=xterm-256color`) and try again, "
                + "or use `klscope render FILE` for a text screen."
        case .unknownTerminalType(let term):
            return "klscope: cannot open the terminal type TERM=\(term) (no terminfo entry for it here). "
                + "Set TERM to a type this machine knows (e.g. xterm-256color; `toe -a` lists them), "
                + "or use `klscope render FILE` for a text screen."
        case .cannotMoveCursor(let term):
            return "klscope: the terminal type TERM=\(term) cannot move the cursor, which the explorer needs. "
                + "Run it in a full-screen terminal (e.g. TERM=xterm-256color), "
                + "or use `klscope solve FILE` for numbers or `klscope render FILE` for a text screen."
        }
    }
}

/// The interactive terminal, driven through ncursesw: copies `Grid`s to the screen and turns
/// keyboard, mouse, resize and job-control input into `Event`s.
///
/// Only one may run at a time (ncurses state is global). It always leaves the terminal as it found
/// it: on `stop()` (also called by `deinit`), on SIGINT sent by `kill`, SIGTERM and SIGHUP (the
/// loop checks `terminationSignal` and calls `stop(reraising:)`), on Ctrl-Z (handled inside
/// `nextEvents`, full redraw after `fg`), on a second Ctrl-C or signal while the loop is stuck,
/// and as far as possible on a crash (see `Signals` for what is guaranteed).
public final class NcursesTerminal {
    private static let running = Atomic<Bool>(false)

    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var palette: Palette
    private let mouse: Bool
    /// The last grid drawn, to redraw only the cells that changed.
    private var previous: Grid?

    /// How many colours `draw` uses: 0 (monochrome), 8, 16 or 256.
    public var colorCount: Int { palette.colorCount }
    /// Whether the locale's character set is UTF-8, so that block and box characters can be shown.
    public let supportsUnicode: Bool

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, palette: Palette, mouse: Bool,
                 supportsUnicode: Bool) {
        self.screen = screen
        self.window = window
        self.palette = palette
        self.mouse = mouse
        self.supportsUnicode = supportsUnicode
    }

    /// Checks that an interactive terminal is there, installs the signal handlers and starts ncurses
    /// (alternate screen, no echo, cbreak, keypad, hidden cursor, colours and mouse as `options` say).
    public static func start(_ options: TerminalOptions = TerminalOptions()) throws(TerminalStartError) -> NcursesTerminal {
        precondition(!running.load(ordering: .relaxed), "only one NcursesTerminal can run at a time")
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        guard let termValue = getenv("TERM"), termValue.pointee != 0 else { throw .noTerminalType }
        let term = String(cString: termValue)
        var shellModes = termios()
        tcgetattr(STDIN_FILENO, &shellModes)

        Signals.install()
        guard let screen = newterm(term, klscope_stdout(), klscope_stdin()) else {
            Signals.uninstall()
            throw .unknownTerminalType(term)
        }
        guard let cursorAddress = tigetstr("cup"), Int(bitPattern: cursorAddress) != -1,
              let window = klscope_stdscr() else {
            endwin()
            delscreen(screen)
            Signals.uninstall()
            throw .cannotMoveCursor(term)
        }
        running.store(true, ordering: .relaxed)

        cbreak()
        noecho()
        keypad(window, true)
        leaveok(window, true)
        curs_set(0)
        set_escdelay(25)
        let noColor = ColorMode.noColorRequested(by: ProcessInfo.processInfo.environment)
        let palette = Palette(enabled: options.color && !noColor)
        if options.mouse {
            mousemask(Input.mouseMask, nil)
            mouseinterval(0)
        }
        Signals.armRestore(sequence: restoreSequence(mouse: options.mouse), modes: shellModes)
        let unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        return NcursesTerminal(screen: screen, window: window, palette: palette, mouse: options.mouse,
                               supportsUnicode: unicode)
    }

    deinit { stop() }

    /// The screen size in columns and rows.
    public var size: (width: Int, height: Int) {
        guard let window else { return (0, 0) }
        return (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// SIGINT (sent by `kill`), SIGTERM or SIGHUP if one arrived since `start`, or SIGHUP if the
    /// terminal hung up; the loop should then call `stop(reraising:)`.
    public var terminationSignal: Int32? {
        let signal = Signals.pendingTermination.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// Copies `grid` to the screen: only the cells that changed since the last call, everything
    /// after a resize or a resume. Cells beyond the screen are clipped; characters that would not
    /// take exactly one column (control, wide or unprintable in this locale) are drawn as `?`.
    public func draw(_ grid: Grid) {
        guard let window else { return }
        let (width, height) = size
        let old = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if old == nil { werase(window) }
        for row in 0..<min(height, grid.height) {
            for column in 0..<min(width, grid.width) {
                let index = row * grid.width + column
                let cell = grid.cells[index]
                if let old, old.cells[index] == cell { continue }
                put(cell, column: column, row: row, isLastCell: column == width - 1 && row == height - 1)
            }
        }
        previous = grid
        wrefresh(window)
    }

    /// Waits up to `timeoutMilliseconds` for input, then takes everything already pending without
    /// waiting, so a burst of keys (or a paste) comes back as one batch. Returns an empty array on
    /// timeout or when a signal interrupted the wait. Handles Ctrl-Z here: restores the terminal,
    /// stops, and after `fg` returns a `.resize` event with the current size (and redraws fully).
    /// Ctrl-C typed at the keyboard arrives as `.key(.control("c"))`, not as a termination.
    public func nextEvents(timeoutMilliseconds: Int) -> [Event] {
        guard let window else { return [] }
        var events = signalEvents()
        wtimeout(window, Int32(clamping: events.isEmpty ? timeoutMilliseconds : 0))
        var code: wint_t = 0
        for _ in 0..<4096 {
            let result = wget_wch(window, &code)
            if result == ERR { break }
            if let event = translate(result: result, code: code) { events.append(event) }
            wtimeout(window, 0)
        }
        if events.isEmpty, Self.terminalHungUp {
            // Without this, reads fail at once and the loop would spin forever, e.g. when SIGHUP
            // is ignored (nohup) or never sent and the window is closed.
            _ = Signals.pendingTermination.compareExchange(expected: 0, desired: SIGHUP, ordering: .relaxed)
        }
        return events + signalEvents()
    }

    /// Restores the terminal: mouse reporting off, `endwin`, `delscreen`, signal dispositions back.
    /// Safe to call more than once.
    public func stop() {
        guard let screen else { return }
        if mouse { mousemask(0, nil) }
        endwin()
        delscreen(screen)
        self.screen = nil
        window = nil
        Signals.uninstall()
        Self.running.store(false, ordering: .relaxed)
    }

    /// Restores the terminal, then ends the process with `signal`'s default action, so the shell
    /// sees the usual status (130 for SIGINT, 143 for SIGTERM).
    public func stop(reraising signal: Int32) -> Never {
        stop()
        Signals.dieOf(signal)
    }

    // MARK: - Drawing

    private func put(_ cell: Cell, column: Int, row: Int, isLastCell: Bool) {
        var attributes = klscope_attr_normal()
        if cell.style.bold { attributes |= klscope_attr_bold() }
        if cell.style.reverse { attributes |= klscope_attr_reverse() }
        if cell.style.underline { attributes |= klscope_attr_underline() }
        if cell.style.dim { attributes |= klscope_attr_dim() }
        let pair = palette.pair(for: cell.style)
        var character = cchar_t()
        setcchar(&character, Self.wideCharacters(cell.character), attributes, pair, nil)
        if isLastCell {
            // Adding a character in the bottom-right corner would move the cursor past the end of
            // the screen; inserting it leaves the cursor where it is.
            mvwins_wch(window, Int32(row), Int32(column), &character)
        } else {
            mvwadd_wch(window, Int32(row), Int32(column), &character)
        }
    }

    /// The NUL-terminated wide string for one cell: a character one column wide plus its combining
    /// marks (at most `CCHARW_MAX` code points), or `?`.
    private static func wideCharacters(_ character: Character) -> [wchar_t] {
        let scalars = character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        guard let first = scalars.first, klscope_wcwidth(first) == 1 else { return [wchar_t(UInt8(ascii: "?")), 0] }
        let marks = scalars.dropFirst().prefix(Int(CCHARW_MAX) - 1).filter { klscope_wcwidth($0) == 0 }
        return [first] + marks + [0]
    }

    // MARK: - Input

    private func translate(result: Int32, code: wint_t) -> Event? {
        guard result == KEY_CODE_YES else { return Input.event(character: code) }
        switch Int32(bitPattern: code) {
        case KEY_RESIZE:
            let (width, height) = size
            return .resize(width: width, height: height)
        case KEY_MOUSE:
            var report = MEVENT()
            guard getmouse(&report) == OK else { return nil }
            return Input.event(mouse: report)
        case let key:
            return Input.event(keyCode: key)
        }
    }

    /// The events that signals stand for: a `.resize` after Ctrl-Z and `fg` (see
    /// `resumeAfterJobControl`), Ctrl-C typed at the keyboard.
    private func signalEvents() -> [Event] {
        var events: [Event] = []
        if let resize = resumeAfterJobControl() { events.append(resize) }
        if Signals.interruptKey.exchange(false, ordering: .relaxed) { events.append(.key(.control("c"))) }
        return events
    }

    /// After Ctrl-Z (or SIGSTOP) and `fg`: makes ncurses set the terminal up again on the next
    /// refresh, repaint every cell, and follow a size change made while stopped. Returns the
    /// `.resize` event that makes the caller lay out and draw again, or nil if nothing happened.
    private func resumeAfterJobControl() -> Event? {
        var stopped = false
        if Signals.suspendRequested.exchange(false, ordering: .relaxed) {
            Signals.resumed.store(false, ordering: .relaxed)
            // If a shell script started us, it stopped at once and its parent shell took the
            // terminal: then endwin's tcsetattr stops us (SIGTTOU) until `fg`, and stopping
            // again afterwards would leave us stopped with nobody waiting for us.
            endwin()
            if !Signals.resumed.load(ordering: .relaxed) { Signals.stopProcess() }
            stopped = true
        }
        if Signals.resumed.exchange(false, ordering: .relaxed) {
            // Stopped by SIGSTOP, not by us: the shell may have changed the terminal modes.
            if !stopped { endwin() }
            stopped = true
        }
        guard stopped else { return nil }
        var windowSize = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &windowSize) == 0, windowSize.ws_row > 0, windowSize.ws_col > 0 {
            resizeterm(Int32(windowSize.ws_row), Int32(windowSize.ws_col))
        }
        clearok(klscope_curscr(), true)
        previous = nil
        let (width, height) = size
        return .resize(width: width, height: height)
    }

    /// Whether the terminal has gone away (its window closed, the connection dropped).
    private static var terminalHungUp: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// What the crash handler writes to leave the screen modes ncurses set: CAN (cancels a
    /// half-written escape sequence), then the terminal's sequences for attributes off, cursor
    /// visible, keypad off, mouse reporting off (xterm-style terminals), alternate screen off.
    private static func restoreSequence(mouse: Bool) -> [UInt8] {
        var bytes: [UInt8] = [0x18]
        for capability in ["sgr0", "cnorm", "rmkx"] { bytes += terminfoString(capability) }
        if mouse, terminfoString("kmous").starts(with: Array("\u{1B}[".utf8)) {
            bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8)
        }
        bytes += terminfoString("rmcup")
        return bytes
    }

    private static func terminfoString(_ name: String) -> [UInt8] {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return [] }
        return Array(String(cString: value).utf8)
    }
}
