import Foundation
import Testing
@testable import KLScenario

/// A valid scenario, one line per fact, that the error tests change one line at a time.
/// Lines: 1 title, 3 beta, 4 responses, 5 rewards, 7–9 reference p, 10–12 reference q.
let validYAML = """
    title: Test
    notes: A note.
    beta: 0.5
    responses: [a, b, c, d]
    rewards: [1.0, 0.5, 0.0, -1.0]
    references:
      - name: p
        weight: 0.6
        probs: [0.4, 0.3, 0.2, 0.1]
      - name: q
        weight: 0.4
        logprobs: [-0.6931471805599453, -0.6931471805599453, -.inf, -.inf]

    """

/// `validYAML` with `old` replaced by `new`; records an issue when `old` is not there, so a
/// test can never silently check the unchanged file.
func validYAML(replacing old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    if !validYAML.contains(old) { Issue.record("the valid YAML has no \"\(old)\"", sourceLocation: sourceLocation) }
    return validYAML.replacingOccurrences(of: old, with: new)
}

/// The error `parse` throws for `text`, or nil when it loads.
func loadError(_ text: String, fileName: String = "test.yaml") -> ScenarioError? {
    do {
        _ = try ScenarioLoader.parse(text, fileName: fileName)
        return nil
    } catch {
        return error
    }
}

/// Expects `text` to be rejected with exactly this location and field, and a message containing every one of `words`.
func expectError(_ text: String, line: Int, column: Int, field: String, says words: String...,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = loadError(text) else {
        Issue.record("loaded without error", sourceLocation: sourceLocation)
        return
    }
    #expect(error.file == "test.yaml", sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.column == column, "\(error)", sourceLocation: sourceLocation)
    #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
    for word in words {
        #expect(error.message.contains(word), "\(error)", sourceLocation: sourceLocation)
    }
}

/// The repository's `examples/` folder.
let examplesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("examples")

/// Every scenario file in `examples/`, sorted.
func exampleFiles() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)
        .filter { $0.hasSuffix(".yaml") }
        .sorted()
        .map { examplesDirectory.appendingPathComponent($0) }
}

/// A fresh, empty temporary folder.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("klscope-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
