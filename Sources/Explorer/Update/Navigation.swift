import KLMath
import Foundation
import KLScenario

extension ExplorerState {
    /// What the chart's fit depends on now.
    private var chartFitKey: ChartFit.Key {
        ChartFit.Key(screen: screen, layout: chart.layout, hiddenSeries: chart.hiddenSeries, showsNotes: chart.showsNotes,
                     documentRevision: history.document.revision, analysisRevision: analysis.revision)
    }

    /// The chart's fit for `key` from `geometry` (nil: the terminal is too small to draw a chart).
    private func fit(_ key: ChartFit.Key, _ geometry: ChartGeometry?) -> ChartFit {
        ChartFit(key: key, responses: scenario.responses.count, visible: max(1, geometry?.visibleCount ?? 1))
    }

    /// The remembered fit, when it is for the state as it is now.
    private var rememberedFit: ChartFit? {
        chart.fit.flatMap { $0.key == chartFitKey ? $0 : nil }
    }

    /// The chart's fit, computed once for what it depends on and remembered: an event computes
    /// the chart geometry at most once, and not at all when nothing it depends on changed.
    mutating func chartFit() -> ChartFit {
        if let fit = rememberedFit { return fit }
        let fit = fit(chartFitKey, ScreenLayout.chart(self, width: screen.width, height: screen.height))
        chart.remember(fit)
        return fit
    }

    /// Remembers the fit of `layout`, a screen layout of the state as it is now (the mouse
    /// builds one to find what was clicked).
    mutating func rememberFit(of layout: ScreenLayout) {
        if rememberedFit == nil { chart.remember(fit(chartFitKey, layout.chart)) }
    }

    /// The chart's fit for the views: the remembered one when it is current, else computed.
    private var currentFit: ChartFit {
        rememberedFit ?? fit(chartFitKey, ScreenLayout.chart(self, width: screen.width, height: screen.height))
    }

    /// How many positions the chart draws one by one before the "rest" block (`ChartNavigation.aggregatedTop`).
    var aggregatedTop: Int? { chart.aggregatedTop(currentFit) }

    /// Says `said` on the status line, when there is something to say.
    private mutating func say(_ said: StatusMessage?) {
        if let said { message = said }
    }

    /// Selects response `index` (clamped) and scrolls it into view.
    mutating func select(_ index: Int) {
        let fit = chartFit()
        say(chart.select(index, fit))
    }

    /// Selects the response drawn at chart position `position` (clamped; positions follow the order).
    mutating func selectPosition(_ position: Int) {
        let fit = chartFit()
        say(chart.selectPosition(position, fit))
    }

    /// Scrolls so that the selected response is drawn.
    mutating func keepSelectionVisible() {
        let fit = chartFit()
        say(chart.keepSelectionVisible(fit))
    }

    /// Turns the "rest" block on or off (`a`).
    mutating func toggleTail() {
        let fit = chartFit()
        message = chart.toggleTail(fit)
    }

    /// Scrolls the chart by `delta` responses (the mouse wheel).
    mutating func scroll(by delta: Int) {
        let fit = chartFit()
        chart.scroll(by: delta, fit)
    }

    /// Steps the sort key (`t`) and says what the chart is sorted by.
    mutating func cycleSort() {
        let fit = chartFit()
        chart.cycleSort(scenario, analysis, fit)
        message = StatusMessage("chart sorted by " + sortDescription, kind: .info)
    }

    /// The sort key in words: "file order", "reward", "RKL*".
    var sortDescription: String {
        switch chart.sortKey {
        case .file: "file order"
        case .reward: "reward"
        case .series(let series): Theme(options).name(series, in: scenario)
        }
    }

    /// Moves the focus `step` places along the controls, wrapping around.
    mutating func moveFocus(by step: Int) {
        let controls = Control.all(referenceCount: scenario.references.count)
        let index = controls.firstIndex(of: focus) ?? 0
        focus = controls[(index + step + controls.count) % controls.count]
    }

    /// Hides or shows the series with legend number `number` (1-based).
    mutating func toggleSeries(_ number: Int) {
        let series = PolicyID.charted(referenceCount: scenario.references.count)
        guard number >= 1, number <= series.count else {
            message = StatusMessage("there is no series \(number)", kind: .error)
            return
        }
        chart.toggle(series[number - 1])
        keepSelectionVisible()
    }

    /// Selects the response whose label is `query`, ignoring case (so that `84` finds the token
    /// `84` among a vocabulary's `1984`, `849`…), else the first from `origin` on (wrapping)
    /// whose label contains it; with no match (or an empty query) selects `origin`.
    mutating func search(_ query: String, from origin: Int) {
        let labels = scenario.responses
        guard !query.isEmpty else { return select(origin) }
        let match = LabelMatch(query)
        let found = labels.indices.first { match.matches(labels[$0], whole: true) }
            ?? (origin..<labels.count).first { match.matches(labels[$0]) }
            ?? (0..<origin).first { match.matches(labels[$0]) }
        select(found ?? origin)
    }
}

/// A case-insensitive substring test, fast for ASCII queries so that incremental search
/// stays instant over a hundred thousand labels.
struct LabelMatch {
    private let query: String
    private let asciiQuery: [UInt8]?

    init(_ query: String) {
        self.query = query
        asciiQuery = query.utf8.allSatisfy { $0 < 128 } ? query.utf8.map(Self.lower) : nil
    }

    /// Whether `label` contains the query (or, with `whole`, is the query), ignoring case.
    func matches(_ label: String, whole: Bool = false) -> Bool {
        guard let needle = asciiQuery else {
            return whole ? label.caseInsensitiveCompare(query) == .orderedSame : label.localizedCaseInsensitiveContains(query)
        }
        guard !needle.isEmpty else { return true }
        var label = label
        return label.withUTF8 { haystack in
            guard whole ? haystack.count == needle.count : haystack.count >= needle.count else { return false }
            outer: for start in 0...(haystack.count - needle.count) {
                for offset in 0..<needle.count where Self.lower(haystack[start + offset]) != needle[offset] { continue outer }
                return true
            }
            return false
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
