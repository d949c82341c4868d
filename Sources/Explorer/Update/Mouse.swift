import KLMath
import TerminalUI

extension ExplorerState {
    /// Clicks select responses and set sliders; the wheel scrolls the chart, or the DPO view's
    /// table while it is open. Mouse events are ignored when the options turn the mouse off,
    /// while another overlay is open, and on a screen too small to draw.
    mutating func handleMouse(_ mouse: MouseEvent) -> [Effect] {
        guard options.mouse else { return [] }
        if case .dpo(let first) = overlay {
            if mouse.action == .scrollUp || mouse.action == .scrollDown { showDPOView(from: first + (mouse.action == .scrollUp ? -3 : 3)) }
            return []
        }
        guard overlay == nil else { return [] }
        let layout = ScreenLayout(state: self, width: screen.width, height: screen.height)
        guard let geometry = layout.chart, let sidebar = layout.sidebar else { return [] }
        rememberFit(of: layout)
        switch mouse.action {
        case .scrollUp, .scrollDown:
            let step = geometry.layout == .columns ? 3 : 1
            scroll(by: mouse.action == .scrollUp ? -step : step)
        case .press(button: 1):
            message = nil
            if let position = geometry.response(atColumn: mouse.column, row: mouse.row, count: scenario.responses.count) {
                selectPosition(position)
            } else if let hit = sidebar.hit(column: mouse.column, row: mouse.row) {
                focus = hit.control
                if let fraction = hit.fraction { setSlider(hit.control, to: fraction) }
            }
        case .press, .release:
            break
        }
        return []
    }

    /// Sets a slider from a click `fraction` of the way along it: `β` on the log scale
    /// `Control.betaScale`, weights linearly.
    private mutating func setSlider(_ control: Control, to fraction: Double) {
        switch control {
        case .beta:
            let value = (Slider.logValue(at: fraction, in: Control.betaScale) * 1e4).rounded() / 1e4
            enterValue(String(value), for: .beta)
        case .weight:
            enterValue(String((fraction * 100).rounded() / 100), for: control)
        case .reward, .probability:
            break
        }
    }
}
