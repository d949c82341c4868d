/// The one naming table of the derived policies: how each is written on screen (`π_G`), in
/// ASCII (`pi_G`), on the command line and in CSV and JSON keys (`escort`), and the other
/// spellings accepted wherever a policy is named (tour `show:`, `solve --by`, `lab --sampler`).
/// References are named by their scenario names and are not in the table.
public struct PolicyName: Sendable, Equatable {
    /// The policy named.
    public let id: PolicyID
    /// The name on screen and in reports: `π_G`, `RKL*`.
    public let symbol: String
    /// The name where only ASCII is shown: `pi_G`, `RKL*`.
    public let ascii: String
    /// The command-line name, also the CSV and JSON key: `escort`, `rkl`.
    public let key: String
    /// Further accepted spellings: `geometric`, `RKL`, `reverse`…
    public let aliases: [String]

    /// Every derived policy, in chart and report order.
    public static let all: [PolicyName] = [
        PolicyName(id: .escort, symbol: "π_G", ascii: "pi_G", key: "escort", aliases: ["geometric", "πG", "piG"]),
        PolicyName(id: .mixture, symbol: "π_A", ascii: "pi_A", key: "mixture", aliases: ["arithmetic", "πA", "piA"]),
        PolicyName(id: .harmonic, symbol: "π_H", ascii: "pi_H", key: "harmonic", aliases: ["πH", "piH"]),
        PolicyName(id: .reverseKL, symbol: "RKL*", ascii: "RKL*", key: "rkl", aliases: ["RKL", "reverse", "reverse-kl", "π*_RKL", "pi*_RKL"]),
        PolicyName(id: .forwardKL, symbol: "FKL*", ascii: "FKL*", key: "fkl", aliases: ["FKL", "forward", "forward-kl", "π*_FKL", "pi*_FKL"]),
        PolicyName(id: .mrpo, symbol: "MRPO", ascii: "MRPO", key: "mrpo", aliases: ["MRPO*"]),
    ]

    /// Every spelling of this policy.
    public var spellings: [String] { [symbol, ascii, key] + aliases }

    /// The derived policy called `name` in any of its spellings, ignoring case; nil when none is.
    public static func policy(named name: String) -> PolicyName? {
        let wanted = name.lowercased()
        return all.first { $0.spellings.contains { $0.lowercased() == wanted } }
    }

    /// The table's entry for `id`; nil for references and per-reference optima.
    public static func of(_ id: PolicyID) -> PolicyName? { all.first { $0.id == id } }
}
