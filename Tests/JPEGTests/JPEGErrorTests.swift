// Every way reading a JPEG can fail: each becomes a typed error naming the file and, where
// libjpeg is the one complaining, carrying libjpeg's own message. Nothing may crash, print or
// allocate what a header merely claims.

import Foundation
import JPEG
import PNG
import Testing

@Suite("JPEG errors")
struct JPEGErrorTests {
    static let good: [UInt8] = try! gradient(width: 64, height: 48).jpegData(quality: 90)

    /// `good` with its SOF0 segment's marker, precision, height and width replaced.
    static func patchedFrame(marker: UInt8 = 0xC0, precision: UInt8 = 8, height: Int = 48, width: Int = 64) -> [UInt8] {
        var jpeg = good
        let sof = segmentOffset(0xC0, in: jpeg)!
        jpeg[sof + 1] = marker
        jpeg[sof + 4] = precision
        jpeg[(sof + 5)...(sof + 8)] = [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)]
        return jpeg
    }

    /// The `.invalid` error decoding `bytes` from a file throws, checked to name the file.
    @discardableResult
    static func invalidFileError(_ bytes: [UInt8], name: String = "bad.jpg") throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(bytes, to: name)
        let error = #expect(throws: JPEGError.self) { try Image(contentsOfJPEGFile: path) }
        guard case .invalid(let source, let message) = error else {
            Issue.record("expected .invalid, got \(String(describing: error))")
            return ""
        }
        #expect(source == path)
        #expect(!message.isEmpty && message != "unknown libjpeg error")
        #expect(error?.description == "\(path) is not a valid JPEG: \(message)")
        #expect(error?.description.contains("\n") == false)
        return message
    }

    // MARK: Files that cannot be read

    @Test("a missing file")
    func missingFile() {
        #expect(throws: JPEGError.unreadable(path: "/nonexistent/photo.jpg", reason: "No such file or directory")) {
            try Image(contentsOfJPEGFile: "/nonexistent/photo.jpg")
        }
        #expect(JPEGError.unreadable(path: "/x.jpg", reason: "No such file or directory").description
                == "cannot read /x.jpg: No such file or directory")
    }

    @Test("a directory")
    func directory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: JPEGError.unreadable(path: folder.path, reason: "it is a directory")) {
            try Image(contentsOfJPEGFile: folder.path)
        }
    }

    @Test("an empty file")
    func emptyFile() throws {
        #expect(try Self.invalidFileError([], name: "empty.jpg") == "the file is empty")
        #expect(throws: JPEGError.invalid(source: "JPEG data", message: "the file is empty")) { try Image(jpegData: []) }
    }

    // MARK: Files that are not JPEGs, or are damaged

    @Test("PNG bytes and text are not JPEGs, in libjpeg's words")
    func notJPEG() throws {
        let png = try Image(width: 2, height: 2, layout: .gray, filledWith: 0).pngData()
        #expect(try Self.invalidFileError(png, name: "digit.jpg") == "Not a JPEG file: starts with 0x89 0x50")
        #expect(try Self.invalidFileError(Array("7 is my favourite digit\n".utf8)).hasPrefix("Not a JPEG file"))
    }

    /// Cuts from the end count back: -2 removes only the EOI marker.
    @Test("a truncated JPEG is an error, not a partly grey picture", arguments: [1, 2, 3, 20, 100, 200, -200, -40, -10, -3, -2, -1])
    func truncated(at cut: Int) throws {
        let length = cut > 0 ? cut : Self.good.count + cut
        try Self.invalidFileError(Array(Self.good.prefix(length)))
    }

    @Test("a truncated progressive JPEG is an error too", arguments: [0.3, 0.6, 0.9])
    func truncatedProgressive(fraction: Double) throws {
        let progressive = try gradient(width: 64, height: 48).jpegData(quality: 90, progressive: true)
        let message = try Self.invalidFileError(Array(progressive.prefix(Int(Double(progressive.count) * fraction))))
        #expect(message == "Premature end of JPEG file")
    }

    /// libjpeg itself only warns here and returns the whole picture; digits treats every
    /// premature end alike.
    @Test("a JPEG missing only its end-of-image marker is an error too")
    func missingEOI() throws {
        #expect(try Self.invalidFileError(Array(Self.good.dropLast(2))) == "Premature end of JPEG file")
    }

    /// 300 bytes of a seeded linear congruential generator's output after FF D8.
    @Test("garbage after the start-of-image marker", arguments: [1, 2, 3] as [UInt64])
    func garbageAfterSOI(seed: UInt64) throws {
        var state = seed
        let garbage = (0..<300).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Self.invalidFileError([0xFF, 0xD8] + garbage)
    }

    @Test("damaged scan data is an error")
    func damagedScan() throws {
        var jpeg = Self.good
        let scan = segmentOffset(0xDA, in: jpeg)!
        for offset in stride(from: scan + 20, to: jpeg.count - 4, by: 7) { jpeg[offset] = 0xFF }
        try Self.invalidFileError(jpeg)
    }

    @Test("bytes after the end-of-image marker are ignored")
    func trailingBytes() throws {
        let decoded = try Image(jpegData: Self.good + Array("trailing".utf8))
        #expect(decoded == (try Image(jpegData: Self.good)))
    }

    // MARK: Sizes

    @Test("a header claiming 60000×60000 is refused before any pixel memory is allocated")
    func hugeHeader() throws {
        let jpeg = Self.patchedFrame(height: 60000, width: 60000)
        let started = Date()
        #expect(throws: JPEGError.tooLarge(source: "huge.jpg", width: 60000, height: 60000)) {
            try Image(jpegData: jpeg, layout: .rgba, source: "huge.jpg")
        }
        // Decoding 3.6 gigapixels, or even zeroing their memory, would take seconds.
        #expect(Date().timeIntervalSince(started) < 0.5)
        #expect(JPEGError.tooLarge(source: "huge.jpg", width: 60000, height: 60000).description
                == "huge.jpg is 60000×60000 pixels, larger than the limit of 16384 pixels a side and 64 megapixels")
    }

    @Test("the limits are PNG's, on the full size whatever the scale",
          arguments: [(16385, 16), (16, 16385), (16384, 4097), (65535, 65535)])
    func limits(width: Int, height: Int) {
        let jpeg = Self.patchedFrame(height: height, width: width)
        #expect(throws: JPEGError.tooLarge(source: "JPEG data", width: width, height: height)) {
            try Image(jpegData: jpeg, minimumSide: 8)
        }
    }

    @Test("a frame of zero height is libjpeg's complaint")
    func zeroHeight() throws {
        let message = try Self.invalidFileError(Self.patchedFrame(height: 0))
        #expect(message.contains("Empty JPEG image"))
    }

    // MARK: JPEGs this libjpeg cannot decode

    @Test("a 12-bit JPEG is refused with the reason")
    func twelveBit() {
        let jpeg = Self.patchedFrame(marker: 0xC1, precision: 12)
        let expected = JPEGError.unsupported(source: "deep.jpg", reason: "it has 12-bit samples; libjpeg-turbo here decodes 8-bit JPEGs only")
        #expect(throws: expected) { try Image(jpegData: jpeg, source: "deep.jpg") }
        #expect(expected.description
                == "deep.jpg is a JPEG that digits cannot decode: it has 12-bit samples; libjpeg-turbo here decodes 8-bit JPEGs only")
    }

    @Test("a lossless JPEG is refused in libjpeg's words")
    func lossless() {
        #expect(throws: JPEGError.unsupported(source: "JPEG data", reason: "Unsupported JPEG process: SOF type 0xc3")) {
            try Image(jpegData: Self.patchedFrame(marker: 0xC3))
        }
    }

    // MARK: Encoding

    @Test("encoding refuses an empty image and an oversized EXIF block")
    func encodingFailures() {
        #expect(throws: JPEGError.self) { try Image(width: 0, height: 5, layout: .gray, pixels: []).jpegData() }
        #expect(throws: JPEGError.encodingFailed(message: "an APP1 segment holds at most 65533 bytes")) {
            try Image(width: 1, height: 1, layout: .gray, filledWith: 0).jpegData(exif: [UInt8](repeating: 0, count: 65534))
        }
    }
}
