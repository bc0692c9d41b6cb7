// Shared helpers for the PNG tests: temporary folders and sample patterns.

import Foundation
import PNGFixtures

/// A fresh folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "png-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// `count` samples that cover 0…maximum in a scrambled but repeatable order.
func scrambledSamples(_ count: Int, maximum: Int) -> [UInt16] {
    (0..<count).map { UInt16(($0 * 7919 + 13) % (maximum + 1)) }
}

/// A 2^bitDepth-entry grey ramp palette, flat r, g, b.
func greyPalette(bitDepth: Int) -> [UInt8] {
    let top = (1 << bitDepth) - 1
    return (0...top).flatMap { index -> [UInt8] in
        let level = UInt8(index * 255 / top)
        return [level, level, level]
    }
}

/// A small PNG of the given kind, odd-sized so every Adam7 pass and partial byte is exercised.
func samplePNG(_ colorType: RawPNG.ColorType, bitDepth: Int, interlaced: Bool,
               width: Int = 11, height: Int = 9) -> RawPNG {
    let samples = scrambledSamples(width * height * colorType.channels, maximum: (1 << bitDepth) - 1)
    return RawPNG(width: width, height: height, colorType: colorType, bitDepth: bitDepth,
                  samples: samples, palette: colorType == .palette ? greyPalette(bitDepth: bitDepth) : nil,
                  interlaced: interlaced)
}

/// Rec. 601 luma of an 8-bit RGB triple, rounded: the decoder's documented grey.
func luma(_ red: Int, _ green: Int, _ blue: Int) -> UInt8 {
    UInt8((299 * red + 587 * green + 114 * blue + 500) / 1000)
}

/// `value` (0…255) with `alpha` composited over white, rounded.
func overWhite(_ value: Int, alpha: Int) -> Int {
    (value * alpha + 255 * (255 - alpha) + 127) / 255
}
