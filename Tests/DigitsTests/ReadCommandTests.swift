// `digits read` end to end, as a person runs it: a number made of two sample digits, its JSON
// boxes (scaled back to a big JPEG's own pixels), "no digits", the annotated picture, and bad
// input as one error line each.

import Foundation
import JPEG
import PNG
import Testing

@Suite("Read command")
struct ReadCommandTests {
    static let samples = DigitsExecutable.packageRoot.appendingPathComponent("samples").path

    /// A white page with the samples' digits side by side, each cropped to its ink columns with
    /// `margin` pixels either side, scaled by `zoom` (nearest pixel), and the columns where each
    /// digit's ink lies on it.
    static func number(_ names: [String], margin: Int = 10, zoom: Int = 1) throws -> (image: Image, ink: [Range<Int>]) {
        var strips: [(pixels: [UInt8], width: Int)] = []
        var ink: [Range<Int>] = []
        var height = 0, x = 0
        for name in names {
            let sample = try Image(contentsOfPNGFile: "\(samples)/\(name)", layout: .gray)
            let dark = (0..<sample.width).filter { column in (0..<sample.height).contains { sample[column, $0] < 128 } }
            let left = max(0, dark.first! - margin), right = min(sample.width, dark.last! + 1 + margin)
            var pixels: [UInt8] = []
            for y in 0..<sample.height { for column in left..<right { pixels.append(sample[column, y]) } }
            strips.append((pixels, right - left))
            ink.append((x + dark.first! - left) * zoom ..< (x + dark.last! + 1 - left) * zoom)
            x += right - left
            height = sample.height
        }
        let width = x * zoom
        var page = [UInt8](repeating: 255, count: width * height * zoom)
        var offset = 0
        for strip in strips {
            for y in 0..<(height * zoom) {
                for column in 0..<(strip.width * zoom) {
                    page[y * width + offset + column] = strip.pixels[(y / zoom) * strip.width + column / zoom]
                }
            }
            offset += strip.width * zoom
        }
        return (Image(width: width, height: height * zoom, layout: .gray, pixels: page), ink)
    }

    func objects(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.outputLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    // MARK: - Readings

    @Test func aNumberIsReadInOneLineWithItsConfidence() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("73.png").path
        try Self.number(["7-grey.png", "3-thick-grey.png"]).image.writePNG(to: path)
        let result = try DigitsExecutable.run(["read", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.first?.hasPrefix("model: built-in (") == true)
        let line = try #require(result.outputLines.last)
        #expect(line.hasPrefix("\(path): 73 ("), "\(line)")
        #expect(line.hasSuffix("%)"))
    }

    @Test func jsonGivesEachDigitsBoxInTheBigJPEGsOwnPixels() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Over 3200 wide, so the JPEG is decoded at half size (still at least 1600).
        let (image, ink) = try Self.number(["7-grey.png", "3-thick-grey.png"], margin: 60, zoom: 10)
        #expect(image.width > 3200)
        let path = folder.appendingPathComponent("big.jpg").path
        try Data(try image.jpegData(quality: 90)).write(to: URL(fileURLWithPath: path))
        let result = try DigitsExecutable.run(["read", "--json", path])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try objects(result).first)
        #expect(object["file"] as? String == path)
        #expect(object["text"] as? String == "73")
        #expect((object["model"] as? String)?.hasPrefix("built-in") == true)
        #expect(object["lines"] == nil, "one line: no lines field")
        let digits = try #require(object["digits"] as? [[String: Any]])
        #expect(digits.count == 2)
        var product = 1.0
        for (digit, columns) in zip(digits, ink) {
            let box = try #require(digit["box"] as? [String: Int])
            let x = try #require(box["x"]), width = try #require(box["width"])
            // The analysis counts the grey edge as ink, which a zoom of 10 makes 10 pixels wide.
            #expect(abs(x - columns.lowerBound) <= 40 && abs(x + width - columns.upperBound) <= 40,
                    "box \(box) for ink in columns \(columns)")
            #expect(try #require(box["y"]) >= 0 && box["height"]! > 500)
            let confidence = try #require(digit["confidence"] as? Double)
            product *= confidence
            let alternatives = try #require(digit["alternatives"] as? [[String: Any]])
            #expect(alternatives.count == 3)
            #expect(alternatives.first?["digit"] as? Int == digit["digit"] as? Int)
            #expect(alternatives.first?["probability"] is Double)
        }
        #expect(digits.map { $0["digit"] as? Int } == [7, 3])
        #expect(abs((object["confidence"] as? Double ?? 0) - product) < 1e-6)
    }

    @Test func aBlankPageHasNoDigits() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("blank.png").path
        try Image(width: 200, height: 120, layout: .gray, pixels: [UInt8](repeating: 240, count: 200 * 120)).writePNG(to: path)
        let text = try DigitsExecutable.run(["read", path])
        #expect(text.status == 0)
        #expect(text.outputLines.last == "\(path): no digits")
        let object = try #require(try objects(try DigitsExecutable.run(["read", "--json", path])).first)
        #expect(object["text"] as? String == "")
        #expect(object["confidence"] as? Double == 0)
        #expect((object["digits"] as? [Any])?.isEmpty == true)
    }

    @Test func annotateWritesThePictureWithBoxesAndACaption() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("73.png").path
        let image = try Self.number(["7-grey.png", "3-thick-grey.png"]).image
        try image.writePNG(to: path)
        let out = folder.appendingPathComponent("annotated").path
        let result = try DigitsExecutable.run(["read", "--json", "--annotate", out, path])
        #expect(result.status == 0, "\(result.standardError)")
        let box = try #require(((try objects(result).first)?["digits"] as? [[String: Any]])?.first?["box"] as? [String: Int])
        let picture = try Image(contentsOfPNGFile: out + "/73.png", layout: .rgb)
        #expect(picture.width == image.width)
        #expect(picture.height > image.height, "the caption band is below the picture")
        // The paper's corner stays as it was; the box is drawn just outside the digit's ink.
        let corner = Array(picture.pixels[0..<3])
        #expect(corner.allSatisfy { $0 > 200 }, "\(corner)")
        let x = box["x"]! - 1, y = box["y"]! + box["height"]! / 2
        let offset = (y * picture.width + x) * 3
        let frame = Array(picture.pixels[offset..<(offset + 3)])
        #expect(frame == [0x00, 0x9E, 0x73] || frame == [0xE6, 0x9F, 0x00], "a green or orange frame: \(frame)")
    }

    // MARK: - Bad input

    @Test(arguments: [
        ("missing.png", nil as [UInt8]?),
        ("picture.gif", Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 40)),
        ("truncated.jpg", nil),
    ])
    func badInputIsOneErrorLineAndExitOne(name: String, bytes: [UInt8]?) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        if let bytes { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        if name == "truncated.jpg" {
            let whole = try Self.number(["7-grey.png"]).image.jpegData(quality: 90)
            try Data(whole.prefix(whole.count / 2)).write(to: URL(fileURLWithPath: path))
        }
        let good = folder.appendingPathComponent("good.png").path
        try Self.number(["7-grey.png", "3-thick-grey.png"]).image.writePNG(to: good)
        let result = try DigitsExecutable.run(["read", path, good])
        #expect(!result.wasSignalled)
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "\(result.errorLines)")
        #expect(result.errorLines.first?.hasPrefix("error: ") == true)
        #expect(result.errorLines.first?.contains(name) == true, "\(result.errorLines)")
        #expect(result.outputLines.last?.hasPrefix("\(good): 73") == true, "the other files go on")
    }
}
