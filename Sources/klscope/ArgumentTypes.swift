import ArgumentParser
import Foundation

// Values of command-line options that have a syntax of their own. Each parses its text and
// refuses malformed text (swift-argument-parser then names the option and shows its help);
// ranges that depend on the scenario are checked where the scenario is known.

/// `--size WxH`: a terminal size, columns by rows, each 1…1000.
struct TerminalSize: ExpressibleByArgument, Equatable {
    let width: Int
    let height: Int

    /// The largest width or height accepted.
    static let maximum = 1000

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let width = parts[0], let height = parts[1],
              (1...Self.maximum).contains(width), (1...Self.maximum).contains(height) else { return nil }
        self.init(width: width, height: height)
    }

    var defaultValueDescription: String { "\(width)x\(height)" }
}

/// `LOW..HIGH` or a single number (a range of one value), with LOW ≤ HIGH: `--pairs`, `--beta-range`.
struct ArgumentRange<Bound: Comparable & LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    let low: Bound
    let high: Bound

    init(_ low: Bound, _ high: Bound) {
        self.low = low
        self.high = high
    }

    init?(argument: String) {
        let parts = argument.components(separatedBy: "..").map { Bound($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let low = parts.first!, let high = parts.last!, low <= high else { return nil }
        self.init(low, high)
    }

    var defaultValueDescription: String { "\(low)..\(high)" }

    /// Whether both ends lie in `bounds`.
    func lies(within bounds: ClosedRange<Bound>) -> Bool { bounds.contains(low) && bounds.contains(high) }
}

/// `--weights w1,w2,...`: comma-separated numbers, one per reference (their count and the
/// weight rules are checked against the scenario).
struct WeightList: ExpressibleByArgument {
    /// The numbers, in order, with the text each was written as (for messages).
    let values: [(value: Double, text: String)]

    init?(argument: String) {
        var values: [(Double, String)] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(text) else { return nil }
            values.append((value, text))
        }
        self.values = values
    }
}
