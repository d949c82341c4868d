import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KLMath
import KLScenario
import Testing
import TerminalUI
@testable import Explorer
import TestSupport

/// The coverage lab's plot as an SVG (`e` in the lab view, `klscope export --view lab`): well-formed
/// for any label, with the theory's lines and the intervals of the means where the report has them.
@Suite struct LabSVGTests {
    /// A small run, quick in debug builds.
    static let small = CoverageLab.Configuration(pairCounts: [100, 1000, 10_000], seeds: 6)

    /// A session on `scenario` with the small lab run to the end, after `keys` (which should open the lab).
    static func session(_ scenario: Scenario, file: URL? = nil, keys: String = "m", workingDirectory: URL = Fixtures.repository) throws -> ExplorerSession {
        let session = try Fixtures.session(scenario, file: file, workingDirectory: workingDirectory)
        session.setLabConfiguration(small)
        try session.handle(KeyNotation.parse(keys))
        session.waitForBackground()
        return session
    }

    static func document(_ svg: String) throws -> XMLDocument { try XMLDocument(xmlString: svg, options: []) }

    static func elements(_ svg: String, _ name: String, class className: String) throws -> [XMLElement] {
        try document(svg).nodes(forXPath: "//*[local-name()='\(name)'][@class='\(className)']").compactMap { $0 as? XMLElement }
    }

    @Test func theoryLinesAndIntervalsMatchTheReport() throws {
        let session = try Self.session(Fixtures.loadExample("partial-overlap.yaml"))
        let state = session.state
        #expect(state.chartView == .lab)
        let svg = SVGExport.svg(state)
        let report = try #require(state.lab.run?.report)
        // A whisker per method and m, whose bounds are the report's 95% interval of the mean.
        let intervals = try Self.elements(svg, "g", class: "interval")
        #expect(intervals.count == report.methods.count * Self.small.pairCounts.count)
        for interval in intervals {
            let name = try #require(SVGExportTests.attribute(interval, "data-series"))
            let method = try #require(report.methods.first { $0.title == name })
            let m = try #require(SVGExportTests.attribute(interval, "data-m").flatMap(Int.init))
            let expected = try #require(report.steps.first { $0.pairCount == m }?.method(method)?.suboptimality.meanInterval)
            #expect(SVGExportTests.number(interval, "data-lower") == expected.lowerBound)
            #expect(SVGExportTests.number(interval, "data-upper") == expected.upperBound)
            #expect(expected.lowerBound < expected.upperBound)
        }
        // Theory lines for RKL and FKL (MRPO's sub-optimality gap has no 1/m limit), with their constants.
        let theory = CoverageLab.theory(Solution(state.scenario.problem))
        let lines = try Self.elements(svg, "polyline", class: "theory")
        #expect(Set(lines.compactMap { SVGExportTests.attribute($0, "data-series") }) == ["RKL", "FKL"])
        for line in lines {
            let name = try #require(SVGExportTests.attribute(line, "data-series"))
            let constant = try #require(theory.first { $0.method.title == name }?.suboptimalityConstant)
            #expect(SVGExportTests.number(line, "data-constant") == constant)
        }
        // MRPO's sub-optimality gap tends to the MRPO gap: a flat line there, said in words.
        let limits = try Self.elements(svg, "polyline", class: "limit")
        #expect(limits.compactMap { SVGExportTests.attribute($0, "data-series") } == ["MRPO"])
        #expect(limits.first.flatMap { SVGExportTests.number($0, "data-value") } == Solution(state.scenario.problem).mrpoGap)
        #expect(svg.contains("MRPO: its gap tends to "))
        #expect(svg.contains("whiskers: 95% interval of the mean"))
        // The optimality gap (g): every method has a line, over √m.
        let optimality = SVGExport.svg(try Self.session(Fixtures.loadExample("partial-overlap.yaml"), keys: "m g").state)
        #expect(try Self.elements(optimality, "polyline", class: "theory").count == 3)
        #expect(optimality.contains("constant over √m"))
    }

    @Test func coverageBitingSaysWhyThereIsNoLine() throws {
        let svg = SVGExport.svg(try Self.session(Fixtures.loadExample("escape.yaml")).state)
        #expect(svg.contains("FKL: no theory line, the sampler never draws part of the optimum"))
        #expect(try Self.elements(svg, "polyline", class: "theory").compactMap { SVGExportTests.attribute($0, "data-series") } == ["RKL"])
    }

    @Test func wellFormedForAnyTitleAndWithoutARun() throws {
        var hostile = Fixtures.loadExample("partial-overlap.yaml")
        hostile.title = "<lab> & \"quotes\" \u{1}\u{7F}\u{FFFE}\u{FFFF} ]]> é"
        let svg = SVGExport.svg(try Self.session(hostile).state)
        let title = try Self.document(svg).nodes(forXPath: "//*[local-name()='title']").first?.stringValue
        #expect(title?.hasPrefix("<lab> & \"quotes\"") == true)
        // Without a run (the lab closed), the picture says so instead of plotting nothing.
        let closed = SVGExport.svg(try Fixtures.session(hostile).state, view: .lab)
        _ = try Self.document(closed)
        #expect(closed.contains("the coverage lab has not run"))
    }

    @Test func eInTheLabViewWritesNumberedFilesAndWaitsForTheRun() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("coverage.yaml")
        try FileManager.default.copyItem(at: Fixtures.example("partial-overlap.yaml"), to: file)
        let scenario = try ScenarioLoader.load(contentsOf: file)
        let session = try Self.session(scenario, file: file, workingDirectory: folder)
        #expect(session.state.exportURL == folder.appendingPathComponent("coverage-lab.svg"))
        try session.handle(KeyNotation.parse("e e"))
        #expect(session.state.message?.text == "chart written to \(folder.standardizedFileURL.path)/coverage-lab-2.svg")
        let written = try String(contentsOf: folder.appendingPathComponent("coverage-lab.svg"), encoding: .utf8)
        #expect(written == SVGExport.svg(session.state, view: .lab))
        // While the lab runs, e says so and writes nothing.
        var state = session.state
        _ = Update.update(&state, .event(.key(.character("c"))))  // runs it again
        #expect(state.lab.run?.phase == .running)
        #expect(Update.update(&state, .event(.key(.character("e")))).isEmpty)
        #expect(state.message?.text.hasPrefix("the coverage lab is still running") == true)
    }
}
