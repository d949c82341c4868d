import ArgumentParser
import Foundation
import TerminalUI

/// The `klscope` command line: the explorer by default, and one subcommand per batch job.
@main
struct KLScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klscope",
        abstract: "Explore KL-regularised policies with several reference models.",
        discussion: """
            With no subcommand, opens the interactive explorer on FILE, or on a built-in \
            scenario when no file is given. Scenario files are YAML (or JSON); see README.md.
            """,
        version: KLScope.version,
        subcommands: [ExploreCommand.self, SolveCommand.self, RenderCommand.self, KeysCommand.self, BenchCommand.self, LabCommand.self, SweepCommand.self, ExportCommand.self, TourCommand.self, ImportCommand.self],
        defaultSubcommand: ExploreCommand.self
    )

    /// The version `klscope --version` prints.
    static let version = "0.10.0"

    static func main() {
        MemoryPolicy.apply()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withStatusFor: error)
        }
    }

    /// Ends the process for `error` as klscope does: help and `--version` with status 0, every
    /// input mistake (an unknown option, a malformed or out-of-range value, a bad file) with
    /// status 2 and the message on standard error, its control characters shown escaped (the
    /// parser quotes the command line, which may hold anything).
    static func exit(withStatusFor error: Error) -> Never {
        let code = exitCode(for: error)
        guard code == .validationFailure else { exit(withError: error) }
        FileHandle.standardError.write(Data((VisibleText.escaped(fullMessage(for: error), keeping: ["\n"]) + "\n").utf8))
        exit(withError: ExitCode(2))
    }
}
