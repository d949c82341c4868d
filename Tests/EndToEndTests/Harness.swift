import Foundation
import Testing

/// Where the package and the `klscope` binary built with the tests are.
enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `klscope` from the build that produced this test binary (`swift test` builds the executable
    /// too, in the same directory), else `.build/debug` or `.build/release`.
    static var binary: URL? {
        var candidates: [URL] = []
        if let testBinary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("klscope"))
        }
        candidates += ["debug", "release"].map { packageRoot.appendingPathComponent(".build/\($0)/klscope") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The binary, or a recorded failure saying how to get one.
    static func requireBinary() throws -> URL {
        try #require(binary, "klscope is not built; run `swift build --product klscope` (swift test builds it too)")
    }

    /// A new empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The outcome of running a program to completion.
struct Completed {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs `executable` with stdin from /dev/null and stdout/stderr to files (no terminal at all),
/// with `environment` added to this process's.
func runWithoutTerminal(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Completed {
    let scratch = try Paths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let output = scratch.appendingPathComponent("out").path
    let errors = scratch.appendingPathComponent("err").path
    let status = try spawnAndWait([executable.path] + arguments, output: output, errors: errors, environment: environment)
    return Completed(status: status,
                     output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
                     errors: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
}

/// Runs a program (looked up in PATH) to completion with stdin from /dev/null and stdout and
/// stderr to the given files, with `added` in its environment and without `TMUX`, with no signal
/// blocked and every signal at its default action (test threads block most signals, and a tmux
/// server started with them blocked never notices its panes exit nor `kill-server`); returns its exit status, or
/// 128 + the signal that ended it. Uses `posix_spawnp` because Foundation's `Process` waits
/// until every descendant has closed a socket it inherits, which tmux's server never does.
func spawnAndWait(_ arguments: [String], output: String = "/dev/null", errors: String = "/dev/null",
                  environment added: [String: String] = [:]) throws -> Int32 {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var environment = ProcessInfo.processInfo.environment.merging(added) { $1 }
    environment["TMUX"] = nil
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let error = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard error == 0 else { throw SpawnFailed(program: arguments[0], code: error) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + status & 0x7F
}

/// `posix_spawnp` failed with `code` (an errno value).
struct SpawnFailed: Error {
    var program: String
    var code: Int32
}

/// A private tmux server with one window running an interactive bash, in which the tests type
/// commands as a user would. Killed by `kill()` (and on deinit).
final class TmuxSession {
    /// Whether tmux is installed.
    static var isAvailable: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/tmux")
        }
    }

    /// Scratch files of this session: the runner script, pid and exit files, stty output.
    let directory: URL
    /// Where klscope keeps its crash-recovery journals in this session (`$XDG_STATE_HOME/klscope`).
    var journalDirectory: URL { stateHome.appendingPathComponent("klscope") }
    /// `$XDG_STATE_HOME` of the shell: `state` in `directory` unless the session shares another's.
    let stateHome: URL
    /// The server's socket, inside `directory` so that it goes away with it (tmux leaves it).
    private let socket: String
    private var alive = true

    /// Starts a server on a socket of its own, with a `width`×`height` window in the package root,
    /// TERM=tmux-256color, a UTF-8 locale, NO_COLOR unset and the prompt `$ `; `sharingStateWith`
    /// gives it another session's state folder (two explorers seeing each other's journals).
    init(width: Int = 120, height: Int = 40, sharingStateWith other: TmuxSession? = nil) throws {
        directory = try Paths.temporaryDirectory()
        stateHome = other?.stateHome ?? directory.appendingPathComponent("state")
        socket = directory.appendingPathComponent("tmux-socket").path
        // XDG_STATE_HOME: crash-recovery journals go to this session's own folder, never the user's.
        let shell = "env -u NO_COLOR -u LC_ALL -u TMUX TERM=tmux-256color LANG=C.UTF-8 PS1='$ ' XDG_STATE_HOME=\(stateHome.path) bash --norc --noprofile"
        try tmux("new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c", Paths.packageRoot.path, shell)
        try waitForScreen("the shell prompt") { $0.contains("$") }
        // The runner records klscope's pid (sh execs it) and its exit status, whatever ends it
        // (the trap keeps a typed Ctrl-C, which reaches the whole process group, from ending the
        // runner too; klscope starts with SIGINT's default disposition all the same).
        let runner = """
            #!/bin/sh
            trap : INT
            sh -c 'echo $$ > "$0"; exec "$@"' "\(directory.path)/pid" "$@"
            echo "exit=$?" > "\(directory.path)/exit"
            """
        try runner.write(to: directory.appendingPathComponent("run.sh"), atomically: true, encoding: .utf8)
    }

    deinit { kill() }

    /// Runs a tmux command on this server and returns its output.
    @discardableResult
    private func tmux(_ arguments: String...) throws -> String { try tmux(arguments) }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = directory.appendingPathComponent("tmux-output").path
        _ = try spawnAndWait(["tmux", "-S", socket, "-f", "/dev/null"] + arguments, output: output)
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Types `line` into the shell and presses Enter.
    func type(_ line: String) throws {
        try tmux("send-keys", "-l", line)
        try tmux("send-keys", "Enter")
    }

    /// Starts `klscope ARGUMENTS` in the shell through the runner, optionally prefixed by
    /// environment assignments such as `TERM=dumb`.
    /// `setup`, if given, is shell commands run first in a subshell that then starts klscope, so
    /// that limits and ignored signals (`trap '' XFSZ; ulimit -S -f 1`) apply to klscope only.
    func startKlscope(_ binary: URL, _ arguments: [String] = [], environment: String = "", setup: String = "") throws {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("exit"))
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("pid"))
        let command = "\(environment) sh \(directory.path)/run.sh \(binary.path) \(arguments.joined(separator: " "))"
        try type(setup.isEmpty ? command : "( \(setup); \(command) )")
    }

    /// Starts `klscope ARGUMENTS` as the shell's own job, with no runner script in between, as a
    /// user types it; `recordExitStatus` then records its exit status for `exitStatus`.
    func startKlscopeDirectly(_ binary: URL, _ arguments: [String] = []) throws {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("exit"))
        try type("\(binary.path) \(arguments.joined(separator: " "))")
    }

    /// Writes the status of the shell's last command (or `fg`) where `exitStatus` reads it.
    func recordExitStatus() throws {
        try type("echo \"exit=$?\" > \(directory.path)/exit")
    }

    /// Presses keys named as tmux's send-keys knows them (`Right`, `Tab`, `C-z`, `q`, …).
    func press(_ keys: String...) throws {
        try tmux(["send-keys"] + keys)
    }

    /// Writes raw bytes to the program, e.g. an X10 mouse report.
    func sendBytes(_ bytes: [UInt8]) throws {
        try tmux(["send-keys", "-H"] + bytes.map { String(format: "%02x", $0) })
    }

    /// The visible screen as text, one line per row.
    func screen() throws -> String { try tmux("capture-pane", "-p") }

    /// The visible screen with SGR colour codes.
    func screenWithColors() throws -> String { try tmux("capture-pane", "-p", "-e") }

    /// Whether the pane shows the alternate screen (a full-screen program is running).
    func alternateScreen() throws -> Bool {
        try tmux("display-message", "-p", "#{alternate_on}").trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Resizes the window (and so the pane and the program's terminal).
    func resize(width: Int, height: Int) throws {
        try tmux("resize-window", "-x", "\(width)", "-y", "\(height)")
    }

    /// Polls the screen every 50 ms until `condition` holds, for at most `timeout` seconds;
    /// returns that screen, or fails the test showing the last screen.
    @discardableResult
    func waitForScreen(_ what: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
                       _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        } while Date() < deadline
        Issue.record("timed out after \(timeout) s waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    /// Waits for the runner's exit file and returns klscope's exit status.
    func exitStatus(timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let text = try waitForFile("exit", timeout: timeout, sourceLocation: sourceLocation)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("exit=".count)),
                            "unreadable exit file: \(text)", sourceLocation: sourceLocation)
    }

    /// The pid of the running klscope.
    func pid(sourceLocation: SourceLocation = #_sourceLocation) throws -> pid_t {
        let text = try waitForFile("pid", timeout: 10, sourceLocation: sourceLocation)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), sourceLocation: sourceLocation)
    }

    /// The terminal modes of the pane as `stty -a` reports them, as separate settings
    /// (`icanon`, `-echo`, …), read by running stty in the shell.
    func terminalModes(sourceLocation: SourceLocation = #_sourceLocation) throws -> Set<String> {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("stty"))
        try type("stty -a > \(directory.path)/stty.tmp; mv \(directory.path)/stty.tmp \(directory.path)/stty")
        let text = try waitForFile("stty", timeout: 10, sourceLocation: sourceLocation)
        return Set(text.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }).map(String.init))
    }

    /// Ends the tmux server and removes the scratch files.
    func kill() {
        guard alive else { return }
        alive = false
        _ = try? tmux("kill-server")
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitForFile(_ name: String, timeout: Double, sourceLocation: SourceLocation) throws -> String {
        let url = directory.appendingPathComponent(name)
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let text = try? String(contentsOf: url, encoding: .utf8), text.hasSuffix("\n") { return text }
            usleep(50_000)
        } while Date() < deadline
        Issue.record("timed out after \(timeout) s waiting for \(name); the screen was:\n\((try? screen()) ?? "")",
                     sourceLocation: sourceLocation)
        throw TimedOut()
    }
}

/// Thrown after a wait timed out (the issue is already recorded).
struct TimedOut: Error {}
