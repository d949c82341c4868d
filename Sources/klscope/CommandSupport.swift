import ArgumentParser
import Foundation
import KLScenario
import TerminalUI

// What every command shares: failing with a message, loading the scenario, writing standard output.

/// Prints `message` to standard error as klscope's, its control characters shown escaped
/// (`VisibleText.escaped`: it may quote names from the file or the command line), and exits
/// with status 2.
func fail(_ message: String) throws -> Never {
    note(message)
    throw ExitCode(2)
}

/// Prints `message` to standard error as klscope's, escaped like `fail`, and carries on.
func note(_ message: String) {
    FileHandle.standardError.write(Data("klscope: \(VisibleText.escaped(message))\n".utf8))
}

/// Loads a scenario file, or prints the located error and exits with status 2.
func loadScenarioOrExit(_ path: String) throws -> Scenario {
    do {
        return try ScenarioLoader.load(contentsOf: URL(fileURLWithPath: path))
    } catch {
        try fail("\(error)")
    }
}

/// The directory klscope was started in: relative paths, the picker and exports start here.
var workingDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

/// A file (standard output by default) as a `TextOutputStream`, written in blocks of
/// `blockSize` bytes; call `flush()` at the end.
struct BufferedOutput: TextOutputStream {
    let handle: FileHandle
    private let blockSize: Int
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle = .standardOutput, blockSize: Int = 1 << 16) {
        self.handle = handle
        self.blockSize = blockSize
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= blockSize { flush() }
    }

    /// Writes out what is buffered.
    mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
