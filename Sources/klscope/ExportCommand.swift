import ArgumentParser
import Explorer
import Foundation
import KLScenario
import TerminalUI

/// `klscope export`: writes the explorer's chart (bars, sweep or coverage lab) as an SVG, and a PNG through rsvg-convert.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the explorer's chart as SVG (and PNG with rsvg-convert), for slides.",
        discussion: """
            The picture is the chart the explorer shows after --keys (bars of every visible series, \
            the sweep view's line charts, or the coverage lab's log–log plot of the mean gaps with \
            their 95% intervals and the large-m theory's lines), 1600×900 with large fonts and the \
            explorer's colours. --view forces one of the three; --view lab runs the lab view's lab \
            when the keys did not open it, over the m and seeds of --pairs, --steps, --seeds and --seed \
            (as in klscope lab; default m 1,000 to 100,000 in 6 steps, 100 seeds). --png needs \
            rsvg-convert (Debian: apt-get install librsvg2-bin).
            """
    )

    @Argument(help: "A scenario file; omit it for the built-in scenario.")
    var file: String?

    @Option(help: ArgumentHelp("Write the SVG here.", valueName: "OUT.svg"))
    var svg: String?

    @Option(help: ArgumentHelp("Also (or instead) write a PNG here, with rsvg-convert.", valueName: "OUT.png"))
    var png: String?

    @OptionGroup var replay: ReplayOptions

    @Option(help: "bars, sweep or lab; default: whatever the keys left on screen.")
    var view: SVGExport.View?

    @OptionGroup var lab: LabGridOptions

    func run() throws {
        guard svg != nil || png != nil else { try fail("export needs --svg OUT or --png OUT") }
        let scenario = try file.map(loadScenarioOrExit) ?? .builtInDefault
        let session = ExplorerSession(scenario: scenario, file: file.map { URL(fileURLWithPath: $0) },
                                      options: ExplorerOptions(mouse: false), workingDirectory: workingDirectory)
        session.setLabConfiguration(lab.configuration())
        _ = try replay.replay(session)
        if view == .lab { session.runLabToTheEnd() }
        let document = SVGExport.svg(session.state, view: view ?? session.state.chartView)
        let svgURL = URL(fileURLWithPath: svg ?? NSTemporaryDirectory() + "klscope-export-\(ProcessInfo.processInfo.processIdentifier).svg")
        do {
            try Data(document.utf8).write(to: svgURL, options: .atomic)
        } catch {
            try fail("cannot write \(svgURL.path): \(error.localizedDescription)")
        }
        defer { if svg == nil { try? FileManager.default.removeItem(at: svgURL) } }
        if svg != nil { print("wrote \(svgURL.path)") }
        if let png {
            try convert(svgURL, to: png)
            print("wrote \(png)")
        }
    }

    /// Renders the SVG to a PNG with rsvg-convert, or explains what is missing.
    private func convert(_ svgURL: URL, to png: String) throws {
        guard let tool = PNGConverter.find() else {
            try fail("--png needs rsvg-convert, which is not installed (Debian/Ubuntu: apt-get install librsvg2-bin); the SVG opens in any browser")
        }
        let process = Process()
        process.executableURL = tool
        process.arguments = ["--format", "png", "--output", png, svgURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            try fail("rsvg-convert failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

extension SVGExport.View: ExpressibleByArgument {}

/// Finds rsvg-convert on the PATH.
enum PNGConverter {
    static func find() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent("rsvg-convert")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}
