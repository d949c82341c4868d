import Testing
@testable import KLScenario
import TerminalUI

/// Text from a file never reaches a terminal with its control characters interpreted.
@Suite struct VisibleTextTests {
    static let hostile = "T\u{1B}[31mRED\u{1B}]0;pwned\u{07}\u{1B}[2J\u{7F}\u{9B}\nx"

    static func hasControl(_ text: String, allowing: Set<Unicode.Scalar> = []) -> Bool {
        text.unicodeScalars.contains { VisibleText.isControl($0) && !allowing.contains($0) }
    }

    @Test func escapesC0DelAndC1Visibly() {
        #expect(VisibleText.escaped(Self.hostile) == "T\\e[31mRED\\e]0;pwned\\x07\\e[2J\\x7f\\u009b\\nx")
        #expect(VisibleText.escaped("a\tb\nc", keeping: VisibleText.lineBreaks) == "a\tb\nc")
        #expect(VisibleText.escaped("plain é") == "plain é")
    }

    @Test func errorsCSVAndJSONCarryNoControlCharacter() {
        let error = ScenarioError(file: "a\nb.yaml", line: 1, column: 2, field: "x", message: "key \"\(Self.hostile)\"")
        #expect(!Self.hasControl(error.description))
        #expect(!error.description.contains("\n"))
        #expect(!Self.hasControl(SolveReport.csvField(Self.hostile), allowing: VisibleText.lineBreaks))
        #expect(!Self.hasControl(JSONText.string(Self.hostile).rendered()))
    }
}
