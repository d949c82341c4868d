import Foundation
import Testing
import TerminalUI
@testable import Explorer

/// The key map is the single source for dispatch, the help overlay and the README table.
@Suite struct KeyMapTests {
    @Test func everyBindingDispatchesToItsCommand() {
        for binding in KeyMap.bindings {
            for (key, command) in binding.entries {
                #expect(KeyMap.command(for: key) == command, "\(binding.keys)")
            }
        }
        #expect(KeyMap.command(for: .character("Z")) == nil)
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
        let text = try Fixtures.session(keys: "? <pgdn> <pgdn> <pgdn>", width: 60, height: 18).view(width: 60, height: 18).text
        #expect(text.contains(KeyMap.overlayKeys.last!.summary))
        #expect(text.contains("scroll"))
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

    @Test(arguments: ["", "v", "n", "v n"])
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
