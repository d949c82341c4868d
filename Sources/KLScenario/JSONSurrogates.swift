/// JSON writes a character outside the Basic Multilingual Plane as a UTF-16 surrogate pair,
/// `"\ud83d\ude00"` (Python's `json.dump` does so for every emoji by default); YAML, which
/// reads klscope's JSON, takes `\u` escapes as code points and refuses surrogates. This pass
/// turns each escaped pair into the character itself before YAML reads the text.
enum JSONSurrogates {
    /// `text` with every `\uD8xx\uDCxx` pair inside a double-quoted string replaced by the
    /// UTF-8 character it encodes, when `text` looks like JSON (its first character that is not
    /// white space is `{` or `[`); other text is returned as it is. A surrogate without its other
    /// half is an error located at its backslash. Columns that YAML reports later on a line
    /// holding a pair count the pair as one character.
    static func decoded(_ text: String, fileName: String) throws(ScenarioError) -> String {
        var text = text
        let result = text.withUTF8 { bytes -> Result<[UInt8]?, ScenarioError> in
            do throws(ScenarioError) {
                return .success(try decoded(bytes, fileName: fileName))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let bytes?): return String(decoding: bytes, as: UTF8.self)
        case .success(nil): return text
        case .failure(let error): throw error
        }
    }

    /// The decoded bytes, or nil when there is nothing to change.
    private static func decoded(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws(ScenarioError) -> [UInt8]? {
        guard let first = bytes.firstIndex(where: { !" \t\r\n".utf8.contains($0) }), bytes[first] == UInt8(ascii: "{") || bytes[first] == UInt8(ascii: "[")
        else { return nil }
        var output: [UInt8]?
        var copied = 0
        var inString = false
        var i = first
        var line = 1, lineStart = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            } else if !inString {
                if byte == UInt8(ascii: "\"") { inString = true }
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            } else if byte == UInt8(ascii: "\\"), i + 1 < count {
                guard bytes[i + 1] == UInt8(ascii: "u"), let high = hexUnit(bytes, at: i + 2), (0xD800...0xDFFF).contains(high) else {
                    i += 2  // any other escape, \" and \\ included, is two bytes
                    continue
                }
                func lone(_ unit: UInt16, _ problem: String) -> ScenarioError {
                    let column = bytes[lineStart..<i].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
                    return ScenarioError(file: fileName, line: line, column: column,
                                         message: "lone UTF-16 surrogate \\u\(String(unit, radix: 16)) in a string: \(problem)")
                }
                guard high < 0xDC00 else { throw lone(high, "a low surrogate must follow a high one (\\ud83d\\ude00 is 😀)") }
                guard i + 11 < count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                      let low = hexUnit(bytes, at: i + 8), (0xDC00...0xDFFF).contains(low)
                else { throw lone(high, "a high surrogate must be followed by a low one (\\ud83d\\ude00 is 😀)") }
                let scalar = Unicode.Scalar(0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(low - 0xDC00))!
                if output == nil { output = []; output!.reserveCapacity(count) }
                output!.append(contentsOf: bytes[copied..<i])
                output!.append(contentsOf: UTF8.encode(scalar)!)
                i += 12
                copied = i
                continue
            }
            i += 1
        }
        guard var output else { return nil }
        output.append(contentsOf: bytes[copied..<count])
        return output
    }

    /// The four hexadecimal digits at `index` as a UTF-16 code unit, or nil.
    private static func hexUnit(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
