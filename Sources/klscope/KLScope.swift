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

    /// Runs the command. Errors, help and version text are printed as swift-argument-parser
    /// words them, but with control characters escaped (`VisibleText.escaped`): its messages
    /// quote the command line (`--beta $'\e[31m'`), which must not reach the terminal raw.
    /// A usage error exits with status 2, like every other bad input (the library's is 64).
    static func main() {
        MemoryPolicy.apply()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error) == .validationFailure ? ExitCode(2) : exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let text = Data((VisibleText.escaped(message, keeping: VisibleText.lineBreaks) + "\n").utf8)
                (status == .success ? FileHandle.standardOutput : FileHandle.standardError).write(text)
            }
            Foundation.exit(status.rawValue)
        }
    }
}
