import CNcursesw
import TerminalUI

/// Translation of what `wget_wch` returns into terminal-independent events.
enum Input {
    /// The event for a character (`wget_wch` returned `OK`), or nil for characters with no meaning
    /// here (NUL, other C0/C1 controls, unassigned code points).
    static func event(character code: UInt32) -> Event? {
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 27: return .key(.escape)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(code - 1)))))
        case 0..<32, 128..<160:
            return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// The event for a key code (`wget_wch` returned `KEY_CODE_YES`), or nil for keys the explorer
    /// does not use. `KEY_RESIZE` and `KEY_MOUSE` are handled by the terminal, which knows the size
    /// and reads the mouse event.
    static func event(keyCode code: Int32) -> Event? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case klscope_key_f(1)...klscope_key_f(12): return .key(.function(Int(code - klscope_key_f(0))))
        default: return nil
        }
    }

    /// The event for a mouse report, or nil for buttons and actions the explorer does not use.
    static func event(mouse: MEVENT) -> Event? {
        let state = mouse.bstate
        let action: MouseEvent.Action
        if state & klscope_button1_pressed() != 0 {
            action = .press(button: 1)
        } else if state & klscope_button2_pressed() != 0 {
            action = .press(button: 2)
        } else if state & klscope_button3_pressed() != 0 {
            action = .press(button: 3)
        } else if state & klscope_button4_pressed() != 0 {
            action = .scrollUp
        } else if state & klscope_button5_pressed() != 0 {
            action = .scrollDown
        } else if state & (klscope_button1_released() | klscope_button2_released() | klscope_button3_released()) != 0 {
            action = .release
        } else {
            return nil
        }
        return .mouse(MouseEvent(action, column: Int(mouse.x), row: Int(mouse.y)))
    }

    /// The mouse events to ask for: presses and releases of buttons 1–3 and the wheel, no motion.
    static var mouseMask: mmask_t {
        klscope_button1_pressed() | klscope_button1_released() | klscope_button2_pressed()
            | klscope_button2_released() | klscope_button3_pressed() | klscope_button3_released()
            | klscope_button4_pressed() | klscope_button5_pressed()
    }
}
