import CLibc
import KLMath
/// Reads numbers straight from bytes, without a `String` per value: the scanner behind CSV/TSV/TXT
/// data files and long inline lists of numbers in scenario files. A decimal (`-0.5`, `.5`, `1e-05`,
/// the form nearly every number in a big file takes) is read in one pass into its first 19
/// significant digits and a power of ten. A mantissa of at most 2^53 with a power within ±22 is
/// computed exactly (Clinger's fast path: one correctly rounded multiply or divide of two exact
/// doubles); any other mantissa of at most 19 digits goes to the Eisel–Lemire algorithm
/// (`klscope_decimal_to_double`), which rounds correctly or says it cannot tell; what is left
/// (more digits, halfway cases, subnormals, overflow) is converted by `strtod` from a stack
/// buffer, so every result is correctly rounded. Anything else is handed back as nil for the
/// caller's slower, complete rules.
enum NumberScanner {
    /// The longest decimal converted on the fast path; longer ones take the caller's path.
    static let maxDecimalLength = 63

    /// The powers of ten a double holds exactly.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    /// A decimal read from its text: `±mantissa × 10^exponent`, the mantissa holding the first
    /// 19 significant digits (leading zeros are not significant).
    private struct Parts {
        var negative = false
        var mantissa: UInt64 = 0
        var exponent = 0
        /// Whether a digit that is not 0 came after the first 19 significant ones: the mantissa
        /// is then cut and only `strtod` rounds the text correctly.
        var truncated = false
    }

    /// The value of `bytes` when they spell a decimal, `[±]digits[.digits][e[±]digits]` with at
    /// least one mantissa digit (the same grammar as `ScalarText.number`), else nil. A decimal
    /// the fast paths cannot take is also nil while the C locale's decimal point is not `.` (the
    /// explorer takes LC_ALL from the environment), since `strtod` follows it: the caller's
    /// rules then read the text.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count > 0, bytes.count <= maxDecimalLength, let parts = parts(bytes) else { return nil }
        if let value = fast(parts) { return value }
        guard decimalPointIsDot() else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// Whether `bytes` read `[±]digits[.digits][e[±]digits]` with at least one mantissa digit.
    static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { parts(bytes) != nil }

    /// The correctly rounded value of `parts` by Clinger's fast path or Eisel–Lemire, or nil
    /// when neither can give it.
    private static func fast(_ parts: Parts) -> Double? {
        guard !parts.truncated else { return nil }
        var magnitude: Double
        if parts.mantissa <= 1 << 53 && abs(parts.exponent) <= 22 {
            magnitude = Double(parts.mantissa) // exact, as is the power: one rounding
            magnitude = parts.exponent < 0 ? magnitude / exactPowers[-parts.exponent] : magnitude * exactPowers[parts.exponent]
        } else {
            magnitude = 0
            guard klscope_decimal_to_double(parts.mantissa, Int32(parts.exponent), &magnitude) != 0 else { return nil }
        }
        return parts.negative ? -magnitude : magnitude
    }

    /// The parts of `bytes` when they read `[±]digits[.digits][e[±]digits]` with at least one
    /// mantissa digit, else nil. Digits after the first significant one are taken eight at a
    /// time where they can be (`eightDigits`). An exponent beyond ±100,000 is held at that: the
    /// value is then zero or infinite whatever the digits, and `strtod` says which.
    private static func parts(_ bytes: UnsafeBufferPointer<UInt8>) -> Parts? {
        var parts = Parts()
        var index = 0, digits = 0, significant = 0, afterPoint = false
        let end = bytes.count
        if end > 0, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            parts.negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        while index < end {
            let value = bytes[index] &- UInt8(ascii: "0")
            guard value < 10 else {
                guard bytes[index] == UInt8(ascii: "."), !afterPoint else { break }
                afterPoint = true
                index += 1
                continue
            }
            if significant > 0, significant <= 11, end - index >= 8,
               let eight = eightDigits(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                parts.mantissa = parts.mantissa &* 100_000_000 &+ eight // at most 19 digits: below 2^64
                (significant, digits, index) = (significant + 8, digits + 8, index + 8)
                if afterPoint { parts.exponent -= 8 }
                continue
            }
            digits += 1
            index += 1
            if significant < 19 {
                if significant > 0 || value != 0 { // not a leading zero
                    parts.mantissa = parts.mantissa &* 10 &+ UInt64(value)
                    significant += 1
                }
                if afterPoint { parts.exponent -= 1 }
            } else {
                if !afterPoint { parts.exponent += 1 }
                if value != 0 { parts.truncated = true }
            }
        }
        guard digits > 0 else { return nil }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var negative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            var exponent = 0
            while index < end, case let value = bytes[index] &- UInt8(ascii: "0"), value < 10 {
                exponent = min(exponent * 10 + Int(value), 100_000)
                index += 1
            }
            guard index > start else { return nil }
            parts.exponent += negative ? -exponent : exponent
        }
        return index == end ? parts : nil
    }

    /// The value of eight ASCII digits in the bytes of `word` as loaded from memory (the first
    /// digit first), or nil when a byte is not a digit: three multiplies instead of eight.
    private static func eightDigits(_ loaded: UInt64) -> UInt64? {
        let word = UInt64(littleEndian: loaded)
        // A byte below "0" borrows into its top bit, one above "9" carries into it.
        guard ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0 else { return nil }
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8) // pairs of digits as numbers below 100
        let pairs: UInt64 = 0x0000_00FF_0000_00FF
        // 100 and 10^6 times the first and third pairs and 1 and 10^4 times the second and fourth, summed in the top half.
        return ((value & pairs) &* 0x000F_4240_0000_0064 &+ ((value >> 16) & pairs) &* 0x0000_2710_0000_0001) >> 32
    }

    /// Whether `strtod` reads `.` as the decimal point in the current locale.
    private static func decimalPointIsDot() -> Bool {
        guard let point = localeconv()?.pointee.decimal_point else { return false }
        return point[0] == CChar(UInt8(ascii: ".")) && point[1] == 0
    }
}
