import KLMath
import Foundation
import KLScenario
import Testing
import TerminalUI
@testable import Explorer

/// The numbers panel has a row for every policy (π_H and the references too) with both
/// objectives, and dims a reference whose weight is 0.
@Suite struct NumbersPanelTests {
    private func lines(_ grid: Grid) -> [String] {
        (0..<grid.height).map { row in String((0..<grid.width).map { grid[$0, row].character }) }
    }

    @Test(arguments: [(120, 40), (200, 60)])
    func everyPolicyHasBothObjectives(width: Int, height: Int) throws {
        let session = try Fixtures.session(width: width, height: height)
        let screen = lines(session.view(width: width, height: height))
        let theme = Theme(session.state.options)
        #expect(screen.contains { $0.contains("│ J_RKL(π) ") } && screen.contains { $0.contains("│ J_FKL(π) ") })
        for series in [PolicyID.harmonic, .reference(0), .reference(1)] {
            let metrics = try #require(session.state.analysis.metrics[series])
            let name = theme.name(series, in: session.state.scenario)
            let row = screen.first { $0.contains("│ \(name) ") && $0.contains(theme.number(metrics.entropy)) }
            #expect(row?.contains(theme.number(metrics.reverseKLObjective)) == true, "\(name)")
            #expect(row?.contains(theme.number(metrics.forwardKLObjective)) == true, "\(name)")
        }
    }

    @Test func aReferenceWithWeightZeroIsDimmed() throws {
        let theme = Theme(ExplorerOptions())
        func styles(_ keys: String) throws -> [[Style]] {
            let session = try Fixtures.session(keys: keys)
            let grid = session.view(width: 120, height: 40)
            let name = session.state.scenario.references[0].name
            let text = lines(grid), numbers = text.firstIndex { $0.contains("─ Numbers ") }!
            return text.enumerated().compactMap { row, line -> [Style]? in
                guard row > numbers, let range = line.range(of: "│ \(name) "), line.contains("−∞") || line.contains(".") else { return nil }
                let column = line.distance(from: line.startIndex, to: range.lowerBound) + 2
                guard column > 60 else { return nil }  // the numbers panel, not the chart
                return (column..<column + name.count).map { grid[$0, row].style }
            }
        }
        let on = try styles(""), off = try styles("<tab> <enter> 0 <enter>")
        #expect(on.count >= 2 && off.count >= 2, "the policy row and the weights row")
        #expect(on.allSatisfy { $0.allSatisfy { $0 != theme.hidden } })
        #expect(off.allSatisfy { $0.allSatisfy { $0 == theme.hidden } })
    }
}
