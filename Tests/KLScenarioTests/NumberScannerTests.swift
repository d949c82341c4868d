import CLibc
import Foundation
import KLMath
import Testing
@testable import KLScenario

/// The decimal scanner behind data files and long inline lists rounds every decimal exactly as
/// `strtod` does, bit for bit, whichever path reads it: Clinger's exact one, Eisel–Lemire
/// (`klscope_decimal_to_double`) for mantissas of up to 19 digits, or `strtod` itself.
@Suite struct NumberScannerTests {
    /// The scanner's value of `text`.
    static func scan(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer(NumberScanner.decimal) }

    /// Expects the scanner to read `text` as `strtod` does, to the bit.
    static func expectLikeStrtod(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(scan(text)?.bitPattern == strtod(text, nil).bitPattern, "\(text)", sourceLocation: sourceLocation)
    }

    /// Random decimals of 15 to 22 significant digits (the 16 and 17 of a double's shortest
    /// text, and more), with leading zeros, the point anywhere and exponents over the whole
    /// range of doubles and past it, spelled every way the grammar allows.
    @Test func longMantissasRoundLikeStrtod() {
        var generator = SplitMix64(seed: 24)
        func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        for _ in 0..<50_000 {
            var digits = String(1 + below(9))
            for _ in 1..<(15 + below(8)) { digits.append(String(below(10))) }
            let zeros = String(repeating: "0", count: below(4))
            let point = below(digits.count + 1)
            let mark = below(4) == 0 && point == digits.count ? "" : "." // an integer, or `5.`
            let mantissa = zeros + String(digits.prefix(point)) + mark + String(digits.dropFirst(point))
            let power = below(660) - 345
            let sign = power < 0 ? "-" : below(2) == 0 ? "+" : ""
            let exponent = below(5) == 0 ? "" : (below(2) == 0 ? "e" : "E") + sign + (below(4) == 0 ? "0" : "") + String(abs(power))
            Self.expectLikeStrtod((below(2) == 0 ? "-" : "") + mantissa + exponent)
        }
    }

    /// Every double's shortest text (Swift's `description`, 17 digits at most), and the same
    /// digits with the last one moved by one: neighbours of halfway points.
    @Test func shortestTextsOfRandomDoublesReadBack() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = "\(value)"
            #expect(Self.scan(text)?.bitPattern == value.bitPattern, "\(text)")
            var moved = Array(text.utf8)
            if let last = moved.lastIndex(where: { (UInt8(ascii: "1")...UInt8(ascii: "8")).contains($0) }) {
                moved[last] += 1
                Self.expectLikeStrtod(String(decoding: moved, as: UTF8.self))
            }
        }
    }

    /// Halfway cases, the ends of the exact and Eisel–Lemire paths, subnormals, the largest
    /// doubles and past them, zeros and the short spellings.
    @Test(arguments: [
        "9007199254740993", "9007199254740992", "9007199254740994", "9007199254740995", "18014398509481985",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "99999999999999999999",
        "1.00000000000000011102230246251565404236316680908203125", "1.0000000000000001110223024625156540423631668090820312",
        "1.0000000000000001110223024625156540423631668090820313", "0.1", "0.3", "2.5", "3.5", "1e23", "8.589973e9",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072009e-308", "4.9406564584124654e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-323", "1e-342", "1e-343", "1e-400", "123456789012345678e-360",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "0.1e310",
        "-0", "-0.0", "0e400", "-0e-400", "0.000", ".5", "5.", "-.5", "+5.", "1e-05", "1E+05", "1e005", "00000000000000000000001.5",
        "0.00000000000000000000000000000000000123456789012345678", "1.0000000000000000000000000000000",
        "123456789012345678900000000000", "1234567890123456789.0000000001", "0.00010027073097362880", "12345678.12345678e-3",
    ])
    func edgeCasesRoundLikeStrtod(text: String) {
        Self.expectLikeStrtod(text)
    }

    @Test func onlyDecimalsAreRead() {
        for text in ["", "+", "-", ".", "-.", "+.e1", "e5", "1e", "1e+", "1e5.5", "1.2.3", "--1", "1..2", "12345678a", "1234567x90",
                     "123456789012345x7890", "1234567.90123456_8", "0x10", "1_000", ".inf", "nan", " 1", "1 ", "١٢", "1e٢"] {
            #expect(Self.scan(text) == nil, "\(text)")
            #expect(!Array(text.utf8).withUnsafeBufferPointer(NumberScanner.isDecimal), "\(text)")
        }
        #expect(Self.scan("12345678901234567") == 12_345_678_901_234_568 && Self.scan("-0")?.sign == .minus)
        #expect(Array("1234567890.5".utf8).withUnsafeBufferPointer(NumberScanner.isDecimal))
    }

    /// Eisel–Lemire decides nearly every mantissa of up to 19 digits (so `strtod` is rare) and
    /// refuses the cases it cannot: a halfway point, subnormals, overflow, powers outside its table.
    @Test func eiselLemireDecidesAlmostAllAndRefusesWhatItCannot() {
        func convert(_ mantissa: UInt64, _ exponent: Int32) -> Double? {
            var result = 0.0
            return klscope_decimal_to_double(mantissa, exponent, &result) != 0 ? result : nil
        }
        var generator = SplitMix64(seed: 19)
        var decided = 0
        for _ in 0..<20_000 {
            let mantissa = 1 + generator.next() % 9_999_999_999_999_999_999
            let exponent = Int32(generator.next() % 561) - 280 // neither subnormal nor infinite
            guard let value = convert(mantissa, exponent) else { continue }
            decided += 1
            #expect(value.bitPattern == strtod("\(mantissa)e\(exponent)", nil).bitPattern, "\(mantissa)e\(exponent)")
        }
        #expect(decided > 19_980, "\(decided)")
        #expect(convert(1_002_707_309_736_288, -19) == 0.0001002707309736288)
        #expect(convert(0, 400) == 0)
        #expect(convert(9_007_199_254_740_993, 0) == nil) // 2^53 + 1: halfway between two doubles
        #expect(convert(1, -320) == nil && convert(1, 309) == nil && convert(1, -343) == nil && convert(1, 400) == nil)
    }
}
