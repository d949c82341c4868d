import KLMath
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// The SVG export (`e`, `klscope export`): a well-formed picture with one bar per visible series
/// and response, of the right height.
@Suite struct SVGExportTests {
    static func elements(_ svg: String, _ name: String, class className: String) throws -> [XMLElement] {
        let document = try XMLDocument(xmlString: svg, options: [])
        return try document.nodes(forXPath: "//*[local-name()='\(name)'][@class='\(className)']").compactMap { $0 as? XMLElement }
    }

    /// An attribute's value (`attribute(forName:)` misses attributes in a default namespace on Linux).
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    static func number(_ element: XMLElement, _ attribute: String) -> Double? {
        Self.attribute(element, attribute).flatMap(Double.init)
    }

    @Test(arguments: ["", "1 4"])
    func oneBarPerVisibleSeriesAndResponseWithTheRightHeight(keys: String) throws {
        let session = try Fixtures.session(keys: keys)
        let state = session.state
        let svg = SVGExport.svg(state, view: .bars)
        let bars = try Self.elements(svg, "rect", class: "bar")
        let series = PolicyID.charted(referenceCount: state.scenario.references.count)
            .filter { !state.chart.hiddenSeries.contains($0) && state.analysis.largestProbability[$0] != nil }
        #expect(bars.count == series.count * state.scenario.responses.count)
        let scale = series.compactMap { state.analysis.largestProbability[$0] }.max()!
        let plotHeight = SVGExport.barsBottom - SVGExport.barsTop
        let theme = Theme(state.options)
        for bar in bars {
            let name = try #require(Self.attribute(bar, "data-series"))
            let response = try #require(Self.attribute(bar, "data-response"))
            let s = try #require(series.first { theme.name($0, in: state.scenario) == name })
            let y = try #require(state.scenario.responses.firstIndex(of: response))
            let p = try #require(state.analysis.probability(s, y))
            let height = try #require(Self.number(bar, "height"))
            #expect(isClose(height, plotHeight * p / scale, within: 0.01), "\(name) \(response)")
            #expect(Self.attribute(bar, "fill") == SVGExport.color(s, referenceCount: state.scenario.references.count))
        }
        // Every visible series is in the legend, with large text.
        let texts = try XMLDocument(xmlString: svg, options: []).nodes(forXPath: "//*[local-name()='text']")
        for s in series { #expect(texts.contains { $0.stringValue == theme.name(s, in: state.scenario) }) }
        #expect(svg.contains("font-size=\"40\""))
    }

    @Test func sweepHasACurvePerMethodAndAMarkerPerChart() throws {
        let session = try Fixtures.session(Fixtures.loadExample("partial-overlap.yaml"), keys: "w")
        let svg = SVGExport.svg(session.state)
        let curves = try Self.elements(svg, "polyline", class: "curve")
        #expect(Set(curves.compactMap { Self.attribute($0, "data-series") }) == ["rkl", "fkl", "mrpo"])
        #expect(try Self.elements(svg, "line", class: "marker").count == 2)
        #expect(try Self.elements(svg, "circle", class: "end").count == 6)   // 3 methods × 2 weight ends
    }

    /// The objective: each chart has the two bounds, dashed, and the β chart says it is clipped
    /// where the screen does (both from `SweepRange`), its clipped points on the bottom edge.
    @Test func sweepObjectiveHasTheDashedBoundsAndClipsLikeTheScreen() throws {
        let session = try Fixtures.session(Fixtures.loadExample("partial-overlap.yaml"), keys: "w W W W")
        let svg = SVGExport.svg(session.state)
        let bounds = try Self.elements(svg, "polyline", class: "bound")
        #expect(bounds.compactMap { Self.attribute($0, "data-series") }.sorted() == ["fkl", "fkl", "rkl", "rkl"])
        #expect(bounds.allSatisfy { Self.attribute($0, "stroke-dasharray") != nil })
        #expect(svg.contains("over β (log scale) · clipped below -1.89; min -193"), "\(svg)")
        #expect(session.view(width: 120, height: 40).text.contains("clipped below -1.895; min -193.0"))
        let texts = try XMLDocument(xmlString: svg, options: []).nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("Σα max J_k") && texts.contains("Σα max J_FKL,k"))
        // Three references: the weight panel says whose weight and how the others follow, without keys.
        let three = try Fixtures.session(Fixtures.three, keys: "w <tab> <tab>")
        let threeTexts = try XMLDocument(xmlString: SVGExport.svg(three.state), options: [])
            .nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(threeTexts.contains("over α b (others in proportion)"), "\(threeTexts)")
    }

    @Test func barsFollowTheRestBlockAndTheSortLikeTheScreen() throws {
        let scenario = SyntheticScenario.make(responses: 300, references: 2, seed: 4)
        let state = try Fixtures.session(scenario, keys: "t t t t t t t a").state
        let top = try #require(state.aggregatedTop)
        let svg = SVGExport.svg(state, view: .bars)
        let responses = try Self.elements(svg, "rect", class: "bar").compactMap { Self.attribute($0, "data-response") }
        var groups: [String] = []
        for name in responses where groups.last != name { groups.append(name) }
        #expect(groups == (0..<top).map { scenario.responses[state.chart.order.response(at: $0)] } + ["rest (\(300 - top) more)"])
    }

    @Test func labelsNeverTouchAndTicksAreRound() throws {
        // Forty responses: labels are rotated and thinned so that neighbours keep 26 px across the slant.
        let scenario = SyntheticScenario.make(responses: 40, references: 2, seed: 1)
        let svg = SVGExport.svg(try Fixtures.session(scenario).state, view: .bars)
        let xs = try Self.elements(svg, "text", class: "label").compactMap { Self.number($0, "x") }
        #expect(xs.count >= 10 && xs.count < 40, "\(xs.count) labels")
        for (a, b) in zip(xs, xs.dropFirst()) { #expect((b - a) * 0.7071 >= 26 - 1e-9) }
        #expect(SVGExport.roundTicks(upTo: 0.171 * 4) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        #expect(SVGExport.roundTicks(upTo: 1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        // Eight responses (instruct-vs-math) fit level, each with its support mark and reward.
        let eight = SVGExport.svg(try Fixtures.session(Fixtures.loadExample("instruct-vs-math.yaml")).state, view: .bars)
        #expect(try Self.elements(eight, "text", class: "label").count == 8 || eight.contains("rotate(-45"))
        #expect(eight.contains("∩ r ") || eight.contains("∩ "))
    }

    @Test func escapedMassAndUndefinedPoliciesAreSaid() throws {
        let escape = SVGExport.svg(try Fixtures.session(Fixtures.loadExample("escape.yaml")).state, view: .bars)
        #expect(escape.contains("↗ escaped = FKL* mass outside ∪"))
        let disjoint = SVGExport.svg(try Fixtures.session(Fixtures.loadExample("disjoint.yaml")).state, view: .bars)
        #expect(disjoint.contains("RKL* and MRPO undefined: the references share no response (empty intersection)"), "\(disjoint)")
    }

    @Test func colorsMatchTheXterm256Palette() {
        #expect(SVGExport.hex(203) == "#ff5f5f")
        #expect(SVGExport.hex(33) == "#0087ff")
        #expect(SVGExport.hex(244) == "#808080")
    }

    @Test func eWritesNextToTheScenarioAndSaysWhere() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lesson.yaml")
        try FileManager.default.copyItem(at: Fixtures.example("partial-overlap.yaml"), to: file)
        let scenario = try ScenarioLoader.load(contentsOf: file)
        let bars = try Fixtures.session(scenario, file: file, keys: "e", workingDirectory: folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lesson-bars.svg").path))
        #expect(bars.state.message?.text == "chart written to \(folder.standardizedFileURL.path)/lesson-bars.svg")
        // Pressing e again never overwrites: the files are numbered.
        let again = try Fixtures.session(scenario, file: file, keys: "e", workingDirectory: folder)
        #expect(again.state.message?.text == "chart written to \(folder.standardizedFileURL.path)/lesson-bars-2.svg")
        try again.handle(KeyNotation.parse("<right> e"))
        #expect(again.state.message?.text.hasSuffix("/lesson-bars-3.svg") == true)
        let first = try String(contentsOf: folder.appendingPathComponent("lesson-bars.svg"), encoding: .utf8)
        #expect(first == SVGExport.svg(bars.state))
        #expect(try String(contentsOf: folder.appendingPathComponent("lesson-bars-3.svg"), encoding: .utf8) != first)
        // While the sweep job runs, e says so rather than computing the sweeps and freezing the keys.
        let sweep = try Fixtures.session(scenario, file: file, keys: "w e", workingDirectory: folder)
        #expect(sweep.state.message?.text.hasPrefix("the sweep is still being computed") == true, "\(String(describing: sweep.state.message))")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("lesson-sweep.svg").path))
        sweep.handle(.key(.character("e")))  // the session waited for the job
        let written = try String(contentsOf: folder.appendingPathComponent("lesson-sweep.svg"), encoding: .utf8)
        #expect(written == SVGExport.svg(sweep.state))
    }

    static let rsvgConvert: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("rsvg-convert") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func rendersToPNG() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, keys) in [("bars", ""), ("sweep", "w")] {
            let svg = folder.appendingPathComponent("\(name).svg"), png = folder.appendingPathComponent("\(name).png")
            try Data(SVGExport.svg(Fixtures.session(keys: keys).state).utf8).write(to: svg)
            let process = Process()
            process.executableURL = Self.rsvgConvert
            process.arguments = ["--format", "png", "--output", png.path, svg.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let bytes = try Data(contentsOf: png)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
