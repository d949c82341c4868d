import ArgumentParser
import Explorer

/// `klscope keys`: prints the explorer's key map as a Markdown table (the README's table is this output).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Print the explorer's key map as a Markdown table."
    )

    func run() {
        print(KeyMap.markdown)
    }
}
