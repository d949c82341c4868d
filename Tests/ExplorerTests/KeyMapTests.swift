import Foundation
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// The key map is the single source for dispatch, the help overlay and the README table.
@Suite struct KeyMapTests {
    /// What a user sees each key do, written out here rather than read back from the key map:
    /// a binding that dispatched to the wrong command, or a key bound twice, fails one of these.
    @Test(arguments: [
        ("j", "the next response is selected"), ("<down> k", "the previous response is selected"),
        ("<end>", "the last response is selected"), ("<tab>", "the first weight is focused"),
        ("l", "β grows by the small step"), ("L", "β grows by the large step"), ("h", "β shrinks by the small step"),
        ("0", "the first reference gives the selected response 0"), ("l u", "the edit is undone"),
        ("l u <C-r>", "the undone edit is redone"), ("1", "the first series is hidden"), ("v", "the chart is in columns"),
        ("b", "the bars' scale is fixed"), ("w", "the sweep view is shown"), ("t", "the chart is sorted by reward"),
        ("a", "the tail is summed"), ("n", "the notes are shown"), ("p", "the setting is pinned"),
        ("?", "the help overlay is open"), ("x", "the series menu is open"), ("i", "the explanation is open"),
        ("q", "the explorer quits"), ("B", "the lab's β view is open"),
    ])
    func keyDoesWhatTheHelpSays(keys: String, effect: String) throws {
        let before = try Fixtures.session(Fixtures.three)
        let after = try Fixtures.session(Fixtures.three, keys: keys)
        let state = after.state
        let observed: Bool
        switch effect {
        case "the next response is selected": observed = state.chart.selected == 1
        case "the previous response is selected": observed = state.chart.selected == 0
        case "the last response is selected": observed = state.chart.selected == Fixtures.three.responses.count - 1
        case "the first weight is focused": observed = state.focus == .weight(0)
        case "β grows by the small step": observed = isClose(state.scenario.beta, 1.2, within: 1e-12)
        case "β grows by the large step": observed = isClose(state.scenario.beta, 3, within: 1e-12)
        case "β shrinks by the small step": observed = isClose(state.scenario.beta, 1 / 1.2, within: 1e-12)
        case "the first reference gives the selected response 0":
            observed = state.scenario.references[0].logProbabilities[0] == -.infinity
        case "the edit is undone": observed = state.scenario == Fixtures.three && !state.history.redoStack.isEmpty
        case "the undone edit is redone": observed = isClose(state.scenario.beta, 1.2, within: 1e-12)
        case "the first series is hidden": observed = state.chart.hiddenSeries.count == 1
        case "the chart is in columns": observed = state.chart.layout != before.state.chart.layout
        case "the bars' scale is fixed": observed = state.chart.barScale != before.state.chart.barScale
        case "the sweep view is shown": observed = state.sweep.isShown
        case "the chart is sorted by reward": observed = state.chart.sortKey != before.state.chart.sortKey
        case "the tail is summed": observed = state.chart.aggregatesTail
        case "the notes are shown": observed = state.chart.showsNotes != before.state.chart.showsNotes
        case "the setting is pinned": observed = state.pinned != nil
        case "the help overlay is open": if case .help = state.overlay { observed = true } else { observed = false }
        case "the series menu is open": if case .seriesMenu = state.overlay { observed = true } else { observed = false }
        case "the explanation is open": if case .explain = state.overlay { observed = true } else { observed = false }
        case "the explorer quits": observed = state.quitRequested
        case "the lab's β view is open": observed = state.overlay == .labBeta
        default: observed = false
        }
        #expect(observed, "\(keys): expected \(effect)")
    }

    /// `KeyMap.command(for:)` takes the first binding of a key, so a key bound twice would make
    /// the second binding dead; and a key outside the map does nothing.
    @Test func noKeyIsBoundTwiceAndUnboundKeysDoNothing() throws {
        var seen: [String: String] = [:]
        for binding in KeyMap.bindings {
            for (key, _) in binding.entries {
                let name = "\(key)"
                #expect(seen[name] == nil, "\(name) is bound by \(seen[name] ?? "") and \(binding.keys)")
                seen[name] = binding.keys
            }
        }
        #expect(KeyMap.command(for: .character("Z")) == nil)
        let session = try Fixtures.session(Fixtures.three, keys: "Z")
        #expect(session.state.scenario == Fixtures.three && session.state.chart.selected == 0 && session.state.overlay == nil)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func helpOverlayListsEveryKey(width: Int, height: Int) throws {
        let text = try Fixtures.session(keys: "?", width: width, height: height).view(width: width, height: height).text
        for binding in KeyMap.bindings {
            #expect(text.contains(binding.keys + " "), "\(binding.keys) missing at \(width)x\(height)")
            #expect(text.contains(binding.summary), "\(binding.summary) missing at \(width)x\(height)")
        }
        for entry in KeyMap.overlayKeys { #expect(text.contains(entry.summary)) }
    }

    @Test func helpScrollsToTheEndAtTheMinimumSize() throws {
        let session = try Fixtures.session(keys: "? <pgdn> <pgdn> <pgdn> <pgdn> <pgdn>", width: 60, height: 18)
        let text = session.view(width: 60, height: 18).text
        #expect(text.contains(KeyMap.overlayKeys.last!.summary))
        #expect(text.contains("scroll"))
        // Keys past the end are not stored up: one ↑ shows the line above at once.
        guard case .help(let last) = session.state.overlay else { Issue.record("the help closed"); return }
        try session.handle(KeyNotation.parse("<down> <down> <up>"))
        #expect(session.state.overlay == .help(offset: last - 1))
        try session.handle(KeyNotation.parse("<pgup> <pgup> <pgup> <pgup> <pgup> <pgup> <pgup> <pgup> <down>"))
        #expect(session.state.overlay == .help(offset: 1), "nor past the top")
    }

    @Test func markdownTableHasARowPerBinding() {
        let rows = KeyMap.markdown.split(separator: "\n")
        #expect(rows.count == 2 + KeyMap.bindings.count + KeyMap.overlayKeys.count)
        #expect(rows.allSatisfy { $0.hasPrefix("|") && $0.hasSuffix("|") })
        #expect(KeyMap.markdown.contains("| `q` | Quit"))
    }

    @Test func asciiHelpHasOnlyAscii() throws {
        let grid = try Fixtures.session(keys: "?", options: ExplorerOptions(ascii: true)).view(width: 120, height: 40)
        let ascii = grid.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
    }

    @Test(arguments: ["", "v", "n", "v n", "B"])
    func asciiScreensHaveOnlyAscii(keys: String) throws {
        for scenario in [Fixtures.loadExample("escape.yaml"), Fixtures.loadExample("disjoint.yaml")] {
            let grid = try Fixtures.session(scenario, keys: keys, options: ExplorerOptions(color: .monochrome, ascii: true))
                .view(width: 120, height: 40)
            let offending = grid.text.unicodeScalars.filter { !$0.isASCII }.map(String.init).joined()
            #expect(offending.isEmpty, "non-ASCII: \(offending)")
        }
    }
}

/// The README must stay true: its key table is exactly the key map.
@Suite struct ReadmeTests {
    @Test func readmeListsEveryKeyExactlyAsTheKeyMap() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(KeyMap.markdown), "README.md's key table differs from `klscope keys`; regenerate it")
    }
}
