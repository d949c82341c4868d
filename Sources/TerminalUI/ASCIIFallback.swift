import Foundation

/// Plain-ASCII stand-ins for text meant for terminals that show nothing else: Greek letters
/// spelled out, mathematical symbols approximated, accents dropped, anything else `?`.
public enum ASCIIFallback {
    private static let spelled: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "θ": "theta",
        "κ": "kappa", "λ": "lambda", "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi",
        "χ": "chi", "ψ": "psi", "ω": "omega", "Δ": "Delta", "Σ": "Sum", "Π": "Prod", "Ω": "Omega",
        "∞": "inf", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "±": "+-", "×": "x", "÷": "/", "−": "-",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "↗": "^", "⇒": "=>", "∩": "I", "∪": "U", "∈": "in",
        "‖": "||", "·": ".", "•": "*", "…": "...", "—": "-", "–": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"",
        "▶": ">", "●": "*", "✓": "v", "✗": "x",
    ]

    /// `text` with every non-ASCII character replaced by an ASCII spelling.
    public static func transliterate(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var result = ""
        for character in text {
            if character.isASCII {
                result.append(character)
            } else if let spelling = spelled[character] {
                result += spelling
            } else {
                result.append(single(character))
            }
        }
        return result
    }

    /// One ASCII character standing for `character`: itself, its letter without accents, or `?`.
    public static func single(_ character: Character) -> Character {
        if character.isASCII { return character }
        if let spelling = spelled[character], spelling.count == 1 { return spelling.first! }
        let folded = String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        if folded.count == 1, let first = folded.first, first.isASCII { return first }
        return "?"
    }
}

extension Grid {
    /// Replaces every cell whose character is not ASCII with `ASCIIFallback.single` of it.
    public mutating func replaceNonASCII() {
        for row in 0..<height {
            for column in 0..<width where !self[column, row].character.isASCII {
                self[column, row].character = ASCIIFallback.single(self[column, row].character)
            }
        }
    }
}
