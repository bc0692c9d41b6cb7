// `digits classify` as a person with their own pictures meets it: the built-in model from any
// folder, JPEG photos, "not a digit", `--no-reject`, formats it does not read, and the strip
// of steps that `--show-input` writes.

import Foundation
import JPEG
import PNG
import Testing

@Suite("Real pictures")
struct RealPictureTests {
    let samples = DigitsExecutable.packageRoot.appendingPathComponent("samples").path

    /// Parses each stdout line of a `--json` run.
    func objects(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.outputLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func theBuiltInModelAnswersFromAFolderWithoutOutput() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try DigitsExecutable.run(["classify", samples + "/7-grey.png"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.first?.hasPrefix("model: built-in (784-") == true, "\(result.outputLines)")
        #expect(result.outputLines.last == samples + "/7-grey.png: 7 (\(try #require(result.outputLines.last?.split(separator: "(").last))",
                "\(result.outputLines)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("output").path))
    }

    @Test func theBuiltInModelReadsEverySampleRight() throws {
        let result = try DigitsExecutable.run(["classify", "--json", samples])
        #expect(result.status == 0, "\(result.standardError)")
        for object in try objects(result) {
            let name = try #require((object["file"] as? String).map { ($0 as NSString).lastPathComponent })
            #expect((object["model"] as? String)?.hasPrefix("built-in") == true)
            if let truth = name.first?.wholeNumberValue {
                #expect(object["prediction"] as? Int == truth, "\(name): \(object)")
            } else {
                #expect(object["prediction"] is NSNull, "\(name) is no digit: \(object)")
                #expect(object["reason"] is String)
            }
        }
    }

    @Test func aBlankPageIsNotADigitWithAReason() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blank = folder.appendingPathComponent("blank.jpg").path
        let paper = Image(width: 120, height: 90, layout: .gray, pixels: (0..<120 * 90).map { 225 + UInt8($0 % 7) })
        try Data(try paper.jpegData(quality: 80)).write(to: URL(fileURLWithPath: blank))
        let text = try DigitsExecutable.run(["classify", blank])
        #expect(text.status == 0, "not a digit is an answer: \(text.standardError)")
        #expect(text.outputLines.last == "\(blank): not a digit (no ink found)")
        let json = try objects(try DigitsExecutable.run(["classify", "--json", blank]))
        #expect(json.count == 1)
        #expect(json[0]["prediction"] is NSNull)
        #expect(json[0]["reason"] as? String == "no ink found")
    }

    @Test func aJPEGPhotoTurnedByEXIFIsRead() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The sample 7, made 4× larger and stored turned a quarter anticlockwise, with EXIF
        // orientation 6, which tells a viewer to turn it a quarter clockwise to show it.
        let seven = try Image(contentsOfPNGFile: samples + "/7-grey.png", layout: .gray)
        var large = Image(width: seven.width * 4, height: seven.height * 4, layout: .gray, filledWith: 0)
        for y in 0..<large.height {
            for x in 0..<large.width { large[x, y] = seven[x / 4, y / 4] }
        }
        // Stored pixel (x, y) holds upright pixel (W−1−y, x).
        var stored = Image(width: large.height, height: large.width, layout: .gray, filledWith: 0)
        for y in 0..<stored.height {
            for x in 0..<stored.width { stored[x, y] = large[large.width - 1 - y, x] }
        }
        let path = folder.appendingPathComponent("turned.jpg").path
        try Data(try stored.jpegData(quality: 90, exif: Self.exifOrientation(6))).write(to: URL(fileURLWithPath: path))
        let result = try DigitsExecutable.run(["classify", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.last?.hasPrefix("\(path): 7 (") == true, "\(result.outputLines)")
        let unturned = folder.appendingPathComponent("unturned.jpg").path
        try Data(try stored.jpegData(quality: 90)).write(to: URL(fileURLWithPath: unturned))
        let sideways = try DigitsExecutable.run(["classify", unturned])
        #expect(sideways.outputLines.last?.hasPrefix("\(unturned): 7 (") == false, "without the tag it lies on its side")
    }

    @Test func noRejectAlwaysNamesADigit() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A thick X, which is no digit.
        var cross = Image(width: 64, height: 64, layout: .gray, filledWith: 255)
        for i in 8..<56 {
            for t in -3...3 {
                cross[i, min(63, max(0, i + t))] = 0
                cross[63 - i, min(63, max(0, i + t))] = 0
            }
        }
        let path = folder.appendingPathComponent("cross.png").path
        try cross.writePNG(to: path)
        let plain = try objects(try DigitsExecutable.run(["classify", "--json", "--no-reject", path]))
        #expect(plain.first?["prediction"] is Int, "\(plain)")
        #expect(plain.first?["reason"] == nil)
    }

    @Test(arguments: [
        ("photo.gif", Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 20), "a GIF file"),
        ("scan.bmp", Array("BM".utf8) + [UInt8](repeating: 0, count: 40), "a BMP file"),
        ("phone.jpg", [0, 0, 0, 24] + Array("ftypheic".utf8) + [UInt8](repeating: 0, count: 12), "a HEIC file"),
    ])
    func otherFormatsAreNamedInOneErrorLine(name: String, bytes: [UInt8], format: String) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try DigitsExecutable.run(["classify", path])
        #expect(result.status == 1)
        #expect(!result.wasSignalled)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.contains(format) == true, "\(result.errorLines)")
        #expect(result.errorLines.first?.contains("digits reads PNG and JPEG") == true, "\(result.errorLines)")
    }

    @Test func showInputWritesTheStripOfSteps() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let view = folder.appendingPathComponent("seen").path
        let result = try DigitsExecutable.run(["classify", samples + "/5-palette.png", "--show-input", view])
        #expect(result.status == 0, "\(result.standardError)")
        let strip = try Image(contentsOfPNGFile: view + "/5-palette.png", layout: .gray)
        #expect(strip.width > 4 * 168 && strip.height > 168, "four panels of 168 pixels' height, captioned")
        #expect(strip[0, 0] == 255, "a white page")
        // The last panel is the 28×28 scaled 6× (168/28): its corner is the network's black background.
        let lastPanelLeft = strip.width - 12 - 168
        #expect(strip[lastPanelLeft + 2, 12 + 2] == 0)
    }

    /// A minimal EXIF APP1 payload (big-endian TIFF) holding only the orientation tag.
    static func exifOrientation(_ value: UInt16) -> [UInt8] {
        Array("Exif".utf8) + [0, 0] + Array("MM".utf8) + [0, 42, 0, 0, 0, 8]
            + [0, 1] + [0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(value >> 8), UInt8(value & 0xFF), 0, 0] + [0, 0, 0, 0]
    }
}
