// Shared helpers for the JPEG tests: temporary folders, EXIF blocks and marker surgery, and
// smooth test pictures (JPEG keeps smooth areas close; sharp edges ring).

import Foundation
import PNG

/// A fresh folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "jpeg-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// An APP1 payload, `"Exif\0\0"` and a TIFF block whose IFD0 holds `entries` (tag, type,
/// count, value) in the given byte order, SHORT values left-justified in the value field.
func exifPayload(bigEndian: Bool, entries: [(tag: Int, type: Int, count: Int, value: Int)]) -> [UInt8] {
    func bytes(_ value: Int, _ size: Int) -> [UInt8] {
        let littleEndian = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        return bigEndian ? littleEndian.reversed() : littleEndian
    }
    var tiff: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
    tiff += bytes(42, 2) + bytes(8, 4) + bytes(entries.count, 2)
    for entry in entries {
        tiff += bytes(entry.tag, 2) + bytes(entry.type, 2) + bytes(entry.count, 4)
        tiff += entry.type == 3 ? bytes(entry.value, 2) + [0, 0] : bytes(entry.value, 4)
    }
    tiff += bytes(0, 4)
    return Array("Exif".utf8) + [0, 0] + tiff
}

/// An EXIF block holding only an orientation tag.
func exifOrientation(_ value: Int, bigEndian: Bool = false) -> [UInt8] {
    exifPayload(bigEndian: bigEndian, entries: [(tag: 0x0112, type: 3, count: 1, value: value)])
}

/// `jpeg` without its segments of marker `marker` (0xEE for Adobe's APP14), walking the
/// segments up to the first scan.
func removingSegments(_ marker: UInt8, from jpeg: [UInt8]) -> [UInt8] {
    var kept = Array(jpeg.prefix(2))
    var position = 2
    while position + 4 <= jpeg.count, jpeg[position] == 0xFF, jpeg[position + 1] != 0xDA {
        let length = Int(jpeg[position + 2]) << 8 | Int(jpeg[position + 3])
        if jpeg[position + 1] != marker { kept += jpeg[position..<(position + 2 + length)] }
        position += 2 + length
    }
    return kept + jpeg[position...]
}

/// The offset of the first segment with marker `marker` (0xC0 for SOF0), found as above.
func segmentOffset(_ marker: UInt8, in jpeg: [UInt8]) -> Int? {
    var position = 2
    while position + 4 <= jpeg.count, jpeg[position] == 0xFF {
        if jpeg[position + 1] == marker { return position }
        position += 2 + (Int(jpeg[position + 2]) << 8 | Int(jpeg[position + 3]))
    }
    return nil
}

/// A grey image of four flat quadrants, `values` top-left, top-right, bottom-left,
/// bottom-right: every corner is far from an edge, so JPEG keeps it within a few levels.
func quadrants(width: Int, height: Int, _ values: [UInt8]) -> Image {
    var image = Image(width: width, height: height, layout: .gray, filledWith: 0)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y] = values[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]
        }
    }
    return image
}

/// A smooth grey gradient, `(x + y) * 255 / (width + height - 2)`.
func gradient(width: Int, height: Int) -> Image {
    var image = Image(width: width, height: height, layout: .gray, filledWith: 0)
    for y in 0..<height {
        for x in 0..<width { image[x, y] = UInt8((x + y) * 255 / (width + height - 2)) }
    }
    return image
}

/// The largest difference between two images' samples, which must have the same shape.
func largestDifference(_ a: Image, _ b: Image) -> Int {
    precondition(a.width == b.width && a.height == b.height && a.layout == b.layout)
    return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

/// The mean absolute difference between two images' samples.
func meanDifference(_ a: Image, _ b: Image) -> Double {
    precondition(a.width == b.width && a.height == b.height && a.layout == b.layout)
    return Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(max(a.pixels.count, 1))
}

/// Rec. 601 luma of an 8-bit RGB triple, rounded.
func luma(_ red: Int, _ green: Int, _ blue: Int) -> Int {
    (299 * red + 587 * green + 114 * blue + 500) / 1000
}
