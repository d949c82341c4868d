import Foundation

/// The element types of a data file's floating-point values: `.npy` float32/float64, and
/// safetensors F16, BF16, F32 and F64, all little-endian.
enum FloatEncoding {
    case float16, bfloat16, float32, float64

    /// The bytes one value takes.
    var size: Int {
        switch self {
        case .float16, .bfloat16: 2
        case .float32: 4
        case .float64: 8
        }
    }

    /// The value of an IEEE 754 half-precision float's bits (subnormals, infinities and NaN too).
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int(bits >> 10 & 0x1F), fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 0x1F: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction * 0x1p-10) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// `count` values starting at byte `offset` of `data`, which the caller has checked holds them.
    func decode(_ data: [UInt8], offset: Int, count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let at = offset + size * i
                    switch self {
                    case .float64: out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
                    case .float32: out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))))
                    case .bfloat16: out[i] = Double(Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self))) << 16))
                    case .float16: out[i] = Self.half(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                    }
                }
            }
        }
        return values
    }
}

extension DataFile {
    /// Whether `path` names a tensor in a safetensors file: `logits.safetensors#chat`.
    static func isSafeTensors(_ path: String) -> Bool { safeTensorsParts(path) != nil }

    /// The file and the tensor name of `logits.safetensors#chat`; nil for other paths.
    static func safeTensorsParts(_ path: String) -> (file: String, tensor: String)? {
        guard let hash = path.range(of: "#", options: .backwards) else { return nil }
        let file = String(path[..<hash.lowerBound])
        guard (file as NSString).pathExtension.lowercased() == "safetensors" else { return nil }
        return (file, String(path[hash.upperBound...]))
    }

    /// The safetensors dtypes read, by the names the header gives them.
    static let safeTensorsTypes: [String: FloatEncoding] = ["F16": .float16, "BF16": .bfloat16, "F32": .float32, "F64": .float64]

    /// The values of the one-dimensional floating-point tensor `name` in a safetensors file:
    /// 8 bytes of little-endian header length, a JSON header of
    /// `{"name": {"dtype": "F32", "shape": [n], "data_offsets": [begin, end]}, ...}`, then the data,
    /// which the offsets (relative to its start) must lie inside without overlapping.
    static func safeTensors(_ data: [UInt8], tensor name: String) throws(DataFileError) -> DataColumn {
        guard data.count >= 8 else {
            throw DataFileError(location: "offset 0", message: "truncated: a safetensors file starts with an 8-byte header length, the file has \(data.count) bytes")
        }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(data[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(data.count - 8) else {
            throw DataFileError(location: "offset 0", message: "truncated: the header length is \(length) bytes, the file has \(data.count - 8) after it")
        }
        let dataStart = 8 + Int(length)
        guard let json = try? JSONSerialization.jsonObject(with: Data(data[8..<dataStart])),
              let header = json as? [String: Any] else {
            throw DataFileError(location: "offset 8", message: "bad header: not a JSON object")
        }
        let dataSize = data.count - dataStart
        var ranges: [(begin: Int, end: Int, name: String)] = []
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any],
                  let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = integer(offsets[0]), let end = integer(offsets[1]) else {
                throw DataFileError(location: "offset 8", message: "bad header: tensor \"\(key)\" has no data_offsets [begin, end] of whole numbers")
            }
            guard begin <= end, end <= dataSize else {
                throw DataFileError(location: "offset 8", message: "tensor \"\(key)\": data_offsets [\(begin), \(end)] outside the \(dataSize) bytes of data")
            }
            ranges.append((begin, end, key))
        }
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw DataFileError(location: "offset \(dataStart + b.begin)", message: "tensors \"\(a.name)\" and \"\(b.name)\" overlap")
        }
        guard let entry = header[name] as? [String: Any], name != "__metadata__" else {
            let names = ranges.map(\.name).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw DataFileError(location: "", message: "no tensor \"\(name)\"; the file has \(names.isEmpty ? "none" : names)")
        }
        let range = ranges.first { $0.name == name }!
        guard let dtype = entry["dtype"] as? String, let encoding = safeTensorsTypes[dtype] else {
            throw DataFileError(location: "offset 8", message: "tensor \"\(name)\": wrong dtype \(entry["dtype"].map { "\($0)" } ?? "(none)"): expected F16, BF16, F32 or F64")
        }
        guard let shape = entry["shape"] as? [Any], shape.count == 1, let count = integer(shape[0]) else {
            throw DataFileError(location: "offset 8", message: "tensor \"\(name)\": expected a one-dimensional tensor, shape [n], got \(entry["shape"].map { "\($0)" } ?? "no shape") (torch: tensor.reshape(-1))")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: encoding.size)
        guard !overflow, needed == range.end - range.begin else {
            throw DataFileError(location: "offset \(dataStart + range.begin)", message: "tensor \"\(name)\": shape [\(count)] of \(dtype) needs \(overflow ? "more" : "\(needed)") bytes, data_offsets give \(range.end - range.begin)")
        }
        let offset = dataStart + range.begin
        return DataColumn(values: encoding.decode(data, offset: offset, count: count), labels: nil, dataOffset: offset, itemSize: encoding.size)
    }

    /// A JSON whole number at least 0 that fits an `Int`, or nil.
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 0, double < 0x1p62, double == double.rounded() else { return nil }
        return number.intValue
    }
}
