// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw little-endian data. Only F32 is used here.

import Foundation

/// A named F32 tensor as stored in a safetensors file.
struct StoredTensor: Equatable {
    var name: String
    var shape: [Int]
    var values: [Float]
}

/// Encoding and strictly validating decoding of safetensors files.
enum SafeTensors {
    /// The largest header accepted; a doctored length beyond it is rejected before any allocation.
    static let maximumHeaderLength = 100_000_000

    /// The file's bytes: tensors laid out contiguously in the given order, the header padded
    /// with spaces so that the data starts at a multiple of 8 bytes.
    static func encode(_ tensors: [StoredTensor], metadata: [String: String]) throws -> Data {
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for tensor in tensors {
            let byteCount = tensor.values.count * MemoryLayout<Float>.size
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + byteCount]]
            offset += byteCount
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))

        var file = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        for tensor in tensors {
            let littleEndian = tensor.values.map { $0.bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { file.append(contentsOf: $0) }
        }
        return file
    }

    /// The tensors (by name) and the metadata of a safetensors file, after checking that the
    /// header length fits the file, the header is JSON of the right form, every dtype is F32,
    /// and the tensors' byte ranges match their shapes and tile the data exactly, in order,
    /// without gaps or overlaps.
    static func decode(_ file: Data, path: String) throws(CheckpointError) -> (tensors: [String: StoredTensor], metadata: [String: String]) {
        func failure(_ reason: CheckpointError.Reason, _ detail: String) -> CheckpointError {
            CheckpointError(path: path, reason: reason, detail: detail)
        }
        let bytes = [UInt8](file)
        guard bytes.count >= 8 else {
            throw failure(.truncated, "file is \(bytes.count) bytes, too short for the 8-byte header length")
        }
        let declaredLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declaredLength <= UInt64(maximumHeaderLength) else {
            throw failure(.headerTooLarge, "header length \(declaredLength) exceeds the limit of \(maximumHeaderLength) bytes")
        }
        let headerLength = Int(declaredLength)
        guard 8 + headerLength <= bytes.count else {
            throw failure(.truncated, "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
        }
        let headerObject = try? JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + headerLength]))
        guard let header = headerObject as? [String: Any] else {
            throw failure(.invalidHeader, "header is not a JSON object")
        }

        var metadata: [String: String] = [:]
        if let rawMetadata = header["__metadata__"] {
            guard let strings = rawMetadata as? [String: String] else {
                throw failure(.invalidHeader, "__metadata__ is not an object of strings")
            }
            metadata = strings
        }

        let dataStart = 8 + headerLength
        let dataCount = bytes.count - dataStart
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int],
                  let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw failure(.invalidHeader, "tensor \(name) lacks a dtype, an integer shape or two data offsets")
            }
            guard dtype == "F32" else {
                throw failure(.unsupportedDType, "tensor \(name) has dtype \(dtype), expected F32")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw failure(.invalidHeader, "tensor \(name) has a negative dimension in shape \(shape)")
            }
            var elementCount = 1
            for dimension in shape {
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= dataCount else {
                    throw failure(.invalidOffsets, "tensor \(name) of shape \(shape) is larger than the file's data")
                }
                elementCount = product
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else {
                throw failure(.invalidOffsets, "tensor \(name) has invalid data offsets [\(begin), \(end)]")
            }
            guard end <= dataCount else {
                throw failure(.truncated, "tensor \(name) ends at data byte \(end) but the file holds only \(dataCount) data bytes")
            }
            guard end - begin == elementCount * MemoryLayout<Float>.size else {
                throw failure(.invalidOffsets, "tensor \(name) spans \(end - begin) bytes but shape \(shape) needs \(elementCount * 4)")
            }
            entries.append((name, shape, begin, end))
        }

        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expectedBegin = 0
        for entry in entries {
            guard entry.begin == expectedBegin else {
                let problem = entry.begin < expectedBegin ? "overlaps the previous tensor" : "leaves a gap after the previous tensor"
                throw failure(.invalidOffsets, "tensor \(entry.name) at byte \(entry.begin) \(problem) (expected \(expectedBegin))")
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == dataCount else {
            throw failure(.invalidOffsets, "tensors cover \(expectedBegin) bytes but the file holds \(dataCount) data bytes")
        }

        var tensors: [String: StoredTensor] = [:]
        for entry in entries {
            let count = (entry.end - entry.begin) / MemoryLayout<Float>.size
            let first = dataStart + entry.begin
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let byte = first + 4 * i
                    let bits = UInt32(bytes[byte]) | UInt32(bytes[byte + 1]) << 8
                        | UInt32(bytes[byte + 2]) << 16 | UInt32(bytes[byte + 3]) << 24
                    buffer[i] = Float(bitPattern: bits)
                }
                initialized = count
            }
            tensors[entry.name] = StoredTensor(name: entry.name, shape: entry.shape, values: values)
        }
        return (tensors, metadata)
    }
}
