import Foundation
import KLMath

extension CoverageLab.Report {
    /// What the numbers mean where it is not obvious, in words (`findings` worded by
    /// `LabFinding.sentence`): methods not measured, responses never sampled, gaps that level
    /// off, and the slopes (fitted over `m ≥ fitFrom`) against the paper's claim and against the
    /// theory's value. Names come from `responseNames` and `referenceNames`.
    public func notes(responseNames: [String], referenceNames: [String], fitFrom: Int = 1) -> [String] {
        findings(fitFrom: fitFrom).map { $0.sentence(responseNames: responseNames, referenceNames: referenceNames) }
    }
}

extension LabFinding {
    /// The finding as one sentence of a report.
    public func sentence(responseNames: [String], referenceNames: [String]) -> String {
        typealias Words = LabWords
        func titles(_ methods: [KLMethod]) -> String { Words.list(methods.map(\.title)) }
        func slope(_ value: Double) -> String { Words.rounded(value, decimals: 2) }
        switch self {
        case .undefined(let undefined, let measured):
            let alone = measured.isEmpty ? "" : "; \(titles(measured)) \(measured.count == 1 ? "is" : "are") measured alone"
            return "The references share no response (the support intersection is empty): \(titles(undefined)) \(undefined.count == 1 ? "is" : "are") undefined and not measured\(alone)."
        case .samplerMissing(let method, let sampler):
            return "\(method.title)'s sampler \(sampler.label(referenceNames: referenceNames)) does not exist (the support intersection is empty): \(method.title) is not measured."
        case .neverSampled(let sampler, let methods, let responses):
            let names = responses.map { responseNames[$0] }.joined(separator: ", ")
            return "never sampled by \(sampler.label(referenceNames: referenceNames)) (the sampler of \(titles(methods))): \(names) — \(responses.count == 1 ? "its" : "their") fitted reward stays at 0."
        case .optimumNotCovered(let method, let mass):
            return "\(method.title)'s optimum puts \(Words.rounded(mass)) of its mass on responses its sampler never draws: no number of comparisons teaches the fit their reward, so \(method.title)'s sub-optimality gap levels off instead of shrinking."
        case .mrpoShortfall(let gap):
            return "MRPO is judged in the exact RKL objective: even with the true reward it falls short by β KL(π_MRPO ‖ π*_RKL) = \(Words.rounded(gap)), so its sub-optimality gap tends to that, not to 0."
        case .suboptimalitySlopes(let rkl, let fkl, let stalled):
            let slopes = "slopes \(slope(rkl)) and \(slope(fkl))"
            if !stalled.isEmpty {
                return "Sub-optimality slopes \(slope(rkl)) (RKL) and \(slope(fkl)) (FKL) do not test the paper's claim (RKL about 1/m, FKL about 1/√m): \(titles(stalled)) \(stalled.count == 1 ? "levels" : "level") off for want of coverage (see above), which no rate of convergence describes."
            } else if fkl - rkl > 0.2 {
                return "RKL's sub-optimality gap shrinks faster than FKL's (\(slopes)), as the paper claims (about 1/m against 1/√m, slopes −1 and −0.5)."
            } else if rkl - fkl > 0.2 {
                return "FKL's sub-optimality gap shrinks faster than RKL's here (\(slopes)), against the paper's claim (RKL about 1/m, FKL about 1/√m)."
            } else {
                return "RKL's and FKL's sub-optimality gaps shrink at about the same rate here (\(slopes)), so the paper's claim that RKL's shrinks faster (1/m against 1/√m) does not show: its 1/√m for FKL is an upper bound."
            }
        case .optimalitySlopes(let rkl, let fkl):
            return "Optimality gaps: slopes \(slope(rkl)) (RKL) and \(slope(fkl)) (FKL); the paper gives both the same rate, about 1/√m (slope −0.5)."
        case .slopeExcludesTheory(let method, let gap, let estimate, let reason):
            let interval = Words.slope(estimate)
            let why = switch reason {
            case .samplerMissesOptimum: "its sampler misses part of the optimum, so the gap levels off"
            case .tendsToMRPOGap: "MRPO's gap tends to the MRPO gap, not to 0"
            case .shortOfLargeM:
                "m = \(estimate.pairCounts.first!)…\(estimate.pairCounts.last!) is likely short of the large-m regime; fit from a larger m (--fit-from, f in the lab view) or raise the range of m"
            }
            return "\(method.title)'s \(gap == .suboptimality ? "sub-optimality" : "optimality")-gap slope \(interval) excludes the theory's \(Words.rounded(CoverageLab.theorySlope(gap), decimals: 1)): \(why)."
        }
    }
}

/// How the lab's sentences write numbers and lists.
public enum LabWords {
    /// A fitted slope and its 95% interval with two decimals: `−0.98 [−1.03, −0.94]`.
    public static func slope(_ estimate: CoverageLab.SlopeEstimate, minus: String = "−") -> String {
        func two(_ value: Double) -> String { rounded(value, decimals: 2, minus: minus) }
        return "\(two(estimate.slope)) [\(two(estimate.lower)), \(two(estimate.upper))]"
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        items.count <= 2 ? items.joined(separator: " and ") : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// `value` with `decimals` decimal places, or with 3 significant digits when `decimals` is
    /// nil (`0.0123`, `1.23e-7`), and a proper minus sign (`minus`; `-` where only ASCII is
    /// shown), none when the digits shown are all 0.
    public static func rounded(_ value: Double, decimals: Int? = nil, minus: String = "−") -> String {
        guard value.isFinite else { return "\(value)" }
        guard value != 0 else { return "0" }
        let magnitude = abs(value)
        if let decimals {
            let text = fixed(magnitude, places: decimals)
            return (value < 0 && text.contains { $0 != "0" && $0 != "." } ? minus : "") + text
        }
        let sign = value < 0 ? minus : ""
        let exponent = Int(floor(log10(magnitude)))
        guard exponent >= -4 && exponent <= 5 else {
            return sign + fixed(magnitude / pow(10, Double(exponent)), places: 2) + "e\(exponent)"
        }
        return sign + fixed(magnitude, places: max(0, 2 - exponent))
    }

    /// `x ≥ 0` (below 10⁶) with `places` decimal places, written from its rounded number of units.
    private static func fixed(_ x: Double, places: Int) -> String {
        let digits = String(Int((x * pow(10, Double(places))).rounded()))
        guard places > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        return padded.dropLast(places) + "." + padded.suffix(places)
    }
}
