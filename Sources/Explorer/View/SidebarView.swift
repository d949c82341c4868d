import KLMath
import KLScenario
import TerminalUI

/// Draws the side panel: the controls (β, weights), the selected response's controls
/// (reward, probability under each reference) and the numbers panel.
struct SidebarView {
    let state: ExplorerState
    let theme: Theme
    let geometry: SidebarGeometry

    private var scenario: Scenario { state.scenario }
    private var referenceCount: Int { scenario.references.count }
    private var inner: (x: Int, width: Int) { (geometry.frame.x + 1, geometry.frame.width - 2) }

    func draw(into grid: inout Grid) {
        let frame = geometry.frame
        grid.drawRule(column: frame.x, row: frame.y, width: frame.width, character: theme.rule, lineStyle: theme.frame,
                      title: "Controls", titleStyle: theme.heading)
        drawBeta(into: &grid)
        let weights = scenario.normalizedWeights
        for k in 0..<referenceCount {
            drawSlider(.weight(k), label: scenario.references[k].name, fraction: weights[k], value: theme.number(weights[k]),
                       style: theme.style(.reference(k), referenceCount: referenceCount), into: &grid)
        }
        drawSelection(into: &grid)
        let numbers = Rect(x: frame.x, y: geometry.numbersTop, width: frame.width, height: frame.maxY - geometry.numbersTop)
        NumbersPanel(state: state, theme: theme, frame: numbers).draw(into: &grid)
    }

    private func drawBeta(into grid: inout Grid) {
        drawSlider(.beta, label: theme.beta, fraction: Slider.logFraction(scenario.beta, in: Control.betaScale), value: theme.number(scenario.beta),
                   style: theme.heading, into: &grid)
        guard let row = geometry.betaScaleRow else { return }
        let slider = geometry.slider
        grid.write("1e-3", column: slider.x, row: row, style: theme.muted)
        grid.write("1", column: slider.x + slider.width / 2, row: row, style: theme.muted)
        grid.write("1e3", column: slider.x + slider.width - 3, row: row, style: theme.muted)
        grid.write("log", column: inner.x, row: row, style: theme.muted)
    }

    /// A labelled slider with its value; the focused control is drawn in reverse.
    private func drawSlider(_ control: Control, label: String, fraction: Double, value: String, style: Style, into grid: inout Grid) {
        guard let row = geometry.rows[control] else { return }
        drawLabelAndValue(control, label: label, labelStyle: style, value: value, row: row, into: &grid)
        let slider = geometry.slider
        Slider(filled: theme.sliderFilled, knob: theme.sliderKnob, empty: theme.sliderEmpty)
            .draw(fraction: fraction, column: slider.x, row: row, width: slider.width, style: style, emptyStyle: theme.frame, into: &grid)
    }

    private func drawLabelAndValue(_ control: Control, label: String, labelStyle: Style, value: String, row: Int, into grid: inout Grid) {
        let focused = state.focus == control
        let labelText = TextLayout.pad(label, to: geometry.labelWidth - 1, ellipsis: theme.ellipsis)
        grid.write(labelText, column: inner.x, row: row, style: focused ? theme.focused : labelStyle)
        let valueText = TextLayout.pad(value, to: SidebarGeometry.valueWidth - 1, .right)
        grid.write(valueText, column: inner.x + inner.width - valueText.count, row: row, style: focused ? theme.focused : .plain)
    }

    private func drawSelection(into grid: inout Grid) {
        let frame = geometry.frame
        let y = state.chart.selected
        let title = "\(scenario.responses[y]) (\(y + 1) of \(scenario.responses.count)) \(theme.markWithWords(state.analysis.support(y)))"
        grid.drawRule(column: frame.x, row: geometry.selectionRule, width: frame.width, character: theme.rule, lineStyle: theme.frame,
                      title: TextLayout.truncate(title, to: frame.width - 6, ellipsis: theme.ellipsis), titleStyle: theme.heading)
        if let row = geometry.rows[.reward] {
            drawLabelAndValue(.reward, label: "reward", labelStyle: theme.heading, value: theme.number(scenario.rewards[y]), row: row, into: &grid)
        }
        let slider = geometry.slider
        for k in 0..<referenceCount {
            guard let row = geometry.rows[.probability(k)] else { continue }
            let p = exp(scenario.references[k].logProbabilities[y])
            let style = theme.style(.reference(k), referenceCount: referenceCount)
            drawLabelAndValue(.probability(k), label: "p " + scenario.references[k].name, labelStyle: style, value: theme.number(p), row: row, into: &grid)
            if p == 0, let previous = state.history.zeroed[ZeroedProbability(reference: k, response: y)] {
                grid.write("0 restores \(theme.number(previous))", column: slider.x, row: row, style: theme.muted, limit: slider.width)
            } else {
                grid.write(BarGlyphs.horizontal(fraction: p, width: slider.width, fill: theme.fill(.reference(k), referenceCount: referenceCount)),
                           column: slider.x, row: row, style: style)
            }
        }
    }
}
