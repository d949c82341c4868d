import Foundation

/// What went wrong reading a data file a scenario names (`probs: chat.npy`): the place in the
/// data file (`offset 128`, `line 7`, or empty for the whole file) and what is wrong.
struct DataFileError: Error, Equatable {
    /// `offset N` (bytes, for `.npy`) or `line N` (text files); empty when the whole file is at fault.
    var location: String
    var message: String
    /// Whether the file does not exist (a scenario's `generate:` hint then says how to make it).
    var isMissingFile = false
}

/// A column of numbers read from a data file, with where each one came from for messages.
struct DataColumn {
    var values: [Double]
    /// The labels of `label,value` rows, when the file had them.
    var labels: [String]?
    /// For `.npy`: the byte offset of the first value and the size of one.
    var dataOffset = 0
    var itemSize = 0
    /// For text files: the 1-based line of the first value; every later line holds the next
    /// value (a text file has no other lines but a header before the first).
    var firstLine: Int? = nil

    /// Where value `index` is in the file: `offset 136` or `line 9`.
    func location(of index: Int) -> String {
        firstLine.map { "line \($0 + index)" } ?? "offset \(dataOffset + index * itemSize)"
    }
}

/// Reads the data files a scenario may name instead of listing numbers: NumPy `.npy`
/// (one-dimensional float32 or float64, little-endian, header versions 1.0 and 2.0), a named
/// one-dimensional tensor of a `.safetensors` file (`logits.safetensors#chat`; SafeTensors.swift), and
/// CSV/TSV or plain text (one value per line, or `label,value` rows, with or without a header);
/// and writes `.npy` files (`numPyBytes`) for tests and the vocabulary benchmark.
public enum DataFile {
    /// The extensions a value naming a data file ends in.
    static let extensions: Set<String> = ["npy", "csv", "tsv", "txt"]

    /// Whether a scenario value names a data file: a path ending in one of `extensions`, or a
    /// tensor in a safetensors file (`logits.safetensors#chat`).
    static func isDataFile(_ path: String) -> Bool {
        extensions.contains((path as NSString).pathExtension.lowercased()) || isSafeTensors(path)
    }

    /// The largest data file read (a million float64 values take 8 MB).
    static let maxBytes = 1 << 30

    /// The bytes of the file, with errors worded for the user.
    static func bytes(atPath path: String) throws(DataFileError) -> [UInt8] {
        do {
            return try FileSystem.readBytes(atPath: path, limit: maxBytes)
        } catch {
            throw readError(error)
        }
    }

    /// A failure to read a data file, worded for the user.
    static func readError(_ error: FileSystemError) -> DataFileError {
        switch error.code {
        case ENOENT: DataFileError(location: "", message: "data file not found", isMissingFile: true)
        case EISDIR: DataFileError(location: "", message: "is a folder, not a data file")
        case FileSystem.tooLarge: DataFileError(location: "", message: "the data file is larger than \(maxBytes >> 20) MiB")
        default: DataFileError(location: "", message: "cannot read the data file: \(error.reason)")
        }
    }

    /// Whether `path` names a NumPy file.
    static func isNumPy(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "npy" }

    /// The numbers in the file at `path`: `.npy`, or text (CSV, TSV, one value per line). With
    /// `expectedLabels`, the labels of a text file's `label,value` rows must be those, and reading
    /// a text file stops one value past their number (`textNumbers`).
    static func numbers(atPath path: String, expectedLabels: [String]? = nil) throws(DataFileError) -> DataColumn {
        if let (file, tensor) = safeTensorsParts(path) { return try safeTensors(try bytes(atPath: file), tensor: tensor) }
        if isNumPy(path) { return try numPy(try bytes(atPath: path)) }
        return try textNumbers(atPath: path, tabSeparated: isTabSeparated(path), expectedLabels: expectedLabels)
    }

    /// The labels in the file at `path`: one per line (`.txt`), or the first column of a CSV/TSV
    /// with two columns (`label,value`). Label `i` is on line `i + 1` (`LineReader` gives every
    /// line but blank ones at the end). Reading stops after `most + 1` labels (one too many).
    static func labels(atPath path: String, most: Int = Int.max, reader: LineReader = LineReader()) throws(DataFileError) -> [String] {
        if isNumPy(path) || isSafeTensors(path) {
            throw DataFileError(location: "", message: "labels cannot come from a .npy file or a .safetensors tensor; give a .txt file with one label per line, or a CSV")
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let separator: UInt8? = ext == "csv" ? UInt8(ascii: ",") : ext == "tsv" ? UInt8(ascii: "\t") : nil
        var labels: [String] = []
        try reader.forEachLine(atPath: path) { _, line in
            labels.append(separator.map { firstCell(line, separator: $0) } ?? String(decoding: line, as: UTF8.self))
            return labels.count <= most
        }
        return labels
    }

    /// The first cell of a CSV/TSV row: cut in place from a row of ASCII without quotes, else by `splitRow`.
    private static func firstCell(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8) -> String {
        guard let row = PlainRow(line, separator: separator) else {
            return splitRow(String(decoding: line, as: UTF8.self), separator: Character(Unicode.Scalar(separator)))[0]
        }
        return String(decoding: trimmed(line, 0..<row.first), as: UTF8.self)
    }

    /// Where a row of ASCII without quotes is cut, found in one pass of eight bytes at a time:
    /// such a row is cut in place rather than by `splitRow`.
    private struct PlainRow {
        /// How many cells: one more than separators.
        var count = 1
        /// Where the first and the last separator are; the row's length when it has none.
        var first: Int, last: Int

        /// The cuts of `line` at `separator` (a comma or a tab), or nil when it has a byte that
        /// is not ASCII or a quote.
        init?(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8) {
            (first, last) = (line.count, line.count)
            guard let base = line.baseAddress else { return }
            func word(at offset: Int) -> UInt64 { UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)) }
            let ones: UInt64 = 0x0101_0101_0101_0101
            var index = 0
            while index < line.count {
                // Eight bytes from `index`, the first lowest; past the row's end, zeros (no separator, no quote).
                var bytes: UInt64 = 0
                if line.count - index >= 8 {
                    bytes = word(at: index)
                } else if line.count >= 8 {
                    bytes = word(at: line.count - 8) >> (8 * (8 - (line.count - index)))
                } else {
                    for offset in index..<line.count { bytes |= UInt64(base[offset]) << (8 * (offset - index)) }
                }
                guard (Self.zeroBytes(bytes ^ ones &* UInt64(UInt8(ascii: "\""))) | bytes) & 0x8080_8080_8080_8080 == 0 else { return nil }
                let separators = Self.zeroBytes(bytes ^ ones &* UInt64(separator))
                if separators != 0 {
                    if count == 1 { first = index + separators.trailingZeroBitCount / 8 }
                    last = index + (63 - separators.leadingZeroBitCount) / 8
                    count += separators.nonzeroBitCount
                }
                index += 8
            }
        }

        /// 0x80 in each byte of `word` that is zero, 0 in the others (exact: no byte carries into the next).
        private static func zeroBytes(_ word: UInt64) -> UInt64 {
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            return ~(((word & low) &+ low) | word | low)
        }
    }

    /// The bytes of `range` in `line` without leading and trailing spaces and tabs.
    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        var (low, high) = (range.lowerBound, range.upperBound)
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while low < high, isSpace(line[low]) { low += 1 }
        while high > low, isSpace(line[high - 1]) { high -= 1 }
        return UnsafeBufferPointer(rebasing: line[low..<high])
    }

    // MARK: NumPy

    /// The values of a one-dimensional little-endian float32/float64 `.npy` file.
    static func numPy(_ data: [UInt8]) throws(DataFileError) -> DataColumn {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard data.count >= 10, Array(data[0..<6]) == magic else {
            throw DataFileError(location: "offset 0", message: "bad header: not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = data[6], minor = data[7]
        let headerLength: Int, headerStart: Int
        switch (major, minor) {
        case (1, 0):
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        case (2, 0), (3, 0):
            guard data.count >= 12 else { throw DataFileError(location: "offset 8", message: "truncated: the header length is cut off") }
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        default:
            throw DataFileError(location: "offset 6", message: "bad header: unsupported .npy version \(major).\(minor); expected 1.0 or 2.0")
        }
        let dataOffset = headerStart + headerLength
        guard dataOffset <= data.count else {
            throw DataFileError(location: "offset \(headerStart)", message: "truncated: the header says \(headerLength) bytes, the file has \(data.count - headerStart) after the preamble")
        }
        guard let header = String(bytes: data[headerStart..<dataOffset], encoding: .isoLatin1), header.hasSuffix("\n") else {
            throw DataFileError(location: "offset \(headerStart)", message: "bad header: the header does not end with a newline")
        }
        let descr = headerValue(header, key: "descr")
        let itemSize: Int
        switch descr {
        case "'<f8'": itemSize = 8
        case "'<f4'": itemSize = 4
        case nil: throw DataFileError(location: "offset \(headerStart)", message: "bad header: no 'descr' in \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        default:
            throw DataFileError(location: "offset \(headerStart)", message: "wrong dtype \(descr!): expected little-endian float64 '<f8' or float32 '<f4' (numpy: array.astype(numpy.float64))")
        }
        switch headerValue(header, key: "fortran_order") {
        case "False", "True": break // a one-dimensional array is the same in either order
        default: throw DataFileError(location: "offset \(headerStart)", message: "bad header: no 'fortran_order' True or False")
        }
        guard let shapeText = headerValue(header, key: "shape") else {
            throw DataFileError(location: "offset \(headerStart)", message: "bad header: no 'shape'")
        }
        let dimensions = shapeText.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard dimensions.count == 1, let count = Int(dimensions[0]), count >= 0 else {
            throw DataFileError(location: "offset \(headerStart)", message: "expected a one-dimensional array, shape (n,), got shape \(shapeText) (numpy: array.reshape(-1))")
        }
        let available = data.count - dataOffset
        // The shape is untrusted: a product too large for an Int is a file too short for it.
        let (expectedBytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else {
            throw DataFileError(location: "offset \(headerStart)", message: "bad header: shape (\(count),) needs more than \(Int.max) bytes of data, the file has \(available)")
        }
        guard available >= expectedBytes else {
            throw DataFileError(location: "offset \(data.count)", message: "truncated: shape (\(count),) needs \(expectedBytes) bytes of data, the file has \(available)")
        }
        guard available == expectedBytes else {
            throw DataFileError(location: "offset \(dataOffset + expectedBytes)", message: "\(available - expectedBytes) bytes after the \(count) values of shape (\(count),)")
        }
        let values = (itemSize == 8 ? FloatEncoding.float64 : .float32).decode(data, offset: dataOffset, count: count)
        return DataColumn(values: values, labels: nil, dataOffset: dataOffset, itemSize: itemSize)
    }

    /// The text of `key`'s value in a `.npy` header dict: `'<f8'`, `False`, `(3,)`.
    static func headerValue(_ header: String, key: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: .whitespaces)
    }

    /// The `.npy` bytes `numpy.save` writes for a one-dimensional array (for tests and benchmarks).
    public static func numPyBytes(_ values: [Double], float32: Bool = false, version: UInt8 = 1) -> [UInt8] {
        let descr = float32 ? "<f4" : "<f8"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(values.count),), }"
        let preamble = version == 1 ? 10 : 12
        let padding = 64 - (preamble + header.utf8.count + 1) % 64
        header += String(repeating: " ", count: padding % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.utf8.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        bytes += Array(header.utf8)
        for value in values {
            if float32 {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes += $0 }
            } else {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        return bytes
    }

    // MARK: Text

    static func isTabSeparated(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "tsv" }

    /// The cells of one CSV row; a cell in double quotes may hold the separator (`""` is a quote).
    static func splitRow(_ line: String, separator: Character) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false, wasQuoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    cell.append(character)
                }
            } else if character == "\"" {
                if wasQuoted { cell.append("\"") }
                quoted = true
                wasQuoted = true
            } else if character == separator {
                cells.append(wasQuoted ? cell : cell.trimmingCharacters(in: .whitespaces))
                cell = ""
                wasQuoted = false
            } else {
                cell.append(character)
            }
        }
        cells.append(wasQuoted ? cell : cell.trimmingCharacters(in: .whitespaces))
        return cells
    }

    /// Numbers from text: one per line, or `label,value` rows; a first row whose value is not a
    /// number is a header and skipped. The bytes are scanned in place (`NumberScanner`): a row
    /// of ASCII without quotes makes no `String` but its label; other rows take `splitRow`.
    /// With `expectedLabels`, the labels of `label,value` rows are compared with them as they are
    /// read (a row whose label differs is an error) and not kept, and reading stops at one value
    /// more than there are expected labels (the length is then wrong, whatever follows); without,
    /// at one more than `ScenarioLimits.maxResponses`, more than any scenario can use.
    static func textNumbers(atPath path: String, tabSeparated: Bool, expectedLabels: [String]? = nil,
                            reader: LineReader = LineReader()) throws(DataFileError) -> DataColumn {
        let separator = UInt8(ascii: tabSeparated ? "\t" : ",")
        var values: [Double] = [], labels: [String] = []
        values.reserveCapacity(expectedLabels?.count ?? 0) // the length it should have: no growth
        var columns: Int? = nil, firstLine: Int? = nil
        var failure: DataFileError? = nil
        try reader.forEachLine(atPath: path) { number, line in
            // Past the expected labels the length is wrong, which the caller reports.
            let expected = expectedLabels.flatMap { values.count < $0.count ? $0[values.count] : nil }
            let cells = Self.cells(line, separator: separator, expected: expected)
            guard cells.count <= 2 else {
                failure = DataFileError(location: "line \(number)", message: "\(cells.count) columns; expected one value, or label\(Character(Unicode.Scalar(separator)))value")
                return false
            }
            if let columns, columns != cells.count {
                failure = DataFileError(location: "line \(number)", message: "\(cells.count) columns, but earlier rows have \(columns)")
                return false
            }
            guard let value = cells.value else {
                if number == 1 { columns = cells.count; return true } // a header
                failure = DataFileError(location: "line \(number)", message: "expected a number, got \"\(cells.valueText)\"")
                return false
            }
            if !cells.matches, let expected {
                failure = DataFileError(location: "line \(number)", message: "label \"\(cells.label ?? "")\" but responses[\(values.count)] is \"\(expected)\"")
                return false
            }
            columns = cells.count
            firstLine = firstLine ?? number
            values.append(value)
            if expectedLabels == nil, let label = cells.label { labels.append(label) }
            return values.count <= expectedLabels?.count ?? ScenarioLimits.maxResponses
        }
        if let failure { throw failure }
        return DataColumn(values: values, labels: columns == 2 && expectedLabels == nil ? labels : nil, firstLine: firstLine ?? 1)
    }

    /// The cells of one text row: how many, the label of a two-column row, and the value.
    private struct Cells {
        var count: Int
        /// The label, unless it was only compared with the one expected and found equal.
        var label: String?
        /// Whether the label is the one expected, when one was.
        var matches = true
        var value: Double?
        /// The value cell as text, for messages.
        var valueText: String
    }

    /// Splits one row at `separator`. A row of ASCII without quotes is cut in place and its value
    /// read by `NumberScanner`; any other row goes through `splitRow` and the full number rules.
    /// With `expected`, a label is compared with it (in place, for a plain row) and kept only when it differs.
    private static func cells(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8, expected: String?) -> Cells {
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        func number(_ text: String) -> Double? { Double(text) ?? ScalarText.number(text) }
        guard let row = PlainRow(line, separator: separator) else {
            let cells = splitRow(text(line), separator: Character(Unicode.Scalar(separator)))
            return Cells(count: cells.count, label: cells.count == 2 ? cells[0] : nil, matches: cells.count != 2 || expected.map { $0 == cells[0] } ?? true,
                         value: number(cells[cells.count - 1]), valueText: cells[cells.count - 1])
        }
        let valueBytes = trimmed(line, row.count == 1 ? 0..<line.count : row.last + 1..<line.count)
        let value = NumberScanner.decimal(valueBytes) ?? number(text(valueBytes))
        let labelBytes = row.count == 2 ? trimmed(line, 0..<row.first) : nil
        let matches = labelBytes.map { bytes in expected.map { Self.spells(bytes, $0) } ?? true } ?? true
        let label = labelBytes.flatMap { expected == nil || !matches ? text($0) : nil }
        return Cells(count: row.count, label: label, matches: matches, value: value, valueText: value == nil ? text(valueBytes) : "")
    }

    /// Whether `bytes` are the UTF-8 of `text`: one `memcmp` with the text's contiguous bytes.
    private static func spells(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == bytes.count && (utf8.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, utf8.count) == 0)
        }
    }
}
