import Foundation
import KLMath
import KLScenario
import TerminalUI
@testable import Explorer

/// Scenarios and sessions shared by the explorer tests.
enum Fixtures {
    /// The repository root, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An example scenario file shipped in `examples/`.
    static func example(_ name: String) -> URL {
        repository.appendingPathComponent("examples").appendingPathComponent(name)
    }

    /// Loads an example, failing the test run loudly when it is missing or broken.
    static func loadExample(_ name: String) -> Scenario {
        do {
            return try ScenarioLoader.load(contentsOf: example(name))
        } catch {
            fatalError("examples/\(name) does not load: \(error)")
        }
    }

    /// A small scenario with three references and rewards, made here so tests do not depend on files.
    static let three = Scenario(
        title: "Three references",
        notes: "A small test scenario.",
        beta: 1,
        responses: ["alpha", "bravo", "charlie", "delta"],
        rewards: [1, 0.5, 0, -1],
        references: [
            .init(name: "a", weight: 0.5, logProbabilities: LogSpace.logs(of: [0.4, 0.3, 0.2, 0.1])),
            .init(name: "b", weight: 0.3, logProbabilities: LogSpace.logs(of: [0.25, 0.25, 0.25, 0.25])),
            .init(name: "c", weight: 0.2, logProbabilities: LogSpace.logs(of: [0.1, 0.2, 0.3, 0.4])),
        ])

    /// A session on `scenario` at `width`×`height`, after typing `keys` (key notation).
    static func session(_ scenario: Scenario = Scenario.builtInDefault, file: URL? = nil, keys: String = "",
                        width: Int = 120, height: Int = 40, options: ExplorerOptions = ExplorerOptions(),
                        workingDirectory: URL = repository) throws -> ExplorerSession {
        let session = ExplorerSession(scenario: scenario, file: file, options: options, workingDirectory: workingDirectory)
        session.listsInBackground = false  // replayed keys such as "o <down>" need the listing before the next key
        session.handle(.resize(width: width, height: height))
        try session.handle(KeyNotation.parse(keys))
        session.waitForSweeps()  // the sweep view's background sweeps, so that what tests draw does not depend on timing
        return session
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-explorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension ExplorerSession {
    /// The screen drawn at `width`×`height` as plain text, for tests that look for words on it.
    func screenText(width: Int = 120, height: Int = 40) -> String {
        view(width: width, height: height).text
    }
}
