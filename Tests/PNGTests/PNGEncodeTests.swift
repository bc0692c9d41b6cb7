// Encoding grey, RGB and RGBA to memory and to files, and the atomic write.

import Foundation
import PNG
import Testing

@Suite("PNG encoding")
struct PNGEncodeTests {
    static func pattern(_ layout: Image.Layout, width: Int = 7, height: Int = 5) -> Image {
        let count = width * height * layout.channels
        return Image(width: width, height: height, layout: layout, pixels: (0..<count).map { UInt8(($0 * 37 + 11) % 256) })
    }

    // MARK: Round trips

    @Test("grey, RGB and RGBA round-trip through memory bit-exact", arguments: Image.Layout.allCases)
    func memoryRoundTrip(layout: Image.Layout) throws {
        let image = Self.pattern(layout)
        let data = try image.pngData()
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Image(pngData: data, layout: layout) == image)
    }

    @Test("grey, RGB and RGBA round-trip through a file bit-exact", arguments: Image.Layout.allCases)
    func fileRoundTrip(layout: Image.Layout) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = Self.pattern(layout)
        try image.writePNG(to: folder.file("out.png"))
        #expect(try Image(contentsOfPNGFile: folder.file("out.png"), layout: layout) == image)
        #expect(try folder.contents() == ["out.png"])
    }

    @Test("an encoded RGB image reads back as its Rec. 601 grey")
    func encodedRGBReadsAsGrey() throws {
        let image = Image(width: 2, height: 1, layout: .rgb, pixels: [200, 100, 50, 255, 255, 255])
        #expect(try Image(pngData: image.pngData()).pixels == [124, 255])
    }

    @Test("a 1×1 image and a wide one encode", arguments: [(1, 1), (3000, 1), (1, 3000)])
    func extremeShapes(width: Int, height: Int) throws {
        let image = Self.pattern(.gray, width: width, height: height)
        #expect(try Image(pngData: image.pngData()) == image)
    }

    @Test("an image without pixels cannot be encoded", arguments: [(0, 0), (0, 5), (5, 0)])
    func emptyImage(width: Int, height: Int) throws {
        let image = Image(width: width, height: height, layout: .rgb, pixels: [])
        let error = #expect(throws: PNGError.self) { try image.pngData() }
        guard case .encodingFailed(let message) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("\(width)×\(height)"))
        #expect(error?.description.hasPrefix("cannot encode PNG:") == true)
    }

    // MARK: Atomic writes

    @Test("overwriting replaces the file and leaves no temporary file")
    func overwrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try Self.pattern(.gray).writePNG(to: folder.file("a.png"))
        let second = Self.pattern(.rgb, width: 3, height: 3)
        try second.writePNG(to: folder.file("a.png"))
        #expect(try Image(contentsOfPNGFile: folder.file("a.png"), layout: .rgb) == second)
        #expect(try folder.contents() == ["a.png"])
    }

    @Test("writing into a missing folder throws .unwritable and creates nothing")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("missing/out.png")
        #expect(throws: PNGError.unwritable(path: path, reason: "No such file or directory")) {
            try Self.pattern(.gray).writePNG(to: path)
        }
        #expect(try folder.contents().isEmpty)
    }

    @Test("writing below a regular file throws .unwritable")
    func parentIsAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let parent = try folder.write([1, 2, 3], to: "plain")
        let error = #expect(throws: PNGError.self) { try Self.pattern(.gray).writePNG(to: parent + "/out.png") }
        #expect(error == .unwritable(path: parent + "/out.png", reason: "Not a directory"))
        #expect(error?.description == "cannot write \(parent)/out.png: Not a directory")
        #expect(try folder.contents() == ["plain"])
    }

    /// Root ignores permission bits, so the write is made to fail by putting a folder where
    /// the temporary file would go (`<path>.tmp-<pid>`).
    @Test("a failed overwrite keeps the old file whole")
    func failedOverwriteKeepsOldFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("keep.png")
        let old = Self.pattern(.gray)
        try old.writePNG(to: path)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.createDirectory(atPath: "\(path).tmp-\(getpid())", withIntermediateDirectories: false)

        #expect(throws: PNGError.unwritable(path: path, reason: "Is a directory")) {
            try Self.pattern(.rgba).writePNG(to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == oldBytes)
        #expect(try Image(contentsOfPNGFile: path) == old)
    }

    @Test("writing over a folder fails and leaves the folder and no temporary file")
    func targetIsAFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("taken")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: PNGError.self) { try Self.pattern(.gray).writePNG(to: path) }
        guard case .unwritable(let failedPath, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(failedPath == path)
        #expect(try folder.contents() == ["taken"])
    }
}

@Suite("Layout conversion")
struct LayoutConversionTests {
    @Test func everyLayoutConvertsAsTheDecoderWould() throws {
        let rgba = Image(width: 2, height: 1, layout: .rgba, pixels: [200, 100, 50, 255, 0, 0, 0, 0])
        #expect(rgba.converted(to: .rgb).pixels == [200, 100, 50, 255, 255, 255])
        #expect(rgba.converted(to: .gray).pixels == [124, 255], "Rec. 601: 0.299·200 + 0.587·100 + 0.114·50 = 124")
        #expect(rgba.converted(to: .rgba) == rgba)
        let gray = Image(width: 2, height: 1, layout: .gray, pixels: [7, 250])
        #expect(gray.converted(to: .rgb).pixels == [7, 7, 7, 250, 250, 250])
        #expect(gray.converted(to: .rgba).pixels == [7, 7, 7, 255, 250, 250, 250, 255])
        #expect(gray.converted(to: .rgb).converted(to: .gray) == gray)
        let rgb = Image(width: 1, height: 1, layout: .rgb, pixels: [1, 2, 3])
        #expect(rgb.converted(to: .rgba).pixels == [1, 2, 3, 255])
        let decoded = try Image(pngData: try rgba.pngData(), layout: .gray)
        #expect(decoded == rgba.converted(to: .gray))
    }
}
