// Decoding JPEGs the encoder made: values back within JPEG's loss, every layout, progressive,
// CMYK and YCCK, and the scale libjpeg is asked for.

import JPEG
import PNG
import Testing

@Suite("JPEG decoding")
struct JPEGDecodeTests {
    /// A smooth colour picture: red across, green down, blue against both.
    static func colourGradient(width: Int = 40, height: Int = 24) -> Image {
        var image = Image(width: width, height: height, layout: .rgb, filledWith: 0)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y, 0] = UInt8(x * 255 / (width - 1))
                image[x, y, 1] = UInt8(y * 255 / (height - 1))
                image[x, y, 2] = UInt8(255 - (x + y) * 255 / (width + height - 2))
            }
        }
        return image
    }

    // MARK: Grey and colour

    @Test("a grey JPEG decodes to its values within JPEG's loss, in every layout")
    func grey() throws {
        let original = gradient(width: 37, height: 21)
        let jpeg = try original.jpegData(quality: 95)
        let gray = try Image(jpegData: jpeg)
        #expect(gray.layout == .gray && gray.width == 37 && gray.height == 21)
        #expect(largestDifference(gray, original) <= 3)
        let rgb = try Image(jpegData: jpeg, layout: .rgb)
        #expect(largestDifference(rgb, gray.converted(to: .rgb)) == 0)
        let rgba = try Image(jpegData: jpeg, layout: .rgba)
        #expect(largestDifference(rgba, gray.converted(to: .rgba)) == 0)
    }

    @Test("an RGB JPEG decodes to RGB within JPEG's loss, to grey as Rec. 601 luma, to RGBA with alpha 255")
    func colour() throws {
        let original = Self.colourGradient()
        let jpeg = try original.jpegData(quality: 95)
        let rgb = try Image(jpegData: jpeg, layout: .rgb)
        // Chroma is stored at half resolution both ways, so colour edges blur a little.
        #expect(largestDifference(rgb, original) <= 12)
        #expect(meanDifference(rgb, original) <= 2)

        let gray = try Image(jpegData: jpeg, layout: .gray)
        var lumaDifference = 0
        for y in 0..<original.height {
            for x in 0..<original.width {
                let expected = luma(Int(original[x, y, 0]), Int(original[x, y, 1]), Int(original[x, y, 2]))
                lumaDifference = max(lumaDifference, abs(Int(gray[x, y]) - expected))
            }
        }
        #expect(lumaDifference <= 3)

        let rgba = try Image(jpegData: jpeg, layout: .rgba)
        #expect(rgba.layout == .rgba)
        #expect(largestDifference(rgba.converted(to: .rgb), rgb) == 0)
        #expect((0..<(rgba.width * rgba.height)).allSatisfy { rgba.pixels[$0 * 4 + 3] == 255 })
    }

    @Test("an RGBA image is encoded over white")
    func encodesAlphaOverWhite() throws {
        let transparent = Image(width: 16, height: 16, layout: .rgba, pixels: [UInt8](repeating: 0, count: 16 * 16 * 4))
        let decoded = try Image(jpegData: try transparent.jpegData())
        #expect(decoded.pixels.allSatisfy { $0 >= 253 })
    }

    @Test("a progressive JPEG decodes like the baseline one")
    func progressive() throws {
        let original = Self.colourGradient(width: 33, height: 17)
        let progressive = try original.jpegData(quality: 92, progressive: true)
        let baseline = try original.jpegData(quality: 92)
        #expect(progressive != baseline)
        // SOF2 marks a progressive frame.
        #expect(segmentOffset(0xC2, in: progressive) != nil && segmentOffset(0xC2, in: baseline) == nil)
        let decoded = try Image(jpegData: progressive, layout: .rgb)
        #expect(largestDifference(decoded, try Image(jpegData: baseline, layout: .rgb)) <= 2)
        #expect(largestDifference(decoded, original) <= 8)
    }

    @Test("a file's name appears in the decoder's errors and its pixels decode from disk")
    func fromFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let original = gradient(width: 20, height: 10)
        let path = try folder.write(try original.jpegData(quality: 95), to: "ramp.jpg")
        let decoded = try Image(contentsOfJPEGFile: path)
        #expect(largestDifference(decoded, original) <= 3)
    }

    // MARK: CMYK

    /// Four flat quadrants of ink (C, M, Y, K in 0…255, 255 full ink) and the RGB each should
    /// give by `R = (255 − C)(255 − K) / 255`.
    static let inks: [(ink: [Int], rgb: [Int])] = [
        ([0, 0, 0, 0], [255, 255, 255]),
        ([255, 0, 0, 0], [0, 255, 255]),
        ([0, 128, 255, 0], [255, 127, 0]),
        ([0, 0, 0, 102], [153, 153, 153]),
    ]

    /// 32×32 CMYK samples of `inks`' quadrants, inverted (255 − ink) when `inverted`.
    static func cmykSamples(inverted: Bool) -> [UInt8] {
        var samples = [UInt8]()
        for y in 0..<32 {
            for x in 0..<32 {
                let ink = inks[(y < 16 ? 0 : 2) + (x < 16 ? 0 : 1)].ink
                samples += ink.map { UInt8(inverted ? 255 - $0 : $0) }
            }
        }
        return samples
    }

    /// Checks each quadrant's centre against `inks`' RGB and its luma.
    static func expectInks(_ jpeg: [UInt8]) throws {
        let rgb = try Image(jpegData: jpeg, layout: .rgb)
        let gray = try Image(jpegData: jpeg, layout: .gray)
        for (index, (_, expected)) in inks.enumerated() {
            let x = index % 2 == 0 ? 8 : 24, y = index < 2 ? 8 : 24
            for channel in 0..<3 {
                #expect(abs(Int(rgb[x, y, channel]) - expected[channel]) <= 4, "quadrant \(index) channel \(channel)")
            }
            #expect(abs(Int(gray[x, y]) - luma(expected[0], expected[1], expected[2])) <= 4, "quadrant \(index) grey")
        }
    }

    @Test("Adobe YCCK, stored inverted as Photoshop does, becomes RGB and grey", arguments: [false, true])
    func adobeYCCK(progressive: Bool) throws {
        let jpeg = try JPEGEncoder.cmykData(width: 32, height: 32, samples: Self.cmykSamples(inverted: true),
                                            quality: 95, progressive: progressive, ycck: true)
        #expect(segmentOffset(0xEE, in: jpeg) != nil)
        try Self.expectInks(jpeg)
    }

    @Test("Adobe CMYK (transform 0), stored inverted, becomes RGB and grey")
    func adobeCMYK() throws {
        let jpeg = try JPEGEncoder.cmykData(width: 32, height: 32, samples: Self.cmykSamples(inverted: true),
                                            quality: 95, ycck: false)
        try Self.expectInks(jpeg)
    }

    @Test("CMYK without an Adobe marker is taken as plain (not inverted) ink")
    func plainCMYK() throws {
        let adobe = try JPEGEncoder.cmykData(width: 32, height: 32, samples: Self.cmykSamples(inverted: false),
                                             quality: 95, ycck: false)
        let plain = removingSegments(0xEE, from: adobe)
        #expect(plain.count < adobe.count && segmentOffset(0xEE, in: plain) == nil)
        try Self.expectInks(plain)
    }

    @Test("CMYK samples of the wrong count are refused")
    func cmykCount() {
        #expect(throws: JPEGError.encodingFailed(message: "2×2 CMYK needs 16 bytes, got 3")) {
            try JPEGEncoder.cmykData(width: 2, height: 2, samples: [1, 2, 3])
        }
    }

    // MARK: Scaled decoding

    @Test("minimumSide picks the smallest scale whose longer side still reaches it",
          arguments: [
              // (width, height, minimumSide, expected width, expected height)
              (4000, 3000, 1000, 1000, 750),
              (4000, 3000, 1001, 2000, 1500),
              (4000, 3000, 500, 500, 375),
              (4000, 3000, 10, 500, 375),
              (4000, 3000, 4000, 4000, 3000),
              (4000, 3000, 5000, 4000, 3000),
              (3000, 4000, 1000, 750, 1000),
              (1001, 601, 126, 126, 76),
              (1001, 601, 127, 251, 151),
          ])
    func scale(width: Int, height: Int, minimumSide: Int, expectedWidth: Int, expectedHeight: Int) throws {
        let jpeg = try Image(width: width, height: height, layout: .gray, filledWith: 200).jpegData(quality: 50)
        let decoded = try Image(jpegData: jpeg, minimumSide: minimumSide)
        #expect(decoded.width == expectedWidth && decoded.height == expectedHeight)
        #expect(decoded.pixels.allSatisfy { abs(Int($0) - 200) <= 1 })
    }

    @Test("no minimumSide decodes at full size")
    func fullSize() throws {
        let jpeg = try Image(width: 801, height: 64, layout: .gray, filledWith: 9).jpegData()
        let decoded = try Image(jpegData: jpeg, layout: .rgb)
        #expect(decoded.width == 801 && decoded.height == 64)
    }

    @Test("a scaled decoding keeps the picture: the quadrants of a 64×32 image at 1/4")
    func scaledContent() throws {
        let values: [UInt8] = [20, 90, 160, 230]
        let jpeg = try quadrants(width: 64, height: 32, values).jpegData(quality: 95)
        let decoded = try Image(jpegData: jpeg, minimumSide: 16)
        #expect(decoded.width == 16 && decoded.height == 8)
        #expect(largestDifference(decoded, quadrants(width: 16, height: 8, values)) <= 4)
    }
}
