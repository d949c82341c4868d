import Foundation
import KLMath

/// `e`: which chart is exported and where; `SVGExport` (in View) draws it.
extension ExplorerState {
    /// The chart on screen: the lab view when it is open, else the sweep view when it is, else the bars.
    public var chartView: SVGExport.View { lab.isOpen ? .lab : sweep.isShown ? .sweep : .bars }

    /// Where `e` writes the chart: next to the scenario file, named after it and the view
    /// (`escape-bars.svg`); in a tour, in the working directory, named after the tour and the
    /// step (`lesson-step3-bars.svg`); in the working directory for the built-in scenario. The
    /// session numbers the name (`escape-bars-2.svg`) when the file exists.
    public var exportURL: URL {
        let view = chartView.rawValue
        if history.file == nil, let tour {
            // In the working folder: a tour's own folder may be the repository's examples.
            let name = URL(fileURLWithPath: tour.file).deletingPathExtension().lastPathComponent
            return workingDirectory.appendingPathComponent("\(name)-step\(tour.index + 1)-\(view).svg")
        }
        guard let file = history.file else { return workingDirectory.appendingPathComponent("klscope-built-in-\(view).svg") }
        let base = file.deletingPathExtension()
        return base.deletingLastPathComponent().appendingPathComponent("\(base.lastPathComponent)-\(view).svg")
    }

    /// `e`: asks the session to write the current chart as an SVG. While the sweep view's
    /// background job is still computing, it says so instead of computing the sweeps here
    /// (which would freeze the keys for as long as the job needs).
    mutating func exportChart() -> [Effect] {
        if let run = lab.run, run.phase == .running {
            message = StatusMessage("the coverage lab is still running (\(run.report?.steps.count ?? 0) of \(lab.configuration.pairCounts.count) m); press e again when it is done", kind: .info)
            return []
        }
        if sweep.isComputing(for: analysis.solution.problem) {
            let progress = sweep.cache.job.map { " (\($0.partial.done) of \($0.partial.total) points)" } ?? ""
            message = StatusMessage("the sweep is still being computed\(progress); press e again when it is done", kind: .info)
            return []
        }
        return [.export(SVGExport.svg(self), to: exportURL)]
    }
}
