import CLibc
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
        // The decimal exponent after rounding to `digits` digits: 9.99996 prints as 10.00, not 10.000.
        let magnitude = abs(value)
        var exponent = Int(floor(log10(magnitude)))
        if (magnitude * pow(10, Double(digits - 1 - exponent))).rounded() >= pow(10, Double(digits)) { exponent += 1 }
        if (-3...4).contains(exponent) {
            return printed(value, decimals: max(0, digits - 1 - exponent), scientific: false)
        }
        return printed(value, decimals: max(0, digits - 2), scientific: true)  // `1.23e-7`, `1.2e8`
    }

    /// `value` printed by C's `%.Nf` or `%.Ne` with a compact exponent (`String(format:)` costs a
    /// dynamic cast per argument, and a 150,000-row table prints two million numbers).
    private static func printed(_ value: Double, decimals: Int, scientific: Bool) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            _ = klscope_print_double(buffer.baseAddress!, buffer.count, Int32(decimals), scientific ? 1 : 0, value)
            return String(cString: buffer.baseAddress!)
        }
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
