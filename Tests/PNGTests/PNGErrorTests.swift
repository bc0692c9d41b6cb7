// Every way reading a PNG can fail: each becomes a typed error naming the file and, where
// libpng is the one complaining, carrying libpng's own message. Nothing may crash.

import Foundation
import PNG
import PNGFixtures
import Testing

@Suite("PNG errors")
struct PNGErrorTests {
    static let good = samplePNG(.rgb, bitDepth: 8, interlaced: false).bytes

    /// The `.invalid` error decoding `bytes` from a file throws, checked to name the file.
    static func invalidFileError(_ bytes: [UInt8], name: String = "bad.png") throws -> (message: String, description: String) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(bytes, to: name)
        let error = #expect(throws: PNGError.self) { try Image(contentsOfPNGFile: path) }
        guard case .invalid(let source, let message) = error else {
            Issue.record("expected .invalid, got \(String(describing: error))")
            return ("", "")
        }
        #expect(source == path)
        #expect(!message.isEmpty && message != "unknown libpng error")
        let description = error?.description ?? ""
        #expect(description == "\(path) is not a valid PNG: \(message)")
        return (message, description)
    }

    // MARK: Files that cannot be read

    @Test("a missing file")
    func missingFile() {
        #expect(throws: PNGError.unreadable(path: "/nonexistent/digit.png", reason: "No such file or directory")) {
            try Image(contentsOfPNGFile: "/nonexistent/digit.png")
        }
        #expect(PNGError.unreadable(path: "/x.png", reason: "No such file or directory").description
                == "cannot read /x.png: No such file or directory")
    }

    @Test("a directory")
    func directory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: PNGError.unreadable(path: folder.path, reason: "it is a directory")) {
            try Image(contentsOfPNGFile: folder.path)
        }
    }

    // MARK: Files that are not PNGs

    @Test("an empty file")
    func emptyFile() throws {
        _ = try Self.invalidFileError([], name: "empty.png")
    }

    @Test("a text file")
    func textFile() throws {
        let (message, _) = try Self.invalidFileError(Array("7 is my favourite digit\n".utf8), name: "notes.txt")
        #expect(message.localizedCaseInsensitiveContains("not a png"))
    }

    @Test("JPEG bytes")
    func jpeg() throws {
        let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + [UInt8](repeating: 0, count: 100)
        let (message, _) = try Self.invalidFileError(jpegStart, name: "photo.jpg")
        #expect(message.localizedCaseInsensitiveContains("not a png"))
    }

    // MARK: Damaged PNGs

    /// Cuts from the end count back from the 12-byte IEND chunk: -13 removes IDAT's last CRC byte.
    @Test("a PNG truncated before its image data ends", arguments: [4, 8, 20, 33, 45, -40, -20, -13])
    func truncated(at cut: Int) throws {
        let length = cut > 0 ? cut : Self.good.count + cut
        _ = try Self.invalidFileError(DamagedPNG.truncated(Self.good, to: length))
    }

    /// libpng's simplified API stops after the image data and never reads IEND.
    @Test("a PNG missing only its IEND chunk still decodes")
    func missingIEND() throws {
        let whole = try Image(pngData: Self.good)
        #expect(try Image(pngData: DamagedPNG.truncated(Self.good, to: Self.good.count - 12)) == whole)
    }

    @Test("a CRC mismatch in a critical chunk", arguments: ["IHDR", "IDAT"])
    func badCRC(chunk: String) throws {
        let (message, _) = try Self.invalidFileError(DamagedPNG.breakingCRC(Self.good, chunk))
        #expect(message == "\(chunk): CRC error")
    }

    /// libpng inflates IDAT before it checks that chunk's CRC, so damaged image data is
    /// reported by zlib; in IHDR the CRC check comes first.
    @Test("damaged chunk data")
    func damagedData() throws {
        #expect(try Self.invalidFileError(DamagedPNG.corruptingChunk(Self.good, "IHDR")).message == "IHDR: CRC error")
        #expect(try Self.invalidFileError(DamagedPNG.corruptingChunk(Self.good, "IDAT")).message.hasPrefix("IDAT: "))
    }

    @Test("a damaged signature")
    func badSignature() throws {
        _ = try Self.invalidFileError(DamagedPNG.flippingByte(Self.good, at: 1))
    }

    @Test("a bit depth the colour type does not allow")
    func illegalBitDepth() throws {
        let png = RawPNG(width: 2, height: 1, colorType: .rgb, bitDepth: 4, samples: [1, 2, 3, 4, 5, 6])
        _ = try Self.invalidFileError(png.bytes)
    }

    @Test("a palette image without a palette, or with an index past its end")
    func paletteProblems() throws {
        let noPalette = RawPNG(width: 2, height: 1, colorType: .palette, samples: [0, 1])
        _ = try Self.invalidFileError(noPalette.bytes)
        let shortPalette = RawPNG(width: 2, height: 1, colorType: .palette, samples: [0, 5], palette: [0, 0, 0])
        // libpng reads indices past the palette's end as black rather than failing.
        #expect(try Image(pngData: shortPalette.bytes, layout: .rgb).pixels == [0, 0, 0, 0, 0, 0])
    }

    @Test("garbage where the compressed data should be")
    func badCompressedData() throws {
        var bytes = PNGChunk.signature
        bytes += PNGChunk.encode("IHDR", Array(Self.good[16..<29]))
        bytes += PNGChunk.encode("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x00, 0x12])
        bytes += PNGChunk.encode("IEND", [])
        _ = try Self.invalidFileError(bytes)
    }

    @Test("decoding bytes names them \"PNG data\" unless told otherwise")
    func memorySourceName() {
        #expect(throws: PNGError.invalid(source: "PNG data", message: "not a PNG file (no PNG signature)")) {
            try Image(pngData: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        }
        let error = #expect(throws: PNGError.self) { try Image(pngData: [], source: "upload #3") }
        #expect(error?.description.hasPrefix("upload #3 is not a valid PNG: ") == true)
    }

    @Test("data that is not a PNG at all is named for what it is",
          arguments: [
            ([], "the file is empty"),
            ([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46], "not a PNG file but a JPEG"),
            ([0x89, 0x50, 0x4E, 0x47], "the file ends inside the PNG signature"),
            (Array("just some text\n".utf8), "not a PNG file (no PNG signature)"),
          ] as [([UInt8], String)])
    func notAPNG(bytes: [UInt8], message: String) {
        #expect(throws: PNGError.invalid(source: "x.png", message: message)) {
            try Image(pngData: bytes, source: "x.png")
        }
    }

    // MARK: Size limits

    @Test("a tiny file claiming a huge image fails from its header",
          arguments: [(100_000, 100_000), (16_385, 1), (1, 16_385), (8_193, 8_193)])
    func tooLarge(width: UInt32, height: UInt32) throws {
        let tiny = RawPNG(width: 1, height: 1, colorType: .gray, samples: [0]).bytes
        let lying = DamagedPNG.claimingSize(tiny, width: width, height: height)
        #expect(lying.count < 100)
        for layout in Image.Layout.allCases {
            #expect(throws: PNGError.tooLarge(source: "PNG data", width: Int(width), height: Int(height))) {
                try Image(pngData: lying, layout: layout)
            }
        }
    }

    @Test("the too-large error names the file, the size and the limit")
    func tooLargeDescription() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tiny = RawPNG(width: 1, height: 1, colorType: .rgba, bitDepth: 16, samples: [0, 0, 0, 0]).bytes
        let path = try folder.write(DamagedPNG.claimingSize(tiny, width: 100_000, height: 100_000), to: "huge.png")
        let error = #expect(throws: PNGError.self) { try Image(contentsOfPNGFile: path) }
        #expect(error == .tooLarge(source: path, width: 100_000, height: 100_000))
        #expect(error?.description == "\(path) is 100000×100000 pixels, larger than the limit of 16384 pixels a side and 64 megapixels")
    }

    @Test("sizes at the limit are not refused as too large")
    func atTheLimit() throws {
        // 16384×4096 is exactly 64 megapixels; the tiny IDAT then runs out, which libpng reports.
        let tiny = RawPNG(width: 1, height: 1, colorType: .gray, samples: [0]).bytes
        let error = #expect(throws: PNGError.self) {
            try Image(pngData: DamagedPNG.claimingSize(tiny, width: 16_384, height: 1))
        }
        guard case .invalid = error else { Issue.record("got \(String(describing: error))"); return }
    }
}
