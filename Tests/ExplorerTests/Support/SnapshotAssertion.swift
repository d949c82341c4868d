import Foundation
import Testing
import TerminalUI

/// Compares a rendered screen with a stored snapshot under `Tests/ExplorerTests/Snapshots/`.
/// With `KLSCOPE_RECORD_SNAPSHOTS=1` in the environment a snapshot that differs is (re)written
/// and the check fails, saying so, so that a recording run never passes as a test run. On a
/// mismatch the failure shows a line diff.
func expectSnapshot(_ grid: Grid, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let actual = Snapshot.render(grid)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["KLSCOPE_RECORD_SNAPSHOTS"] == "1" {
        let stored = try? String(contentsOf: url, encoding: .utf8)
        guard stored != actual else { return }
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name).txt (KLSCOPE_RECORD_SNAPSHOTS=1): read its diff, then run without it", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt: run with KLSCOPE_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("snapshot \(name) differs (- stored, + now):\n\(lineDiff(expected, actual))", sourceLocation: sourceLocation)
    }
}

/// The lines that differ, with a line number, `-` for the stored text and `+` for the new one.
func lineDiff(_ old: String, _ new: String) -> String {
    let a = old.components(separatedBy: "\n"), b = new.components(separatedBy: "\n")
    var out: [String] = []
    for index in 0..<max(a.count, b.count) {
        let left = index < a.count ? a[index] : nil, right = index < b.count ? b[index] : nil
        guard left != right else { continue }
        if let left { out.append(String(format: "%4d - ", index + 1) + left) }
        if let right { out.append(String(format: "%4d + ", index + 1) + right) }
        if out.count > 80 {
            out.append("…")
            break
        }
    }
    return out.joined(separator: "\n")
}
