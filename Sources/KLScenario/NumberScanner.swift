import KLMath
/// Reads numbers straight from bytes, without a `String` per value: the scanner behind CSV/TSV/TXT
/// data files and long inline lists of numbers in scenario files. A decimal (`-0.5`, `.5`, `1e-05`,
/// the form nearly every number in a big file takes) with at most 15 significant digits and a
/// small power of ten is computed exactly (Clinger's fast path: one correctly rounded multiply
/// or divide of two exact doubles); any other decimal is converted by `strtod` from a stack
/// buffer, so every result is correctly rounded. Anything else is handed back as nil for the
/// caller's slower, complete rules.
enum NumberScanner {
    /// The longest decimal converted on the fast path; longer ones take the caller's path.
    static let maxDecimalLength = 63

    /// The powers of ten a double holds exactly.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    /// The value of `bytes` when they spell a decimal, `[±]digits[.digits][e[±]digits]` with at
    /// least one mantissa digit (the same grammar as `ScalarText.number`), else nil. A decimal
    /// the exact path cannot take is also nil while the C locale's decimal point is not `.` (the
    /// explorer takes LC_ALL from the environment), since `strtod` follows it: the caller's
    /// rules then read the text.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count > 0, bytes.count <= maxDecimalLength, isDecimal(bytes) else { return nil }
        if let value = exact(bytes) { return value }
        guard decimalPointIsDot() else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// The value of a decimal `bytes` (already checked by `isDecimal`) when its significant
    /// digits make an integer below 10^15 and its power of ten is within ±22: both are exact
    /// doubles, so one multiply or divide rounds correctly. Else nil.
    private static func exact(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0, mantissa: UInt64 = 0, digits = 0, scale = 0
        let end = bytes.count
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative || bytes[0] == UInt8(ascii: "+") { index = 1 }
        var afterPoint = false
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                afterPoint = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                if mantissa != 0 || byte != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 15 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte &- UInt8(ascii: "0"))
                if afterPoint { scale -= 1 }
            } else {
                break // the exponent
            }
            index += 1
        }
        if index < end {
            index += 1 // `e` or `E`
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            while index < end {
                exponent = exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                guard exponent <= 100 else { return nil }
                index += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        var value = Double(mantissa)
        if mantissa != 0 {
            guard abs(scale) <= 22 else { return nil }
            value = scale < 0 ? value / exactPowers[-scale] : value * exactPowers[scale]
        }
        return negative ? -value : value
    }

    /// Whether `strtod` reads `.` as the decimal point in the current locale.
    private static func decimalPointIsDot() -> Bool {
        guard let point = localeconv()?.pointee.decimal_point else { return false }
        return point[0] == CChar(UInt8(ascii: ".")) && point[1] == 0
    }

    /// Whether `bytes` read `[±]digits[.digits][e[±]digits]` with at least one mantissa digit.
    static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let end = bytes.count
        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        func skipDigits() -> Int {
            let start = index
            while index < end, isDigit(bytes[index]) { index += 1 }
            return index - start
        }
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissaDigits = skipDigits()
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissaDigits += skipDigits()
        }
        guard mantissaDigits > 0 else { return false }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return index == end
    }
}
