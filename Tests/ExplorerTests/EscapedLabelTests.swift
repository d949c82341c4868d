import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// A label with control characters is drawn as visible escapes inside its own columns: the
/// frame, the bars and the sidebar stay where they are for a harmless label of the same length.
@Suite struct EscapedLabelTests {
    @Test func controlCharactersInALabelDoNotMoveTheFrame() throws {
        var hostile = Fixtures.three
        hostile.responses[0] = "a\u{1B}]0;x\u{07}"
        var plain = Fixtures.three
        plain.responses[0] = "a\\e]0;x\\x07"
        let hostileScreen = try Fixtures.session(hostile).view(width: 120, height: 40)
        let plainScreen = try Fixtures.session(plain).view(width: 120, height: 40)
        #expect(hostileScreen.text == plainScreen.text)
        #expect(hostileScreen.cells.allSatisfy { !$0.character.unicodeScalars.contains(where: VisibleText.isControl) })
    }
}
