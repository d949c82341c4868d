import Foundation

/// How klscope prints numbers for people: a fixed number of significant digits,
/// scientific notation for the very small and very large, and words for infinities.
public enum NumberFormat {
    /// `value` with `digits` significant digits: `0.3500`, `-1.234`, `1.2e-07`, `∞`, `−∞`.
    /// `ascii` spells infinities `inf` and `-inf`.
    public static func short(_ value: Double, digits: Int = 4, ascii: Bool = false) -> String {
        if value.isNaN { return "undefined" }
        if value.isInfinite { return value > 0 ? (ascii ? "inf" : "∞") : (ascii ? "-inf" : "−∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e5 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.\(max(0, digits - 2))e", value)
            .replacingOccurrences(of: "e-0", with: "e-")
            .replacingOccurrences(of: "e+0", with: "e")
            .replacingOccurrences(of: "e+", with: "e")
    }

    /// A probability as a percentage for bar labels: `35.0%`, `0.02%`, `<0.01%`, `0`.
    public static func percent(_ probability: Double) -> String {
        if probability <= 0 { return "0" }
        let percent = probability * 100
        if percent < 0.01 { return "<0.01%" }
        if percent >= 99.995 && probability < 1 { return ">99.99%" }
        return percent >= 10 ? String(format: "%.1f%%", percent) : String(format: "%.2f%%", percent)
    }

    /// The shortest text that reads back to exactly `value` (`"0.1"`, `"1e-300"`);
    /// nil for infinities and NaN, which JSON cannot hold.
    public static func roundTrip(_ value: Double) -> String? {
        value.isFinite ? "\(value)" : nil
    }
}
