import KLMath
import TerminalUI

/// The lab's results in the three output formats.
public struct LabOutput {
    public let scenario: Scenario
    public let report: CoverageLab.Report
    /// The slopes are fitted over `m ≥ fitFrom`.
    public var fitFrom: Int
    /// The scenario solved exactly, once, for the theory, the coverage and the optimal values.
    private let truth: Solution

    public init(scenario: Scenario, report: CoverageLab.Report, fitFrom: Int = 1) {
        self.scenario = scenario
        self.report = report
        self.fitFrom = fitFrom
        truth = Solution(scenario.problem)
    }

    private var referenceNames: [String] { scenario.references.map(\.name) }

    /// The reference names as the text table shows them (`VisibleText.escaped`).
    private var visibleReferenceNames: [String] { scenario.references.map { VisibleText.escaped($0.name) } }

    /// The spelling of a sampler on the command line and in CSV and JSON.
    private func key(_ sampler: CoverageLab.Sampler) -> String {
        switch sampler {
        case .escort, .mixture: PolicyName.of(sampler.policyID)?.key ?? ""
        case .reference(let k): referenceNames[k]
        }
    }

    private var notes: [String] {
        scenario.loadNotices + report.notes(responseNames: scenario.responses, referenceNames: referenceNames, fitFrom: fitFrom)
    }

    // MARK: Table

    /// Gaps per m, slopes, coverage per sampler, the fit's convergence, then notes.
    public func table() -> String {
        let configuration = report.configuration
        let uses = report.samplers.map { use in
            "\(use.methods.map(\.title).joined(separator: ", ")) from \(use.sampler.label(referenceNames: visibleReferenceNames))"
        }
        var blocks = [[
            "Coverage lab: \(VisibleText.escaped(scenario.title))",
            "β = \(scenario.beta), \(configuration.seeds) seeds per m, base seed \(configuration.baseSeed), ridge λ = \(configuration.ridge)"
                + (configuration.rewardBound.map { ", fitted rewards clipped to [−\($0), \($0)]" } ?? ""),
            "pairs drawn: " + (uses.isEmpty ? "none (no method can be measured)" : uses.joined(separator: "; ")),
        ].joined(separator: "\n")]
        if !report.methods.isEmpty {
            blocks.append("Sub-optimality gap max J(π; r) − J(π̂; r): mean [quartiles] over the seeds\n" + gapTable(.suboptimality))
            blocks.append("Optimality gap |max J(π; r) − max J(π; r̂ + c)|: mean [quartiles] over the seeds\n" + gapTable(.optimality))
            blocks.append("Slope of log(mean gap) against log m over m ≥ \(fitFrom), [95% bootstrap interval over seeds]; theory: −1 and −0.5\n" + slopeTable())
            blocks.append("Large-m theory: lim m·E[sub-optimality gap] and lim √m·E[optimality gap], and the measured value at the largest m\n" + theoryTable())
            blocks.append("Coverage coefficients of each method's sampler (∞: the optimum has mass the sampler never draws)\n" + coverageCoefficientTable())
            for (slot, use) in report.samplers.enumerated() { blocks.append(coverageTable(slot, use)) }
            blocks.append(fitSummary())
        }
        let notes = notes
        if !notes.isEmpty { blocks.append(notes.map { "note: " + VisibleText.escaped($0) }.joined(separator: "\n")) }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func gapTable(_ gap: CoverageLab.Gap) -> String {
        let headers = ["m"] + report.methods.flatMap { [$0.title, "\($0.title) quartiles"] }
        let rows = report.steps.map { step in
            ["\(step.pairCount)"] + step.methods.flatMap { result -> [String] in
                let statistics = result.statistics(gap)
                return [NumberFormat.short(statistics.mean, digits: 3),
                        "[\(NumberFormat.short(statistics.lowerQuartile, digits: 3)), \(NumberFormat.short(statistics.upperQuartile, digits: 3))]"]
            }
        }
        return LabOutput.text(headers: headers, rows: rows)
    }

    private func slopeTable() -> String {
        let rows = report.methods.map { method in
            [method.title] + CoverageLab.Gap.allCases.map { gap in
                report.slopeEstimate(method, gap, fitFrom: fitFrom).map {
                    "\(NumberFormat.short($0.slope, digits: 3)) [\(NumberFormat.short($0.lower, digits: 3)), \(NumberFormat.short($0.upper, digits: 3))]"
                } ?? "—"
            }
        }
        return LabOutput.text(headers: ["method", "sub-optimality", "optimality"], rows: rows)
    }

    private var theory: [CoverageLab.Theory] {
        CoverageLab.theory(truth, samplers: report.configuration.samplers)
    }

    private func theoryTable() -> String {
        let last = report.steps.last!
        let m = Double(last.pairCount)
        let theory = theory
        let rows = report.methods.map { method -> [String] in
            let constants = theory.first { $0.method == method }
            let step = last.method(method)!
            return [method.title,
                    constants?.suboptimalityConstant.map { NumberFormat.short($0, digits: 3) } ?? "—",
                    NumberFormat.short(m * step.suboptimality.mean, digits: 3),
                    constants?.optimalityConstant.map { NumberFormat.short($0, digits: 3) } ?? "—",
                    NumberFormat.short(m.squareRoot() * step.optimality.mean, digits: 3)]
        }
        let reasons = theory.filter { t in report.methods.contains(t.method) }.compactMap { t in
            t.reason.map { "\(t.method.title): \($0)" + (t.missed.isEmpty ? "" : " (\(t.missed.map { scenario.responses[$0] }.joined(separator: ", ")))") }
        }
        return LabOutput.text(headers: ["method", "m·E[sub] theory", "@\(last.pairCount)", "√m·E[opt] theory", "@\(last.pairCount)"], rows: rows)
            + reasons.map { "\n— " + $0 }.joined()
    }

    private func coverageCoefficientTable() -> String {
        let coverage = CoverageLab.coverage(truth, samplers: report.configuration.samplers)
        func number(_ value: Double) -> String { value.isFinite ? NumberFormat.short(value, digits: 3) : "∞" }
        var rows = coverage.filter { report.methods.contains($0.method) }.map { entry -> [String] in
            let c = entry.coefficients
            return [entry.method.title, entry.sampler.label(referenceNames: referenceNames), number(c.global), number(c.single),
                    number(c.local), "\(c.ball == .reverseKL ? "KL(π‖ρ)" : "KL(ρ‖π)") ≤ \(number(c.epsilon))"]
        }
        var text = ""
        if let relation = EscortCoverageBound(scenario.problem, aggregates: ReferenceAggregates(scenario.problem)) {
            text = "\nApp. G: C_glob(π_G) = \(number(relation.escortGlobal)) ≤ F · Π_k C_glob,k^α_k = \(number(relation.bound)) (F = \(number(relation.normaliser)))"
        }
        if rows.isEmpty { rows = [["—", "", "", "", "", ""]] }
        return LabOutput.text(headers: ["method", "sampler", "C_glob", "C*", "C_ε", "ball ε"], rows: rows) + text
    }

    private func coverageTable(_ slot: Int, _ use: CoverageLab.SamplerUse) -> String {
        let first = report.steps.first!, last = report.steps.last!
        // Compared share and error at the smallest and the largest m (once when they are the same).
        let ends = report.steps.count == 1 ? [first] : [first, last]
        let high = last.pairCount
        let headers = ["response", "reward", "P(draw)", "draws/2m @\(high)"]
            + ends.enumerated().map { $0 == 0 ? "compared @\($1.pairCount)" : "@\($1.pairCount)" }
            + ends.enumerated().map { $0 == 0 ? "|r̂ + c − r| @\($1.pairCount)" : "@\($1.pairCount)" }
        let rows = scenario.responses.indices.map { y -> [String] in
            let coverage = ends.map { $0.samplers[slot].responses[y] }
            return [VisibleText.escaped(scenario.responses[y]), NumberFormat.short(scenario.rewards[y]), NumberFormat.short(use.probabilities[y], digits: 3),
                    NumberFormat.short(coverage.last!.meanDraws / Double(2 * high), digits: 3)]
                + coverage.map { NumberFormat.percent($0.comparedFraction) }
                + coverage.map { $0.meanAbsoluteError.map { NumberFormat.short($0, digits: 3) } ?? "—" }
        }
        let title = "Coverage by \(use.sampler.label(referenceNames: visibleReferenceNames)) (\(use.methods.map(\.title).joined(separator: ", "))): "
            + "share of draws, seeds in which each response was compared, mean error of the centred fit"
        return title + "\n" + LabOutput.text(headers: headers, rows: rows)
    }

    private func fitSummary() -> String {
        let fits = report.steps.flatMap(\.samplers)
        let iterations = fits.map(\.maximumIterations).max() ?? 0
        let gradient = fits.map(\.maximumGradientNorm).max() ?? 0
        return "Reward fit: Newton's method took at most \(iterations) iterations; the largest final gradient norm was \(NumberFormat.short(gradient, digits: 2))."
    }

    /// A table with a left-aligned first column and right-aligned values, drawn by TerminalUI.
    private static func text(headers: [String], rows: [[String]]) -> String {
        let firstWidth = ([headers[0]] + rows.map { $0[0] }).map(\.count).max()!
        let table = Table(columnHeaders: headers.dropFirst().map { Table.Entry($0) },
                          rowHeaders: rows.map { Table.Entry(TextLayout.pad($0[0], to: firstWidth)) },
                          rows: rows.map { $0.dropFirst().map { Table.Entry($0) } },
                          rowHeaderLimit: firstWidth)
        var grid = Grid(width: table.width, height: table.height)
        table.draw(in: grid.bounds, on: &grid)
        grid.write(headers[0], column: 0, row: 0)
        return grid.text
    }

    // MARK: CSV

    /// One row per m, method and gap: the statistics over the seeds.
    public func csv() -> String {
        let theory = theory
        var lines = ["pairs,method,sampler,gap,mean,min,q1,median,q3,max,theory"]
        for step in report.steps {
            for result in step.methods {
                for gap in CoverageLab.Gap.allCases {
                    let s = result.statistics(gap)
                    let fields = ["\(step.pairCount)", result.method.rawValue, key(report.configuration.sampler(for: result.method)), gap.rawValue]
                        + [s.mean, s.minimum, s.lowerQuartile, s.median, s.upperQuartile, s.maximum].map { "\($0)" }
                        + [theory.first { $0.method == result.method }?.prediction(gap, pairs: step.pairCount).map { "\($0)" } ?? ""]
                    lines.append(fields.map(SolveReport.csvField).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// Stable keys, full precision, `null` where a value is undefined.
    public func json() -> String {
        let configuration = report.configuration
        func statistics(_ s: CoverageLab.GapStatistics) -> JSONText {
            .object([("mean", .number(s.mean)), ("min", .number(s.minimum)), ("q1", .number(s.lowerQuartile)),
                     ("median", .number(s.median)), ("q3", .number(s.upperQuartile)), ("max", .number(s.maximum)),
                     ("seeds", .numbers(s.samples))])
        }
        let steps: [JSONText] = report.steps.map { step in
            .object([
                ("pairs", .number(Double(step.pairCount))),
                ("methods", .object(step.methods.map { result in
                    (result.method.rawValue, .object(CoverageLab.Gap.allCases.map { ($0.rawValue, statistics(result.statistics($0))) }))
                })),
                ("samplers", .object(step.samplers.map { fit in
                    (key(fit.sampler), .object([
                        ("mean_draws", .numbers(fit.responses.map(\.meanDraws))),
                        ("compared_fraction", .numbers(fit.responses.map(\.comparedFraction))),
                        ("mean_abs_error", .array(fit.responses.map { .number($0.meanAbsoluteError) })),
                        ("max_iterations", .number(Double(fit.maximumIterations))),
                        ("max_gradient_norm", .number(fit.maximumGradientNorm)),
                    ]))
                })),
            ])
        }
        let document: JSONText = .object(JSONText.scenarioHeader(scenario) + [
            ("configuration", .object([
                ("pairs", .array(configuration.pairCounts.map { .number(Double($0)) })),
                ("seeds", .number(Double(configuration.seeds))),
                ("seed", .string("\(configuration.baseSeed)")),
                ("ridge", .number(configuration.ridge)),
                ("reward_bound", .number(configuration.rewardBound)),
                ("fit_from", .number(Double(fitFrom))),
                ("samplers", .object(KLMethod.allCases.map { ($0.rawValue, .string(key(configuration.sampler(for: $0)))) })),
            ])),
            ("methods", .array(report.methods.map { .string($0.rawValue) })),
            ("optimal_values", .object(report.methods.map { ($0.rawValue, .number(report.optimalValues[$0])) })),
            ("mrpo_gap", .number(report.mrpoGap)),
            ("samplers", .object(report.samplers.map { use in
                (key(use.sampler), .object([
                    ("methods", .array(use.methods.map { .string($0.rawValue) })),
                    ("probabilities", .numbers(use.probabilities)),
                    ("never_sampled", .array(use.neverSampled.map { .string(scenario.responses[$0]) })),
                ]))
            })),
            ("steps", .array(steps)),
            ("slopes", .object(report.methods.map { method in
                (method.rawValue, .object(CoverageLab.Gap.allCases.map { gap in
                    (gap.rawValue, .number(report.slope(method, gap, fitFrom: fitFrom)))
                }))
            })),
            ("slope_intervals", .object(report.methods.map { method in
                (method.rawValue, .object(CoverageLab.Gap.allCases.map { gap in
                    (gap.rawValue, report.slopeEstimate(method, gap, fitFrom: fitFrom).map { e in
                        .object([("slope", .number(e.slope)), ("lower", .number(e.lower)), ("upper", .number(e.upper)),
                                 ("theory", .number(CoverageLab.theorySlope(gap))), ("pairs", .array(e.pairCounts.map { .number(Double($0)) }))])
                    } ?? .null)
                }))
            })),
            ("coverage", SolveReport.coverageJSON(truth, referenceNames: referenceNames, samplers: configuration.samplers)),
            ("theory", .object(theory.map { theory in
                (theory.method.rawValue, .object([
                    ("suboptimality_constant", .number(theory.suboptimalityConstant)),
                    ("optimality_constant", .number(theory.optimalityConstant)),
                    ("reason", theory.reason.map { .string($0) } ?? .null),
                    ("missed", .array(theory.missed.map { .string(scenario.responses[$0]) })),
                ]))
            })),
            ("notes", .array(notes.map { .string($0) })),
        ])
        return document.rendered() + "\n"
    }
}

/// `klscope lab --over beta` in the three output formats: the large-m constants of each method
/// at each β (no sampling).
public struct LabBetaOutput {
    public let scenario: Scenario
    public let rows: [(beta: Double, theory: [CoverageLab.Theory])]

    public init(scenario: Scenario, rows: [(beta: Double, theory: [CoverageLab.Theory])]) {
        self.scenario = scenario
        self.rows = rows
    }

    private let methods = KLMethod.allCases

    private func constant(_ theory: [CoverageLab.Theory], _ method: KLMethod, _ gap: CoverageLab.Gap) -> Double? {
        theory.first { $0.method == method }?.constant(gap)
    }

    /// One row per β, a sub-optimality and an optimality constant per method; — where none exists.
    public func table() -> String {
        var lines = [LabOverBetaTable.heading]
        lines += LabOverBetaTable.lines(rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same, with empty cells where no constant exists.
    public func csv() -> String {
        var lines: [String] = []
        lines.append((["beta"] + methods.flatMap { ["\($0.rawValue)_suboptimality_constant", "\($0.rawValue)_optimality_constant"] }).joined(separator: ","))
        for row in rows {
            lines.append((["\(row.beta)"] + methods.flatMap { method in
                CoverageLab.Gap.allCases.map { constant(row.theory, method, $0).map { "\($0)" } ?? "" }
            }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Stable keys, `null` where no constant exists.
    public func json() -> String {
        let document: JSONText = .object(JSONText.scenarioHeader(scenario) + [
            ("over", .string("beta")),
            ("points", .array(rows.map { row in
                .object([("beta", .number(row.beta))] + methods.map { method in
                    (method.rawValue, .object(CoverageLab.Gap.allCases.map { gap in
                        ("\(gap.rawValue)_constant", .number(constant(row.theory, method, gap)))
                    }))
                })
            })),
        ])
        return document.rendered() + "\n"
    }
}
