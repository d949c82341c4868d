import CNcursesw
import Testing
import TerminalUI
@testable import NcursesBackend

/// What the backend makes of each kind of input `wget_wch` can return, without a terminal.
@Suite struct InputTests {
    @Test(arguments: [
        (UInt32(9), Event.key(.tab)), (10, .key(.enter)), (13, .key(.enter)), (8, .key(.backspace)),
        (127, .key(.backspace)), (27, .key(.escape)), (1, .key(.control("a"))), (18, .key(.control("r"))),
        (26, .key(.control("z"))), (32, .key(.character(" "))), (0x71, .key(.character("q"))),
        (0x3B2, .key(.character("β"))), (0x1F600, .key(.character("😀"))),
    ])
    func charactersBecomeKeys(code: UInt32, event: Event) {
        #expect(Input.event(character: code) == event)
    }

    /// NUL, the C0 controls without a key of their own, the C1 range and values that are not
    /// Unicode scalars (surrogates, beyond U+10FFFF) mean nothing and must not become characters.
    @Test(arguments: [UInt32(0), 28, 31, 0x80, 0x9B, 0x9F, 0xD800, 0xDFFF, 0x110000, UInt32.max])
    func meaninglessCharactersAreDropped(code: UInt32) {
        #expect(Input.event(character: code) == nil)
    }

    @Test func keyCodesBecomeKeys() {
        let expected: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_PPAGE, .pageUp),
            (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end), (KEY_BTAB, .backTab), (KEY_ENTER, .enter),
            (KEY_BACKSPACE, .backspace), (KEY_DC, .delete), (klscope_key_f(1), .function(1)), (klscope_key_f(12), .function(12)),
        ]
        for (code, key) in expected { #expect(Input.event(keyCode: code) == .key(key), "key code \(code)") }
        // Keys the explorer does not use, and the two the terminal handles itself.
        for code in [klscope_key_f(13), KEY_IC, KEY_RESIZE, KEY_MOUSE, 0] { #expect(Input.event(keyCode: code) == nil, "key code \(code)") }
    }

    @Test func mouseReportsBecomePressesWheelAndReleases() {
        func report(_ state: mmask_t, x: Int32 = 7, y: Int32 = 3) -> MEVENT {
            var event = MEVENT()
            event.bstate = state
            event.x = x
            event.y = y
            return event
        }
        #expect(Input.event(mouse: report(klscope_button1_pressed())) == .mouse(MouseEvent(.press(button: 1), column: 7, row: 3)))
        #expect(Input.event(mouse: report(klscope_button3_pressed(), x: 0, y: 0)) == .mouse(MouseEvent(.press(button: 3), column: 0, row: 0)))
        #expect(Input.event(mouse: report(klscope_button4_pressed())) == .mouse(MouseEvent(.scrollUp, column: 7, row: 3)))
        #expect(Input.event(mouse: report(klscope_button5_pressed())) == .mouse(MouseEvent(.scrollDown, column: 7, row: 3)))
        #expect(Input.event(mouse: report(klscope_button2_released())) == .mouse(MouseEvent(.release, column: 7, row: 3)))
        #expect(Input.event(mouse: report(0)) == nil)
    }

    /// The mask asks for every report `event(mouse:)` turns into an event.
    @Test func mouseMaskAsksForWhatIsHandled() {
        let mask = Input.mouseMask
        for bit in [klscope_button1_pressed(), klscope_button1_released(), klscope_button2_pressed(), klscope_button3_pressed(),
                    klscope_button4_pressed(), klscope_button5_pressed()] {
            #expect(mask & bit != 0)
        }
    }
}
