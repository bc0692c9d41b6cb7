// Test fixtures made on the fly: IDX files (plain and gzipped) in a fresh temporary
// directory, and the real MNIST test set loaded once.

import CZlib
import DigitData
import Foundation

/// A fresh temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("DigitDataTests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the directory, gzipped if `gzip`, and returns the path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String, gzip: Bool = false) -> String {
        let file = "\(path)/\(name)"
        if gzip {
            let handle = gzopen(file, "wb")!
            let written = bytes.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }
            precondition(written == bytes.count || bytes.isEmpty)
            gzclose(handle)
        } else {
            precondition(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
        }
        return file
    }
}

/// The bytes of an IDX file: magic, sizes (big-endian), then `data`.
func idx(magic: UInt32, sizes: [UInt32], data: [UInt8]) -> [UInt8] {
    let words = [magic] + sizes
    return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } } + data
}

/// An IDX image file of `count` images of `rows × columns`, pixel `i` holding `i % 251`.
func idxImages(count: Int, rows: Int, columns: Int) -> [UInt8] {
    idx(magic: 2051, sizes: [UInt32(count), UInt32(rows), UInt32(columns)],
        data: (0..<count * rows * columns).map { UInt8($0 % 251) })
}

/// An IDX label file holding `labels`.
func idxLabels(_ labels: [UInt8]) -> [UInt8] {
    idx(magic: 2049, sizes: [UInt32(labels.count)], data: labels)
}

/// The directory of the real MNIST files, found from this source file's location.
let mnistDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/mnist").path

/// MNIST's 10,000 test images, loaded once for all tests.
let mnistTest: Dataset = try! MNIST.load(.test, from: mnistDirectory)

/// A deterministic generator for tests (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The error a throwing call raised, as a `DataError`, or nil.
func dataError(_ body: () throws -> Any) -> DataError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? DataError
    }
}
