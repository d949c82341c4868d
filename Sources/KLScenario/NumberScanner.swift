import KLMath
/// Reads numbers straight from bytes, without a `String` per value: the scanner behind CSV/TSV/TXT
/// data files and long inline lists of numbers in scenario files. A decimal (`-0.5`, `.5`, `1e-05`,
/// the form nearly every number in a big file takes) is converted by `strtod` from a stack buffer;
/// anything else is handed back as nil for the caller's slower, complete rules.
enum NumberScanner {
    /// The longest decimal converted on the fast path; longer ones take the caller's path.
    static let maxDecimalLength = 63

    /// The value of `bytes` when they spell a decimal, `[±]digits[.digits][e[±]digits]` with at
    /// least one mantissa digit (the same grammar as `ScalarText.number`), else nil. Also nil
    /// while the C locale's decimal point is not `.` (the explorer takes LC_ALL from the
    /// environment), since `strtod` follows it: the caller's rules then read the text.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count > 0, bytes.count <= maxDecimalLength, isDecimal(bytes), decimalPointIsDot() else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
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
