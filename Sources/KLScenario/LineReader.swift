import Foundation

/// Reads a text data file line by line, `chunkBytes` at a time, so that reading holds one chunk
/// and the start of one line, not the whole file: a line may be at most `chunkBytes` long.
/// Lines are numbered from 1; a byte-order mark is skipped, the line end (LF or CR LF) removed,
/// and blank lines at the end of the file dropped (a blank line is empty or only CRs, and is
/// given as empty). Each line is checked to be UTF-8.
final class LineReader {
    /// The default chunk, and so the longest line: 1 MiB.
    static let defaultChunkBytes = 1 << 20

    let chunkBytes: Int
    /// The most bytes held at once by the last read: the chunk and the buffer of the line carried over.
    private(set) var peakHeldBytes = 0

    init(chunkBytes: Int = LineReader.defaultChunkBytes) {
        self.chunkBytes = chunkBytes
    }

    /// Where the line walk is between chunks.
    private struct Walk {
        var number = 0
        /// Blank lines not given yet: given before the next line that is not blank, else dropped.
        var blankFrom = 0, blanks = 0
        var failure: DataFileError?
        var stopped = false
    }

    /// Calls `body` with each line of the file at `path` and its number until `body` returns false.
    func forEachLine(atPath path: String, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Bool) throws(DataFileError) {
        var walk = Walk()
        var carry: [UInt8] = [] // the start of a line that goes on in the next chunk
        peakHeldBytes = 0
        let limit = chunkBytes
        func tooLong() -> DataFileError {
            DataFileError(location: "line \(walk.number + 1)", message: "the line is longer than \(Self.describe(bytes: limit)), the longest a text data file may have")
        }
        do {
            try FileSystem.readChunks(atPath: path, limit: DataFile.maxBytes, chunkBytes: chunkBytes) { chunk in
                var rest = chunk[...]
                if !carry.isEmpty {
                    // The carried line ends at the chunk's first line feed.
                    guard let end = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                        carry.append(contentsOf: rest)
                        peakHeldBytes = max(peakHeldBytes, limit + carry.capacity)
                        if carry.count > limit { walk.failure = tooLong() }
                        return walk.failure == nil
                    }
                    carry.append(contentsOf: rest[...end])
                    peakHeldBytes = max(peakHeldBytes, limit + carry.capacity)
                    if carry.count > limit + 1 { walk.failure = tooLong(); return false }
                    carry.withUnsafeBufferPointer { _ = Self.split($0, final: false, &walk, body) }
                    carry.removeAll(keepingCapacity: true)
                    rest = rest[(end + 1)...]
                    if walk.stopped { return false }
                }
                let consumed = Self.split(UnsafeBufferPointer(rebasing: rest), final: false, &walk, body)
                if walk.stopped { return false }
                carry.append(contentsOf: rest.dropFirst(consumed))
                peakHeldBytes = max(peakHeldBytes, limit + carry.capacity)
                if carry.count > limit { walk.failure = tooLong() }
                return walk.failure == nil
            }
        } catch {
            throw DataFile.readError(error)
        }
        if let failure = walk.failure { throw failure }
        if !walk.stopped { carry.withUnsafeBufferPointer { _ = Self.split($0, final: true, &walk, body) } }
        if let failure = walk.failure { throw failure }
    }

    /// Gives `body` the lines of `bytes` that end in it (with `final`, also the last one without a
    /// line feed); returns how many bytes those lines took. Sets `walk.stopped` when `body` stops
    /// or a line is not UTF-8 (then `walk.failure`).
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, _ walk: inout Walk,
                              _ body: (Int, UnsafeBufferPointer<UInt8>) -> Bool) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let ascii = isASCII(bytes) // then no line needs checking for UTF-8
        var start = 0
        while start < bytes.count {
            let stop: Int
            if let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) {
                stop = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else if final {
                stop = bytes.count
            } else {
                break
            }
            walk.number += 1
            var from = start
            if walk.number == 1, bytes[start..<stop].starts(with: [0xEF, 0xBB, 0xBF]) { from += 3 }
            let lineEnd = stop > from && bytes[stop - 1] == UInt8(ascii: "\r") ? stop - 1 : stop
            start = stop + 1
            let line = UnsafeBufferPointer(rebasing: bytes[from..<lineEnd])
            if line.allSatisfy({ $0 == UInt8(ascii: "\r") }) {
                if walk.blanks == 0 { walk.blankFrom = walk.number }
                walk.blanks += 1
                continue
            }
            while walk.blanks > 0 {
                walk.blanks -= 1
                walk.blankFrom += 1
                guard body(walk.blankFrom - 1, UnsafeBufferPointer(rebasing: line[0..<0])) else { walk.stopped = true; return start }
            }
            if !ascii, line.contains(where: { $0 >= 0x80 }), String(validating: line, as: UTF8.self) == nil {
                walk.failure = DataFileError(location: "line \(walk.number)", message: "not UTF-8 text; a text data file must be UTF-8")
                walk.stopped = true
                return start
            }
            guard body(walk.number, line) else { walk.stopped = true; return start }
        }
        return min(start, bytes.count)
    }

    /// Whether every byte of `bytes` is below 0x80: eight at a time, without a branch per byte.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0, high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(base[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// `bytes` in words: "1 MiB", "64 KiB", "100 bytes".
    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB"
            : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}
