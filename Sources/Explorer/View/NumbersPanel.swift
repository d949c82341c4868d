import KLMath
import KLScenario
import TerminalUI

/// Draws the numbers section of the side panel: `λ`, escaped mass, `|I|` and `|U|`, the
/// optimal values beside their bounds, the MRPO gap, and a table of diagnostics for the
/// policies (the optima, the averages and the references, references with weight 0 dimmed). What is undefined is said in words.
struct NumbersPanel {
    let state: ExplorerState
    let theme: Theme
    let frame: Rect

    private var solution: Solution { state.analysis.solution }
    private var referenceCount: Int { state.scenario.references.count }

    func draw(into grid: inout Grid) {
        guard frame.height > 1 else { return }
        grid.drawRule(column: frame.x, row: frame.y, width: frame.width, character: theme.rule, lineStyle: theme.frame,
                      title: "Numbers", titleStyle: theme.heading)
        let x = frame.x + 1, width = frame.width - 2
        var row = frame.y + 1
        for line in summary(width: width) where row < frame.maxY {
            row = write(line, column: x, row: row, width: width, into: &grid)
        }
        guard row + 1 < frame.maxY else { return }
        let available = Rect(x: x, y: row, width: width, height: frame.maxY - row)
        let natural = table(order: Array(0..<referenceCount))
        // Without room for every policy, the optima and averages keep their KL rows and π_H
        // and the references follow in a table of their own with the headline numbers.
        let main = table(order: Array(0..<referenceCount), policies: Array(PolicyID.numbered(referenceCount: referenceCount).prefix(5)))
        func fits(_ table: Table) -> Bool { table.width <= width && table.height <= available.height }
        let fitsPolicyRows = natural.transposed().width <= width
        let table: Table
        var splitsPolicies = false
        if fits(natural) {
            table = natural
        } else if fits(main) {
            table = main
            splitsPolicies = true
        } else {
            let focused = state.focus.reference ?? 0
            let order = [focused] + (0..<referenceCount).filter { $0 != focused }
            let reordered = self.table(order: order)
            table = fitsPolicyRows || reordered.width > width ? reordered.transposed() : reordered
        }
        let drawn = table.draw(in: available, on: &grid, ellipsis: theme.ellipsis)
        var next = available.y + drawn.rows + 1
        let hiddenColumns = table.columnHeaders.count - drawn.columns, hiddenRows = table.rows.count - drawn.rows
        if hiddenColumns + hiddenRows > 0, next < frame.maxY {
            let note = hiddenColumns > 0 ? "\(hiddenColumns) more columns when wider" : "\(hiddenRows) more rows when taller"
            grid.write(note, column: x, row: next, style: theme.muted, limit: width)
            next += 1
        }
        if splitsPolicies {
            // π_H and the references, one row each, with the headline numbers only.
            let others = self.table(order: [], policies: Array(PolicyID.numbered(referenceCount: referenceCount).dropFirst(5))).transposed()
            if next + others.height < frame.maxY, others.width <= width {
                others.draw(in: Rect(x: x, y: next, width: width, height: others.height), on: &grid, ellipsis: theme.ellipsis)
                next += others.height
            }
        }
        let references = referenceTable()
        if next + references.height < frame.maxY, references.width <= width {
            references.draw(in: Rect(x: x, y: next + 1, width: width, height: references.height), on: &grid, ellipsis: theme.ellipsis)
        }
    }

    /// Writes styled pieces from (`column`, `row`), wrapping between words at `width`;
    /// returns the row after the last one written.
    private func write(_ pieces: [(String, Style)], column: Int, row: Int, width: Int, into grid: inout Grid) -> Int {
        var x = column, y = row
        for (text, style) in pieces {
            // Tokens are a word with the spaces before it, so alignment spaces survive.
            var tokens: [String] = [], current = ""
            for character in text {
                if character == " ", let last = current.last, last != " " {
                    tokens.append(current)
                    current = ""
                }
                current.append(character)
            }
            if !current.isEmpty { tokens.append(current) }
            for token in tokens {
                var token = token
                if x + token.count > column + width, x > column {
                    y += 1
                    x = column
                    token = String(token.drop { $0 == " " })
                }
                guard y < frame.maxY else { return y }
                x += grid.write(token, column: x, row: y, style: style, limit: column + width - x)
            }
        }
        return y + 1
    }

    /// Each reference's weight, support size and single-reference optimal values, the
    /// terms of the two bounds.
    private func referenceTable() -> Table {
        let scenario = state.scenario
        let weights = scenario.normalizedWeights
        let rows = scenario.references.indices.map { k in
            [Table.Entry(NumberFormat.short(weights[k], digits: 3, ascii: theme.ascii)),
             Table.Entry("\(state.analysis.referenceSupportSizes[k])"),
             Table.Entry(theme.number(solution.singleReverseKLValues[k])),
             Table.Entry(theme.number(solution.singleForwardKLValues[k]))]
        }
        let headers = [theme.alpha, "|supp|", "max J_k", "max J_FKL,k"].map { Table.Entry($0, style: theme.muted) }
        let names = scenario.references.indices.map {
            Table.Entry(scenario.references[$0].name, style: weights[$0] == 0 ? theme.hidden : theme.style(.reference($0), referenceCount: referenceCount))
        }
        return Table(columnHeaders: headers, rowHeaders: names, rows: rows, rowHeaderLimit: 14)
    }

    /// The summary lines, each a list of styled pieces.
    private func summary(width: Int) -> [[(String, Style)]] {
        let plain = Style.plain, muted = theme.muted
        let escaped = solution.forwardKL.escapedMass
        let n = state.scenario.responses.count
        var lines: [[(String, Style)]] = []
        let sizes = "|I| \(state.analysis.intersectionSize)  |U| \(state.analysis.unionSize) of \(n)"
        let root: [(String, Style)] = [("\(theme.lambda) ", muted), (theme.number(solution.forwardKL.lambda), plain),
                                       ("  escaped ", muted), (theme.number(escaped), escaped > 0 ? theme.warning : plain)]
        let rootWidth = root.map(\.0.count).reduce(0, +)
        if rootWidth + 3 + sizes.count <= width {
            lines.append(root + [("   " + sizes, plain)])
        } else {
            lines.append(root)
            lines.append([(sizes, plain)])
        }
        let wide = width >= 44, bound = width >= 34 ? " bound" : ""
        let weighted = theme.ascii ? "sum w" : "Σα"
        if let value = solution.reverseKLValue {
            lines.append([("max J_RKL ", muted), (theme.number(value), plain), (" \(theme.lessOrEqual) ", muted),
                          (theme.number(solution.reverseKLBound), plain), (wide ? "  \(weighted) max J_k" : bound, muted)])
        } else {
            for text in TextLayout.wrap("RKL undefined: the references share no response", width: width) {
                lines.append([(text, theme.warning)])
            }
        }
        lines.append([("max J_FKL ", muted), (theme.number(solution.forwardKLValue), plain), (" \(theme.lessOrEqual) ", muted),
                      (theme.number(solution.forwardKLBound), plain), (wide ? "  \(weighted) max J_FKL,k" : bound, muted)])
        if let gap = solution.mrpoGap {
            lines.append([("MRPO gap  ", muted), (theme.number(gap), plain), (wide ? "  \(theme.beta) KL(MRPO \(theme.ascii ? "||" : "‖") RKL*)" : "", muted)])
        } else {
            lines.append([("MRPO gap  ", muted), ("undefined (no shared response)", theme.warning)])
        }
        return lines + pinnedComparison()
    }

    /// With a pin: the pinned setting against the current one, with differences.
    private func pinnedComparison() -> [[(String, Style)]] {
        guard let pin = state.comparablePin else { return [] }
        let then = pin.analysis.solution, y = state.chart.selected
        let arrow = theme.ascii ? "->" : "→", delta = theme.ascii ? "d" : "Δ"
        func line(_ name: String, _ old: Double?, _ new: Double?) -> [(String, Style)] {
            let difference = old.flatMap { old in new.map { $0 - old } }
            let signed = difference.map { ($0 > 0 ? "+" : "") + theme.number($0) } ?? theme.dash
            return [(name + " ", theme.muted), (old.map(theme.number) ?? theme.dash, theme.pinned), (" \(arrow) ", theme.muted),
                    (new.map(theme.number) ?? theme.dash, .plain), ("  \(delta) ", theme.muted), (signed, .plain)]
        }
        return [[("pinned \(arrow) now", theme.pinned)],
                line(theme.beta, pin.scenario.beta, state.scenario.beta),
                line("max J_RKL", then.reverseKLValue, solution.reverseKLValue),
                line("max J_FKL", then.forwardKLValue, solution.forwardKLValue),
                line("MRPO gap", then.mrpoGap, solution.mrpoGap),
                line(theme.lambda, then.forwardKL.lambda, solution.forwardKL.lambda),
                line("RKL*(\(theme.text(state.scenario.responses[y])))", pin.analysis.probability(.reverseKL, y), state.analysis.probability(.reverseKL, y)),
                line("FKL*(\(theme.text(state.scenario.responses[y])))", pin.analysis.probability(.forwardKL, y), state.analysis.probability(.forwardKL, y))]
    }

    /// The diagnostics with one row per metric and one column per main policy; reference
    /// groups (KL each way, coverage) in the given order; every policy of the panel unless `policies` says.
    private func table(order: [Int], policies: [PolicyID]? = nil) -> Table {
        let bar = theme.ascii ? "||" : "‖"
        let pi = theme.ascii ? "pi" : "π"
        var headers: [Table.Entry] = [Table.Entry("E[r]"), Table.Entry("H(\(pi))"), Table.Entry("J_RKL(\(pi))"), Table.Entry("J_FKL(\(pi))")]
        var values: [(PolicyMetrics) -> Double] = [{ $0.expectedReward }, { $0.entropy }, { $0.reverseKLObjective }, { $0.forwardKLObjective }]
        let headerLimit = 14
        for k in order {
            // A long reference name is shortened in its middle, so the label keeps its
            // direction: KL(π‖fine…ned) and KL(fine…ned‖π), never KL(fine-tuned….
            let room = headerLimit - "KL(\(pi)\(bar))".count
            let name = TextLayout.truncateMiddle(state.scenario.references[k].name, to: room, ellipsis: theme.ellipsis)
            let style = theme.style(.reference(k), referenceCount: referenceCount)
            headers.append(Table.Entry("KL(\(pi)\(bar)\(name))", style: style))
            values.append { $0.klTo[k] }
            headers.append(Table.Entry("KL(\(name)\(bar)\(pi))", style: style))
            values.append { $0.klFrom[k] }
            headers.append(Table.Entry("cover \(name)", style: style))
            values.append { $0.coverage[k] }
        }
        let policies = policies ?? PolicyID.numbered(referenceCount: referenceCount)
        let weights = state.scenario.normalizedWeights
        // A reference with weight 0 counts for nothing: its column is dimmed.
        func isOff(_ series: PolicyID) -> Bool { if case .reference(let k) = series { weights[k] == 0 } else { false } }
        let columns = policies.map { series in
            Table.Entry(theme.name(series, in: state.scenario), style: isOff(series) ? theme.hidden : theme.style(series, referenceCount: referenceCount))
        }
        let rows = values.map { value in
            policies.map { series -> Table.Entry in
                guard let metrics = state.analysis.metrics[series] else { return Table.Entry(theme.dash, style: theme.muted) }
                return Table.Entry(theme.number(value(metrics)), style: isOff(series) ? theme.hidden : .plain)
            }
        }
        return Table(columnHeaders: columns, rowHeaders: headers, rows: rows, rowHeaderLimit: headerLimit)
    }
}
