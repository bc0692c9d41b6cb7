import DigitData
import Foundation
import Testing

@Suite("IDX reader")
struct IDXReaderTests {
    let directory = TemporaryDirectory()

    // MARK: Reading

    @Test("reads images and labels, plain and gzipped", arguments: [false, true])
    func readsBoth(gzip: Bool) throws {
        let images = directory.write(idxImages(count: 3, rows: 2, columns: 4), to: "images", gzip: gzip)
        let labels = directory.write(idxLabels([7, 0, 9]), to: "labels", gzip: gzip)
        let read = try IDXReader.readImages(at: images)
        #expect(read.count == 3 && read.rows == 2 && read.columns == 4)
        #expect(read.pixels == (0..<24).map { UInt8($0) })
        #expect(try IDXReader.readLabels(at: labels) == [7, 0, 9])
    }

    @Test("reads MNIST's test images and labels")
    func readsMNIST() throws {
        let images = try IDXReader.readImages(at: "\(mnistDirectory)/t10k-images-idx3-ubyte.gz")
        #expect(images.count == 10_000 && images.rows == 28 && images.columns == 28)
        #expect(images.pixels.count == 7_840_000)
        let labels = try IDXReader.readLabels(at: "\(mnistDirectory)/t10k-labels-idx1-ubyte.gz")
        #expect(labels.prefix(10) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    }

    // MARK: Errors

    @Test("a label file read as images is the wrong magic", arguments: [false, true])
    func wrongMagic(gzip: Bool) {
        let path = directory.write(idxLabels([1, 2]), to: "labels", gzip: gzip)
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error == .wrongMagic(path: path, found: 2049, expected: 2051))
        #expect(error?.description == "\(path): wrong magic number 2049 (IDX labels), expected 2051 (IDX images)")
        let swapped = directory.write(idxImages(count: 1, rows: 1, columns: 1), to: "images", gzip: gzip)
        #expect(dataError { try IDXReader.readLabels(at: swapped) } == .wrongMagic(path: swapped, found: 2051, expected: 2049))
    }

    @Test("a file that is not IDX at all is the wrong magic")
    func notIDX() {
        let path = directory.write(Array("hello, world, not IDX".utf8), to: "text")
        let error = dataError { try IDXReader.readLabels(at: path) }
        #expect(error?.description == "\(path): wrong magic number 1751477356 (not an MNIST IDX file), expected 2049 (IDX labels)")
    }

    @Test("a header cut short", arguments: [false, true])
    func truncatedHeader(gzip: Bool) {
        let path = directory.write(Array(idxImages(count: 1, rows: 1, columns: 1).prefix(10)), to: "short", gzip: gzip)
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error == .truncated(path: path, part: "header", expected: 16, got: 10))
        let empty = directory.write([], to: "empty", gzip: gzip)
        #expect(dataError { try IDXReader.readLabels(at: empty) } == .truncated(path: empty, part: "header", expected: 8, got: 0))
    }

    @Test("pixels cut short", arguments: [false, true])
    func truncatedPixels(gzip: Bool) {
        let bytes = idxImages(count: 10, rows: 28, columns: 28)
        let path = directory.write(Array(bytes.dropLast(1000)), to: "images", gzip: gzip)
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error == .truncated(path: path, part: "pixels", expected: 7840, got: 6840))
        #expect(error?.description == "\(path): truncated: expected 7840 bytes of pixels, got 6840")
    }

    @Test("labels cut short", arguments: [false, true])
    func truncatedLabels(gzip: Bool) {
        let path = directory.write(Array(idxLabels([1, 2, 3, 4]).dropLast(1)), to: "labels", gzip: gzip)
        #expect(dataError { try IDXReader.readLabels(at: path) } == .truncated(path: path, part: "labels", expected: 4, got: 3))
    }

    @Test("a gzip stream cut in the middle is truncated")
    func truncatedGzipStream() throws {
        let whole = directory.write(idxImages(count: 100, rows: 28, columns: 28), to: "whole", gzip: true)
        let compressed = try #require(FileBytes.read(whole))
        let path = directory.write(Array(compressed.prefix(compressed.count / 2)), to: "half")
        guard case let .truncated(errorPath, part, expected, got) = dataError({ try IDXReader.readImages(at: path) }) else {
            Issue.record("expected a truncation error")
            return
        }
        #expect(errorPath == path && part == "pixels" && expected == 78_400 && got < expected)
    }

    @Test("corrupt gzip data is unreadable, in zlib's words")
    func corruptGzip() throws {
        let whole = directory.write(idxImages(count: 100, rows: 28, columns: 28), to: "whole", gzip: true)
        var bytes = try #require(FileBytes.read(whole))
        for index in 20..<40 { bytes[index] = 0xff }
        let path = directory.write(bytes, to: "corrupt")
        guard case let .unreadable(errorPath, reason) = dataError({ try IDXReader.readImages(at: path) }) else {
            Issue.record("expected an unreadable error")
            return
        }
        #expect(errorPath == path && !reason.isEmpty)
    }

    @Test("a dimension of zero", arguments: [(0, 28, 28), (5, 0, 28), (5, 28, 0)])
    func zeroDimension(sizes: (Int, Int, Int)) {
        let path = directory.write(idx(magic: 2051, sizes: [UInt32(sizes.0), UInt32(sizes.1), UInt32(sizes.2)], data: []), to: "zero")
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error?.description == "\(path): invalid header: a dimension of zero: \(sizes.0) images of \(sizes.1)×\(sizes.2) pixels")
        let labels = directory.write(idx(magic: 2049, sizes: [0], data: []), to: "nolabels")
        #expect(dataError { try IDXReader.readLabels(at: labels) } == .invalidDimensions(path: labels, reason: "a dimension of zero: 0 labels"))
    }

    @Test("an absurd size is refused before allocating", arguments: [false, true])
    func absurdSize(gzip: Bool) {
        let path = directory.write(idx(magic: 2051, sizes: [4_000_000_000, 65_535, 65_535], data: [1, 2, 3]), to: "huge", gzip: gzip)
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error?.description == "\(path): invalid header: absurd size: 4000000000 images of 65535×65535 pixels would be more than the limit of 1073741824 bytes")
    }

    @Test("a large claim in a small gzip file is truncated, not allocated")
    func largeClaimInGzip() {
        let path = directory.write(idx(magic: 2051, sizes: [1_000_000, 28, 28], data: [1, 2, 3]), to: "claim", gzip: true)
        #expect(dataError { try IDXReader.readImages(at: path) } == .truncated(path: path, part: "pixels", expected: 784_000_000, got: 3))
    }

    @Test("data after the announced pixels", arguments: [false, true])
    func trailingData(gzip: Bool) {
        let path = directory.write(idxImages(count: 2, rows: 3, columns: 3) + [0, 0], to: "long", gzip: gzip)
        let error = dataError { try IDXReader.readImages(at: path) }
        #expect(error?.description == "\(path): unexpected data after the 18 bytes of pixels that the header announces")
    }

    @Test("a missing file and a directory are unreadable")
    func unreadable() {
        let missing = "\(directory.path)/nothing-here"
        #expect(dataError { try IDXReader.readImages(at: missing) }?.description == "cannot read \(missing): No such file or directory")
        #expect(dataError { try IDXReader.readLabels(at: directory.path) }?.description == "cannot read \(directory.path): it is a directory")
    }
}

/// Reads a whole file in tests.
enum FileBytes {
    static func read(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }
}
