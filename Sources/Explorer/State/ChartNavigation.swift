import KLMath
import KLScenario

/// The chart's navigation and how the chart is drawn: the selected response, where the chart
/// is scrolled to, the order the responses are drawn in, the layout, the bar scale, the hidden
/// series, the notes box and the "rest" block. Its mutating methods keep the selection in range
/// and in view for the chart's fit (`ChartFit`), which it remembers between events.
public struct ChartNavigation: Sendable {
    /// The selected response.
    public private(set) var selected = 0
    /// The first position drawn in the chart (positions follow `order`).
    public private(set) var scrollTop = 0
    /// What the chart sorts the responses by (`t`).
    public private(set) var sortKey: SortKey = .file
    /// The chart's order of the responses for `sortKey`, recomputed once per solve.
    public private(set) var order = ResponseOrder.identity
    /// Whether the chart shows only the top of the order and one "rest" block summing the
    /// tail (`a`); the selection then stays in the top.
    public private(set) var aggregatesTail = false
    /// Rows (one block per response) or grouped columns.
    public private(set) var layout: ChartLayout = .rows
    /// How bar lengths stand for probabilities (`b`).
    public private(set) var barScale: BarScale = .automatic
    /// The series the chart does not draw.
    public private(set) var hiddenSeries: Set<PolicyID> = []
    /// Whether the notes box is shown.
    public private(set) var showsNotes = false
    /// The fit last computed (`ExplorerState.chartFit()`), kept while what it depends on stays.
    private(set) var fit: ChartFit?

    /// The selected response's position in the chart.
    var selectedPosition: Int { order.position(of: selected) }

    /// How many positions the chart draws one by one before the "rest" block when the tail is
    /// aggregated (`a`); nil when it is not, or when every response fits anyway.
    func aggregatedTop(_ fit: ChartFit) -> Int? {
        guard aggregatesTail else { return nil }
        return fit.responses > fit.visible ? max(1, fit.visible - 1) : nil
    }

    /// Keeps `fit` for the events that follow.
    mutating func remember(_ fit: ChartFit) {
        self.fit = fit
    }

    /// Selects response `index` (clamped) and scrolls it into view; returns what to say, if anything.
    mutating func select(_ index: Int, _ fit: ChartFit) -> StatusMessage? {
        selected = min(max(index, 0), fit.responses - 1)
        return keepSelectionVisible(fit)
    }

    /// Selects the response drawn at chart position `position` (clamped); returns what to say, if anything.
    mutating func selectPosition(_ position: Int, _ fit: ChartFit) -> StatusMessage? {
        let last = aggregatedTop(fit).map { $0 - 1 } ?? fit.responses - 1
        return select(order.response(at: min(max(position, 0), last)), fit)
    }

    /// Scrolls so that the selected response is drawn, and no further than the last page; a
    /// selection in the "rest" shows every response again, and says so.
    mutating func keepSelectionVisible(_ fit: ChartFit) -> StatusMessage? {
        var said: StatusMessage?
        if let top = aggregatedTop(fit) {
            guard selectedPosition >= top else { scrollTop = 0; return nil }
            aggregatesTail = false
            said = StatusMessage("every response shown: the selection is in the rest", kind: .info)
        }
        let count = fit.visible
        let position = selectedPosition
        if position < scrollTop { scrollTop = position }
        if position >= scrollTop + count { scrollTop = position - count + 1 }
        scrollTop = min(max(0, scrollTop), max(0, fit.responses - count))
        return said
    }

    /// Turns the "rest" block on or off (`a`); returns what to say.
    mutating func toggleTail(_ fit: ChartFit) -> StatusMessage {
        aggregatesTail.toggle()
        guard let top = aggregatedTop(fit) else {
            _ = keepSelectionVisible(fit)
            return StatusMessage(aggregatesTail ? "every response fits; nothing to sum" : "every response shown", kind: .info)
        }
        if selectedPosition >= top { _ = selectPosition(0, fit) }
        scrollTop = 0
        return StatusMessage("the top \(top) and the rest (\(fit.responses - top) more) summed; a shows all", kind: .info)
    }

    /// Scrolls the chart by `delta` responses, dragging the selection along when it would leave the view.
    mutating func scroll(by delta: Int, _ fit: ChartFit) {
        if aggregatedTop(fit) != nil { return }
        scrollTop = min(max(0, scrollTop + delta), max(0, fit.responses - fit.visible))
        selected = order.response(at: min(max(selectedPosition, scrollTop), scrollTop + fit.visible - 1))
    }

    /// Recomputes the order when the analysis or the sort key changed since it was made.
    mutating func refreshOrder(_ scenario: Scenario, _ analysis: Analysis) {
        guard order.key != sortKey || (sortKey != .file && order.revision != analysis.revision) else { return }
        order = .identity  // free the old tables before the sort allocates its own
        order = ResponseOrder(key: sortKey, scenario: scenario, analysis: analysis)
    }

    /// Steps the sort key (`t`): file order, reward, then each series' probability that exists;
    /// keeps the selected response selected and in view.
    mutating func cycleSort(_ scenario: Scenario, _ analysis: Analysis, _ fit: ChartFit) {
        let keys = SortKey.all(referenceCount: scenario.references.count).filter { key in
            if case .series(let series) = key { return analysis.largestProbability[series] != nil }
            return true
        }
        sortKey = keys[((keys.firstIndex(of: sortKey) ?? 0) + 1) % keys.count]
        refreshOrder(scenario, analysis)
        _ = keepSelectionVisible(fit)
    }

    /// Switches between rows and columns (`v`).
    mutating func switchLayout() {
        layout = layout == .rows ? .columns : .rows
    }

    /// The next bar scale for bars whose largest drawn probability is `largest` (`b`).
    mutating func cycleBarScale(largest: Double) {
        barScale = barScale.next(largest: largest)
    }

    /// Hides `series`, or shows it when hidden.
    mutating func toggle(_ series: PolicyID) {
        if hiddenSeries.remove(series) == nil { hiddenSeries.insert(series) }
    }

    /// Shows every series.
    mutating func showAllSeries() {
        hiddenSeries = []
    }

    /// Shows or hides the notes box (`n`, Esc hides).
    mutating func showNotes(_ shown: Bool) {
        showsNotes = shown
    }

    /// Another scenario was opened, with `referenceCount` references: series it lacks are
    /// forgotten, and the chart starts at the top (select next).
    mutating func open(referenceCount: Int) {
        hiddenSeries.formIntersection(Set(PolicyID.charted(referenceCount: referenceCount)))
        scrollTop = 0
    }

    /// A tour's stop: its hidden series, layout and selection, with the notes box (which holds
    /// the caption), from the top (keep the selection visible next).
    mutating func present(_ stop: TourStop) {
        hiddenSeries = stop.hiddenSeries
        layout = stop.layout
        showsNotes = true
        selected = stop.selected
        scrollTop = 0
    }
}

/// How many responses the chart has and how many it draws at once (at least one), with what the
/// chart geometry was computed from: a fit is reused for as long as that stays the same.
struct ChartFit: Sendable {
    /// Everything the chart geometry's count depends on (the options never change).
    struct Key: Sendable, Equatable {
        var screen: ScreenSize
        var layout: ChartLayout
        var hiddenSeries: Set<PolicyID>
        var showsNotes: Bool
        /// The scenario's (labels, names, notes) and the analysis's (which series exist, the escape note).
        var documentRevision: Int
        var analysisRevision: Int
    }

    let key: Key
    let responses: Int
    let visible: Int
}
