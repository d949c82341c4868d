import Platform
import Synchronization

/// Signal handling for the terminal. The handlers capture nothing and only touch atomics and
/// memory prepared in advance, so they are async-signal-safe; the event loop polls the atomics
/// and does the real work (ncurses calls) outside the handlers.
///
/// * Ctrl-C typed at the keyboard (SIGINT sent by the terminal driver): remembered in
///   `interruptKey`; `nextEvents` reports it as the key `.control("c")`, so the explorer treats
///   it like `q` and can ask about unsaved changes.
/// * SIGINT sent by `kill`, SIGTERM, SIGHUP: remembered in `pendingTermination`; the loop restores
///   the terminal and then re-raises the signal with its default action.
/// * A second such signal (or a second Ctrl-C) before the loop took the first one means the loop
///   is stuck: the handler restores the terminal itself (as for a crash) and exits with status
///   128 + signal. So the explorer can always be left with Ctrl-C Ctrl-C.
/// * SIGTSTP (Ctrl-Z): remembered in `suspendRequested`; `nextEvents` restores the terminal and
///   stops the process with the default action; after `fg` everything is redrawn.
/// * SIGCONT: remembered in `resumed`, so that a stop by SIGSTOP also ends with a full redraw.
/// * SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT (a Swift trap or a crash): see
///   `restoreAfterCrash`.
///
/// * SIGXFSZ (a write beyond `ulimit -f`): ignored while the explorer runs, so the write fails
///   with EFBIG and is reported like any other failed write (a save or the recovery journal)
///   instead of killing the process with the terminal left raw. The previous disposition comes
///   back with `uninstall`.
///
/// A signal that was ignored when the terminal started (e.g. SIGHUP under `nohup`) stays ignored.
enum Signals {
    private static let termination: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let crash: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// SIGINT, SIGTERM or SIGHUP (not a typed Ctrl-C) that the loop has not acted on, or 0.
    static let pendingTermination = Atomic<Int32>(0)
    /// A typed Ctrl-C that `nextEvents` has not reported yet.
    static let interruptKey = Atomic<Bool>(false)
    /// A Ctrl-Z (SIGTSTP) that `nextEvents` has not acted on yet.
    static let suspendRequested = Atomic<Bool>(false)
    /// Set by SIGCONT: the process was stopped and has been continued.
    static let resumed = Atomic<Bool>(false)

    /// What the handlers need to restore the terminal, allocated before it is needed.
    nonisolated(unsafe) fileprivate static let restoreState = Atomic<UnsafeMutablePointer<RestoreState>?>(nil)

    /// Dispositions in force before `install`, by signal number.
    nonisolated(unsafe) private static var previous: [Int32: sigaction] = [:]
    /// The signal mask before `install`, which unblocks the signals handled here (a parent may
    /// have left them blocked, and then Ctrl-Z, resizing or SIGTERM would do nothing).
    nonisolated(unsafe) private static var previousMask = sigset_t()
    /// The alternate signal stack installed by `install`, if there was none.
    nonisolated(unsafe) private static var alternateStack: UnsafeMutableRawPointer?

    /// Installs all handlers. Call before `newterm`, or ncurses installs its own SIGINT/SIGTERM/
    /// SIGTSTP handlers and the cleanup here never runs.
    static func install() {
        pendingTermination.store(0, ordering: .relaxed)
        interruptKey.store(false, ordering: .relaxed)
        suspendRequested.store(false, ordering: .relaxed)
        resumed.store(false, ordering: .relaxed)
        installAlternateStack()
        for signal in termination { install(signal, keepIgnored: true, handler: recordTermination) }
        install(SIGTSTP, keepIgnored: true) { _, _, _ in Signals.suspendRequested.store(true, ordering: .relaxed) }
        install(SIGCONT, keepIgnored: false) { _, _, _ in Signals.resumed.store(true, ordering: .relaxed) }
        for signal in crash { install(signal, keepIgnored: false, flags: SA_ONSTACK, handler: restoreAfterCrash) }
        ignore(SIGXFSZ)
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in termination + crash + [SIGTSTP, SIGCONT, SIGWINCH] { sigaddset(&handled, signal) }
        sigprocmask(SIG_UNBLOCK, &handled, &previousMask)
    }

    /// Arms the restoring handlers with the bytes that undo the screen modes and with the terminal
    /// modes to put back. Call once the terminal is set up.
    static func armRestore(sequence: [UInt8], modes: termios) {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, sequence.count))
        bytes.initialize(from: sequence, count: sequence.count)
        var previousCrashActions = RestoreState.PreviousActions()
        for signal in crash {
            if let old = previous[signal] { previousCrashActions.set(signal, old) }
        }
        let state = UnsafeMutablePointer<RestoreState>.allocate(capacity: 1)
        state.initialize(to: RestoreState(bytes: bytes, count: sequence.count, modes: modes,
                                          previousCrashActions: previousCrashActions))
        disarmRestore()
        restoreState.store(state, ordering: .releasing)
    }

    /// Puts back every disposition that `install` replaced and frees the restore state.
    static func uninstall() {
        disarmRestore()
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous.removeAll()
        sigprocmask(SIG_SETMASK, &previousMask, nil)
        if let stack = alternateStack {
            var disable = stack_t(ss_sp: nil, ss_flags: Int32(SS_DISABLE), ss_size: 0)
            sigaltstack(&disable, nil)
            stack.deallocate()
            alternateStack = nil
        }
    }

    /// Stops the process as SIGTSTP's default action would, returning after `fg` (or at once if the
    /// process group is orphaned and the kernel discards the stop).
    static func stopProcess() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        var ours = sigaction()
        sigaction(SIGTSTP, &action, &ours)
        raise(SIGTSTP)
        sigaction(SIGTSTP, &ours, nil)
    }

    /// Ends the process with `signal`'s default action (its exit status tells the shell which
    /// signal it was). Call after the terminal is restored and the handlers are uninstalled.
    static func dieOf(_ signal: Int32) -> Never {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        raise(signal)
        exit(128 + signal)
    }

    private typealias Handler = @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void

    private static func install(_ signal: Int32, keepIgnored: Bool, flags: Int32 = SA_RESTART, handler: Handler) {
        var old = sigaction()
        sigaction(signal, nil, &old)
        let ignored = old.sa_flags & SA_SIGINFO == 0
            && unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        if keepIgnored, ignored { return }
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = handler
        action.sa_flags = SA_SIGINFO | flags
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        previous[signal] = old
    }

    /// Ignores `signal` until `uninstall`, remembering its previous disposition.
    private static func ignore(_ signal: Int32) {
        var old = sigaction()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, &old)
        previous[signal] = old
    }

    /// A stack overflow raises SIGSEGV with no stack left to run a handler on; give the crash
    /// handler its own stack unless one exists already (the Swift runtime may have set one).
    private static func installAlternateStack() {
        var current = stack_t()
        sigaltstack(nil, &current)
        guard current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
        if sigaltstack(&stack, nil) == 0 {
            alternateStack = memory
        } else {
            memory.deallocate()
        }
    }

    private static func disarmRestore() {
        if let old = restoreState.exchange(nil, ordering: .acquiringAndReleasing) {
            old.pointee.bytes.deallocate()
            old.deinitialize(count: 1)
            old.deallocate()
        }
    }
}

/// Everything the handlers read to restore the terminal, in memory that needs no allocation then.
private struct RestoreState {
    /// Dispositions of the crash signals before ours, in a fixed table indexed by signal number
    /// (all crash signals are below 16 on Linux).
    struct PreviousActions {
        /// Bit `n` is set when the entry for signal `n` holds a saved disposition.
        private var saved: UInt32 = 0
        private var actions = (sigaction(), sigaction(), sigaction(), sigaction(), sigaction(), sigaction(),
                               sigaction(), sigaction(), sigaction(), sigaction(), sigaction(), sigaction(),
                               sigaction(), sigaction(), sigaction(), sigaction())

        mutating func set(_ signal: Int32, _ action: sigaction) {
            withUnsafeMutableBytes(of: &actions) { raw in
                raw.storeBytes(of: action, toByteOffset: Int(signal) * MemoryLayout<sigaction>.stride, as: sigaction.self)
            }
            saved |= 1 << UInt32(signal)
        }

        /// Calls the saved handler of `signal` as the kernel would have, unless it was the default
        /// action or "ignore".
        mutating func call(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
            guard saved & (1 << UInt32(signal)) != 0 else { return }
            let action = withUnsafeBytes(of: &actions) { raw in
                raw.load(fromByteOffset: Int(signal) * MemoryLayout<sigaction>.stride, as: sigaction.self)
            }
            if action.sa_flags & SA_SIGINFO != 0 {
                action.__sigaction_handler.sa_sigaction?(signal, info, context)
            } else if let handler = action.__sigaction_handler.sa_handler,
                      unsafeBitCast(handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
                handler(signal)
            }
        }

        /// Puts every saved disposition back (async-signal-safe: no allocation).
        mutating func reinstall() {
            let saved = saved
            withUnsafeMutablePointer(to: &actions) { tuple in
                let base = UnsafeMutableRawPointer(tuple)
                for signal in Int32(1)..<16 where saved & (1 << UInt32(signal)) != 0 {
                    let action = base.advanced(by: Int(signal) * MemoryLayout<sigaction>.stride)
                        .assumingMemoryBound(to: sigaction.self)
                    sigaction(signal, action, nil)
                }
            }
        }
    }

    var bytes: UnsafeMutablePointer<UInt8>
    var count: Int
    var modes: termios
    var previousCrashActions: PreviousActions
}

/// Restores the terminal from inside a signal handler, once per process, with async-signal-safe
/// calls only (no `endwin`, which allocates and uses stdio): `write(2)` to stdout of CAN (ends any
/// half-written escape sequence) and the terminal's own sequences for "attributes off, cursor
/// visible, keypad off, mouse reporting off, leave the alternate screen"; then `tcsetattr(2)` of
/// stdin back to the modes saved before ncurses started (canonical input, echo). Returns the
/// state it used, or nil if the terminal was restored already or not started.
private func restoreTerminalInHandler() -> UnsafeMutablePointer<RestoreState>? {
    guard let state = Signals.restoreState.exchange(nil, ordering: .acquiringAndReleasing) else { return nil }
    _ = write(STDOUT_FILENO, state.pointee.bytes, state.pointee.count)
    _ = tcsetattr(STDIN_FILENO, TCSANOW, &state.pointee.modes)
    return state
}

/// The handler of SIGINT, SIGTERM and SIGHUP; see `Signals`.
private func recordTermination(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _: UnsafeMutableRawPointer?) {
    let typed = signal == SIGINT && info?.pointee.si_code == Int32(SI_KERNEL)
    let unhandled = typed
        ? Signals.interruptKey.exchange(true, ordering: .relaxed)
        : Signals.pendingTermination.exchange(signal, ordering: .relaxed) != 0
    if unhandled {
        _ = restoreTerminalInHandler()
        _exit(128 + signal)
    }
}

/// The crash handler. What it guarantees:
/// 1. the terminal is restored as `restoreTerminalInHandler` says;
/// 2. the dispositions in force before ours are put back, and the previous handler of this signal
///    (normally the Swift runtime's backtracer) is called with the original signal information,
///    so its crash report appears on the restored terminal;
/// 3. the process then ends with the signal's default action (same exit status and core dump as
///    without the explorer): a fault sent by the kernel runs the faulting instruction again, a
///    signal sent by `abort` or `kill` is raised again, even if the previous handler returned.
/// Not covered: SIGKILL; messages written to the screen just before the crash (such as
/// `fatalError`'s text) vanish with the alternate screen, but the backtrace repeats the location.
private func restoreAfterCrash(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    if let state = restoreTerminalInHandler() {
        state.pointee.previousCrashActions.reinstall()
        state.pointee.previousCrashActions.call(signal, info, context)
    }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(signal, &action, nil)
    // The signal is blocked while this handler runs: a raised one is delivered when it returns.
    if (info?.pointee.si_code ?? 0) <= 0 { raise(signal) }
}
