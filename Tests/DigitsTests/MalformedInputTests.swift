// `digits classify` and the model loader given files made wrong on purpose: each gets one
// clear `error: …` line and the tool never ends by a signal.

import Foundation
import PNG
import Testing

/// CRC-32 as PNG chunks use it (ISO 3309, polynomial 0xEDB88320), for doctored headers that
/// must still pass libpng's checksum check.
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return ~crc
}

/// `value` as four big-endian bytes.
func bigEndianBytes(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
}

@Suite("Malformed input files")
struct MalformedInputTests {
    /// A valid digit PNG to damage: IHDR's data is bytes 16..<29 and its CRC bytes 29..<33.
    static let good = try! [UInt8](Data(contentsOf: DigitsExecutable.packageRoot.appendingPathComponent("samples/7-grey.png")))

    /// Each malformed file by name, and what its error line must say.
    static func makeMalformedFolder(_ folder: URL) throws -> [String: String] {
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        try write("zero-bytes.png", [])
        try write("text.png", Array("7, written out in words: seven\n".utf8))
        try write("truncated.png", Array(good.prefix(good.count / 2)))
        var wrongCRC = good
        wrongCRC[32] ^= 0xFF
        try write("wrong-crc.png", wrongCRC)
        var huge = good
        huge.replaceSubrange(16..<24, with: bigEndianBytes(100_000) + bigEndianBytes(100_000))
        huge.replaceSubrange(29..<33, with: bigEndianBytes(crc32(huge[12..<29])))
        try write("huge-dimensions.png", huge)
        try write("photo-renamed.png", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder.png"), withIntermediateDirectories: false)
        return [
            "zero-bytes.png": "the file is empty",
            "text.png": "is not a PNG or JPEG file",
            "truncated.png": "is not a valid PNG",
            "wrong-crc.png": "CRC error",
            "huge-dimensions.png": "100000×100000 pixels, larger than the limit",
            "photo-renamed.png": "is not a valid JPEG",
            "folder.png": "it is a directory",
        ]
    }

    @Test func classifyGivesOneClearErrorLineForEachMalformedFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = try Self.makeMalformedFolder(folder)
        try Data(Self.good).write(to: folder.appendingPathComponent("good.png"))

        let result = try DigitsExecutable.run(["classify", folder.path, "--model", TrainedModel.model])
        #expect(result.status == 1 && !result.wasSignalled)
        #expect(result.outputLines.count == 2 && result.outputLines[1].hasPrefix(folder.appendingPathComponent("good.png").path + ": "))
        #expect(result.errorLines.count == expected.count, "\(result.standardError)")
        for (name, message) in expected {
            let path = folder.appendingPathComponent(name).path
            let lines = result.errorLines.filter { $0.contains(path) }
            #expect(lines.count == 1, "\(name): \(result.standardError)")
            #expect(lines.first?.hasPrefix("error: ") == true)
            #expect(lines.first?.contains(message) == true, "\(name): \(lines)")
        }
    }

    @Test func eachMalformedFileAloneIsOneErrorLineToo() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, message) in try Self.makeMalformedFolder(folder) {
            let result = try DigitsExecutable.run(["classify", "--json", folder.appendingPathComponent(name).path,
                                                   "--model", TrainedModel.model])
            #expect(result.status == 1 && !result.wasSignalled, "\(name)")
            #expect(result.outputLines.isEmpty && result.errorLines.count == 1, "\(name)")
            #expect(result.standardError.contains(message), "\(name): \(result.standardError)")
        }
    }

    @Test func malformedModelsAreOneErrorLine() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TrainedModel.model)))
        let headerLength = Int(model[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let header = String(decoding: model[8..<(8 + headerLength)], as: UTF8.self)
        func doctored(_ from: String, _ to: String) -> [UInt8] {
            let changed = Array(header.replacingOccurrences(of: from, with: to).utf8)
            return withUnsafeBytes(of: UInt64(changed.count).littleEndian) { [UInt8]($0) } + changed + model[(8 + headerLength)...]
        }
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "too short"),
            ("truncated", Array(model.dropLast(100)), "truncated"),
            ("huge-header-length", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + model.dropFirst(8), "exceeds the limit"),
            ("version-2", doctored(#""version":"1""#, #""version":"2""#), "version 2 is not supported"),
            ("other-architecture", doctored(#"\"in\":10,\"out\":10"#, #"\"in\":10,\"out\":12"#), "another architecture"),
            ("huge-architecture", doctored(#"\"in\":784"#, #"\"in\":78400000000"#), "another architecture"),
            ("overflowing-architecture", doctored(#"\"in\":784"#, #"\"in\":9223372036854775807"#), "impossible size"),
            ("not-json", doctored("{", "["), "not a JSON object"),
        ]
        for (name, bytes, message) in cases {
            let path = folder.appendingPathComponent("\(name).safetensors").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try DigitsExecutable.run(["classify", "samples/7-grey.png", "--model", path])
            #expect(result.status == 1 && !result.wasSignalled, "\(name)")
            #expect(result.errorLines.count == 1, "\(name): \(result.standardError)")
            #expect(result.standardError.hasPrefix("error: \(path): "), "\(name): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(name): \(result.standardError)")
        }
    }

    @Test(arguments: [
        ["--hidden", "65536,65536"], ["--batch-size", "99999999999"], ["--batch-size", "60001"],
        ["--hidden", "99999999999999999999"], ["--limit", "-5"],
    ])
    func absurdSizesOnTheCommandLineAreUsageErrors(arguments: [String]) throws {
        let result = try DigitsExecutable.run(["train"] + arguments)
        #expect(result.status == 64 && !result.wasSignalled, "the parser's usage error, before any allocation")
        #expect(result.standardError.contains("Error: "))
    }
}
