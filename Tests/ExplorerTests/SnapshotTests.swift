import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// Whole screens as text plus their style layer, compared with the files in `Snapshots/`.
/// Record them with `KLSCOPE_RECORD_SNAPSHOTS=1 swift test --filter ExplorerTests`.
@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]
    static let monochrome = ExplorerOptions(color: .monochrome)

    private func check(_ name: String, _ scenario: Scenario = .builtInDefault, file: URL? = nil, keys: String = "",
                       width: Int, height: Int, options: ExplorerOptions = ExplorerOptions(),
                       workingDirectory: URL = Fixtures.repository) throws {
        let session = try Fixtures.session(scenario, file: file, keys: keys, width: width, height: height, options: options,
                                           workingDirectory: workingDirectory)
        try expectSnapshot(session.view(width: width, height: height), named: name)
    }

    @Test(arguments: sizes)
    func defaultRows(width: Int, height: Int) throws {
        try check("default-rows-\(width)x\(height)", width: width, height: height)
    }

    /// The DPO view: implied rewards beside r, a pinned setting's too, and "outside" off a support.
    @Test func dpoView() throws {
        try check("dpo-120x40", keys: "d", width: 120, height: 40)
        try check("dpo-pinned-120x40", keys: "p L d", width: 120, height: 40)
        try check("dpo-disjoint-80x24", Fixtures.loadExample("disjoint.yaml"), keys: "d", width: 80, height: 24)
        // A table longer than the screen: opened at the selected response, a page further on.
        try check("dpo-scrolled-80x24", SyntheticScenario.make(responses: 300, references: 2, seed: 4), keys: "j j j d <pgdn>",
                  width: 80, height: 24)
    }

    @Test func explain() throws {
        try check("explain-rkl-120x40", keys: "i", width: 120, height: 40)
        try check("explain-coverage-80x24", keys: "i <left> <left> <left> <left> <left> <left>", width: 80, height: 24)
    }

    @Test func pinned() throws {
        try check("pinned-rows-120x40", keys: "p L", width: 120, height: 40)
        try check("pinned-columns-120x40", keys: "p L v", width: 120, height: 40)
    }

    @Test func playing() throws {
        try check("playing-80x24", keys: "<space> > >", width: 80, height: 24)
    }

    @Test(arguments: sizes)
    func defaultColumns(width: Int, height: Int) throws {
        try check("default-columns-\(width)x\(height)", keys: "v", width: width, height: height)
    }

    @Test(arguments: sizes)
    func defaultMonochrome(width: Int, height: Int) throws {
        try check("default-mono-rows-\(width)x\(height)", width: width, height: height, options: Self.monochrome)
        try check("default-mono-columns-\(width)x\(height)", keys: "v", width: width, height: height, options: Self.monochrome)
    }

    @Test func sixteenColours() throws {
        try check("default-16-rows-120x40", width: 120, height: 40, options: ExplorerOptions(color: .sixteen))
    }

    @Test func ascii() throws {
        try check("default-ascii-rows-120x40", width: 120, height: 40, options: ExplorerOptions(ascii: true))
        try check("default-ascii-mono-columns-80x24", keys: "v", width: 80, height: 24,
                  options: ExplorerOptions(color: .monochrome, ascii: true))
    }

    @Test(arguments: sizes)
    func emptyIntersection(width: Int, height: Int) throws {
        let scenario = Fixtures.loadExample("disjoint.yaml"), file = Fixtures.example("disjoint.yaml")
        try check("disjoint-rows-\(width)x\(height)", scenario, file: file, width: width, height: height)
        try check("disjoint-mono-columns-\(width)x\(height)", scenario, file: file, keys: "v", width: width, height: height,
                  options: Self.monochrome)
    }

    @Test(arguments: sizes)
    func escapedMass(width: Int, height: Int) throws {
        let scenario = Fixtures.loadExample("escape.yaml"), file = Fixtures.example("escape.yaml")
        try check("escape-rows-\(width)x\(height)", scenario, file: file, width: width, height: height)
        try check("escape-columns-\(width)x\(height)", scenario, file: file, keys: "v", width: width, height: height)
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 18)])
    func help(width: Int, height: Int) throws {
        try check("help-\(width)x\(height)", keys: "?", width: width, height: height)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func notes(width: Int, height: Int) throws {
        try check("notes-\(width)x\(height)", keys: "n", width: width, height: height)
        try check("notes-mono-columns-\(width)x\(height)", keys: "n v", width: width, height: height, options: Self.monochrome)
    }

    @Test func tooSmall() throws {
        try check("too-small-40x10", width: 40, height: 10)
        try check("minimum-60x18", width: 60, height: 18)
    }

    @Test func focusedProbabilityWithMessage() throws {
        // Focus the chat probability of the third response and raise it: message and focus shown.
        try check("edit-probability-80x24", keys: "j j <tab> <tab> <tab> <tab> <tab> l", width: 80, height: 24)
    }

    @Test func textInputAndQuestion() throws {
        try check("input-beta-80x24", keys: "<enter> 2.5", width: 80, height: 24)
        try check("search-80x24", keys: "/ der", width: 80, height: 24)
        try check("confirm-quit-80x24", keys: "l q", width: 80, height: 24)
    }

    @Test func picker() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let examples = folder.appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        for name in ["disjoint.yaml", "escape.yaml"] {
            try FileManager.default.copyItem(at: Fixtures.example(name), to: examples.appendingPathComponent(name))
        }
        try "title: Broken\nbeta: [\n".write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try check("picker-120x40", keys: "o e x", width: 120, height: 40, workingDirectory: folder)
    }

    @Test func manyResponsesScrolled() throws {
        let scenario = SyntheticScenario.make(responses: 1_000, references: 3, seed: 7)
        try check("synthetic-1000-end-120x40", scenario, keys: "<end> 4 5 6", width: 120, height: 40)
        try check("synthetic-1000-columns-120x40", scenario, keys: "v <pgdn> <pgdn>", width: 120, height: 40)
    }
}
