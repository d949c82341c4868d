import Foundation
import Testing

/// Whether `python3` can import numpy here (the peer's tests need it).
private let numpyAvailable = (try? spawnAndWait(["python3", "-c", "import numpy"])) == 0

/// `klscope bench solve` beside bench/numpy_peer.py: the peer's outputs agree with the solve.
struct NumpyPeerTests {
    @Test(.enabled(if: numpyAvailable, "python3 with numpy is not installed"))
    func thePeerAgreesWithTheSolveOnEveryOutput() throws {
        let result = try runWithoutTerminal(try Paths.requireBinary(), ["bench", "solve", "--max-responses", "1000", "--seconds", "0.01"])
        #expect(result.status == 0, "stderr: \(result.errors)")
        let rows = result.output.split(separator: "\n").filter { $0.hasPrefix("     1000") }
        #expect(rows.count == 3, "\(result.output)")
        for row in rows {
            #expect(row.hasSuffix(" yes"), "\(row)")
        }
    }

    @Test(.enabled(if: numpyAvailable, "python3 with numpy is not installed"))
    func aPeerThatDisagreesFailsTheBench() throws {
        // The peer script with λ moved by 1e-8 relative, in a folder of its own.
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try String(contentsOf: Paths.packageRoot.appendingPathComponent("bench/numpy_peer.py"), encoding: .utf8)
        let wrong = script.replacingOccurrences(of: "\"lambda\": lam,", with: "\"lambda\": lam * (1 + 1e-8),")
        #expect(wrong != script)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bench"), withIntermediateDirectories: true)
        try wrong.write(to: folder.appendingPathComponent("bench/numpy_peer.py"), atomically: true, encoding: .utf8)
        // Run from that folder, whose bench/numpy_peer.py the binary finds first.
        let binary = try Paths.requireBinary().path
        let status = try spawnAndWait(["sh", "-c", "cd '\(folder.path)' && exec '\(binary)' bench solve --max-responses 1000 --seconds 0.01"],
                                      output: folder.appendingPathComponent("out").path, errors: folder.appendingPathComponent("err").path)
        let output = try String(contentsOf: folder.appendingPathComponent("out"), encoding: .utf8)
        let errors = try String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8)
        #expect(status != 0)
        #expect(output.contains("NO: λ"), "\(output)")
        #expect(errors.contains("disagrees"), "\(errors)")
    }
}
