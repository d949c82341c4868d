import KLMath
import Foundation
import KLScenario

extension ExplorerState {
    /// How many responses the chart shows at the current screen size (at least one).
    var visibleResponseCount: Int {
        max(1, ScreenLayout.chart(self, width: screen.width, height: screen.height)?.visibleCount ?? 1)
    }

    /// Selects response `index` (clamped) and scrolls it into view.
    mutating func select(_ index: Int) {
        selected = min(max(index, 0), scenario.responses.count - 1)
        keepSelectionVisible()
    }

    /// Selects the response drawn at chart position `position` (clamped; positions follow `order`).
    mutating func selectPosition(_ position: Int) {
        let last = aggregatedTop.map { $0 - 1 } ?? scenario.responses.count - 1
        select(order.response(at: min(max(position, 0), last)))
    }

    /// The selected response's position in the chart.
    var selectedPosition: Int { order.position(of: selected) }

    /// How many positions the chart draws one by one before the "rest" block when the tail is
    /// aggregated (`a`); nil when it is not, or when every response fits anyway.
    var aggregatedTop: Int? {
        guard aggregatesTail else { return nil }
        let count = visibleResponseCount
        return scenario.responses.count > count ? max(1, count - 1) : nil
    }

    /// Turns the "rest" block on or off (`a`).
    mutating func toggleTail() {
        aggregatesTail.toggle()
        if let top = aggregatedTop {
            if selectedPosition >= top { selectPosition(0) }
            scrollTop = 0
            message = StatusMessage("the top \(top) and the rest (\(scenario.responses.count - top) more) summed; a shows all", kind: .info)
        } else {
            keepSelectionVisible()
            message = StatusMessage(aggregatesTail ? "every response fits; nothing to sum" : "every response shown", kind: .info)
        }
    }

    /// Scrolls so that the selected response is drawn, and no further than the last page.
    mutating func keepSelectionVisible() {
        if let top = aggregatedTop {
            guard selectedPosition >= top else { scrollTop = 0; return }
            // The selection moved into the rest: show the whole list.
            aggregatesTail = false
            message = StatusMessage("every response shown: the selection is in the rest", kind: .info)
        }
        let count = visibleResponseCount
        let position = selectedPosition
        if position < scrollTop { scrollTop = position }
        if position >= scrollTop + count { scrollTop = position - count + 1 }
        scrollTop = min(max(0, scrollTop), max(0, scenario.responses.count - count))
    }

    /// Scrolls the chart by `delta` responses, dragging the selection along when it would leave the view.
    mutating func scroll(by delta: Int) {
        if aggregatedTop != nil { return }
        let count = visibleResponseCount
        scrollTop = min(max(0, scrollTop + delta), max(0, scenario.responses.count - count))
        selected = order.response(at: min(max(selectedPosition, scrollTop), scrollTop + count - 1))
    }

    /// Recomputes the chart order when the analysis or the sort key changed since it was made.
    mutating func refreshOrderIfNeeded() {
        guard order.key != sortKey || (sortKey != .file && order.revision != analysis.revision) else { return }
        order = .identity  // free the old tables before the sort allocates its own
        order = ResponseOrder(key: sortKey, scenario: scenario, analysis: analysis)
    }

    /// Steps the sort key (`t`): file order, reward, then each series' probability; keeps the
    /// selected response selected and in view.
    mutating func cycleSort() {
        let keys = SortKey.all(referenceCount: scenario.references.count).filter { key in
            if case .series(let series) = key { return analysis.largestProbability[series] != nil }
            return true
        }
        sortKey = keys[((keys.firstIndex(of: sortKey) ?? 0) + 1) % keys.count]
        refreshOrderIfNeeded()
        keepSelectionVisible()
        message = StatusMessage("chart sorted by " + sortDescription, kind: .info)
    }

    /// The sort key in words: "file order", "reward", "RKL*".
    var sortDescription: String {
        switch sortKey {
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
        let chosen = series[number - 1]
        if hiddenSeries.remove(chosen) == nil { hiddenSeries.insert(chosen) }
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
