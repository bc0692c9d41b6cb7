// Decoding every colour type, bit depth and interlace method, with exact expected values.

import PNG
import PNGFixtures
import Testing

@Suite("PNG decoding")
struct PNGDecodeTests {
    static let kinds: [(RawPNG.ColorType, Int)] = RawPNG.ColorType.allCases.flatMap { type in
        type.legalBitDepths.map { (type, $0) }
    }

    // MARK: Every colour type and bit depth

    @Test("decodes every colour type and bit depth to grey, RGB and RGBA", arguments: kinds)
    func decodesEveryKind(colorType: RawPNG.ColorType, bitDepth: Int) throws {
        let png = samplePNG(colorType, bitDepth: bitDepth, interlaced: false)
        for layout in Image.Layout.allCases {
            let image = try Image(pngData: png.bytes, layout: layout)
            #expect(image.width == 11 && image.height == 9 && image.layout == layout)
            #expect(image.pixels.count == 11 * 9 * layout.channels)
        }
    }

    @Test("Adam7 interlaced and plain files give identical pixels", arguments: kinds)
    func interlacedMatchesPlain(colorType: RawPNG.ColorType, bitDepth: Int) throws {
        let plain = samplePNG(colorType, bitDepth: bitDepth, interlaced: false)
        let interlaced = samplePNG(colorType, bitDepth: bitDepth, interlaced: true)
        #expect(plain.bytes != interlaced.bytes)
        for layout in Image.Layout.allCases {
            #expect(try Image(pngData: interlaced.bytes, layout: layout) == Image(pngData: plain.bytes, layout: layout))
        }
    }

    @Test("a tiny interlaced image with empty Adam7 passes", arguments: [(1, 1), (2, 1), (1, 3), (5, 2)])
    func tinyInterlaced(width: Int, height: Int) throws {
        for (type, depth) in [(RawPNG.ColorType.gray, 1), (.gray, 16), (.rgba, 16), (.palette, 2)] {
            let plain = samplePNG(type, bitDepth: depth, interlaced: false, width: width, height: height)
            let interlaced = samplePNG(type, bitDepth: depth, interlaced: true, width: width, height: height)
            #expect(try Image(pngData: interlaced.bytes, layout: .rgba) == Image(pngData: plain.bytes, layout: .rgba))
        }
    }

    @Test("image data split over several IDAT chunks")
    func splitIDAT() throws {
        var png = samplePNG(.rgb, bitDepth: 8, interlaced: false)
        let whole = try Image(pngData: png.bytes, layout: .rgb)
        png.idatCount = 5
        #expect(try Image(pngData: png.bytes, layout: .rgb) == whole)
    }

    // MARK: Grey values

    @Test("8-bit grey reads back bit-exact")
    func eightBitGreyIsExact() throws {
        let samples = (0..<256).map { UInt16($0) }
        for interlaced in [false, true] {
            let png = RawPNG(width: 16, height: 16, colorType: .gray, samples: samples, interlaced: interlaced)
            #expect(try Image(pngData: png.bytes).pixels == samples.map { UInt8($0) })
        }
    }

    @Test("16-bit grey v·257 reads as v, plain and interlaced")
    func sixteenBitGrey() throws {
        let samples = (0..<256).map { UInt16($0) * 257 }
        for interlaced in [false, true] {
            let png = RawPNG(width: 16, height: 16, colorType: .gray, bitDepth: 16, samples: samples, interlaced: interlaced)
            #expect(try Image(pngData: png.bytes).pixels == (0..<256).map { UInt8($0) })
        }
    }

    @Test("16-bit values between v·257 steps round to nearest")
    func sixteenBitRounding() throws {
        // 140·257 = 35980; 128 above stays 140, 129 above is nearer 141.
        let png = RawPNG(width: 4, height: 1, colorType: .gray, bitDepth: 16, samples: [35980, 36108, 36109, 65535])
        #expect(try Image(pngData: png.bytes).pixels == [140, 140, 141, 255])
    }

    @Test("1, 2 and 4-bit grey scale to 0…255", arguments: [1, 2, 4])
    func lowBitDepthScaling(bitDepth: Int) throws {
        let top = (1 << bitDepth) - 1
        let samples = (0...top).map { UInt16($0) }
        let png = RawPNG(width: samples.count, height: 1, colorType: .gray, bitDepth: bitDepth, samples: samples)
        let expected = (0...top).map { UInt8($0 * 255 / top) }
        #expect(try Image(pngData: png.bytes).pixels == expected)
        if bitDepth == 2 { #expect(expected == [0, 85, 170, 255]) }
    }

    @Test("RGB becomes grey with the Rec. 601 weights")
    func rgbToGrey() throws {
        let png = RawPNG(width: 4, height: 1, colorType: .rgb,
                         samples: [200, 100, 50, 255, 0, 0, 0, 255, 0, 0, 0, 255])
        // 0.299·200 + 0.587·100 + 0.114·50 = 124.2; pure red, green, blue: 76.2, 149.7, 29.1.
        #expect(try Image(pngData: png.bytes).pixels == [124, 76, 150, 29])
    }

    @Test("16-bit RGB becomes grey like its 8-bit equivalent")
    func sixteenBitRGBToGrey() throws {
        let png = RawPNG(width: 1, height: 1, colorType: .rgb, bitDepth: 16, samples: [200 * 257, 100 * 257, 50 * 257])
        #expect(try Image(pngData: png.bytes).pixels == [124])
        #expect(try Image(pngData: png.bytes, layout: .rgb).pixels == [200, 100, 50])
    }

    @Test("a palette image reads its colours", arguments: [1, 2, 4, 8])
    func paletteColours(bitDepth: Int) throws {
        let palette: [UInt8] = [10, 20, 30, 200, 100, 50]
        let png = RawPNG(width: 3, height: 1, colorType: .palette, bitDepth: bitDepth,
                         samples: [1, 0, 1], palette: palette)
        #expect(try Image(pngData: png.bytes, layout: .rgb).pixels == [200, 100, 50, 10, 20, 30, 200, 100, 50])
        #expect(try Image(pngData: png.bytes).pixels == [124, luma(10, 20, 30), 124])
    }

    // MARK: Transparency

    @Test("palette with tRNS is composited over white; RGBA keeps the alpha")
    func paletteTransparency() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 0, 0, 0, 0, 255]
        // Entry 0 half transparent, entry 1 fully transparent, entry 2 (beyond tRNS) opaque.
        let png = RawPNG(width: 3, height: 1, colorType: .palette, samples: [0, 1, 2],
                         palette: palette, transparency: [128, 0])
        #expect(try Image(pngData: png.bytes, layout: .rgba).pixels == [255, 0, 0, 128, 0, 0, 0, 0, 0, 0, 255, 255])
        // Red at α 128 over white: (255, 127, 127), whose luma is 0.299·255 + 0.701·127 = 165.3.
        #expect(try Image(pngData: png.bytes, layout: .rgb).pixels == [255, 127, 127, 255, 255, 255, 0, 0, 255])
        #expect(try Image(pngData: png.bytes).pixels == [165, 255, 29])
    }

    @Test("grey+alpha is composited over white", arguments: [false, true])
    func greyAlpha(interlaced: Bool) throws {
        let png = RawPNG(width: 4, height: 1, colorType: .grayAlpha,
                         samples: [0, 255, 0, 0, 0, 128, 100, 51], interlaced: interlaced)
        #expect(try Image(pngData: png.bytes).pixels == [0, 255, 127, UInt8(overWhite(100, alpha: 51))])
        #expect(try Image(pngData: png.bytes, layout: .rgba).pixels == [0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128, 100, 100, 100, 51])
    }

    @Test("16-bit grey+alpha is composited like 8-bit", arguments: [false, true])
    func sixteenBitGreyAlpha(interlaced: Bool) throws {
        let png = RawPNG(width: 4, height: 1, colorType: .grayAlpha, bitDepth: 16,
                         samples: [0, 65535, 0, 0, 0, 128 * 257, 100 * 257, 51 * 257], interlaced: interlaced)
        #expect(try Image(pngData: png.bytes).pixels == [0, 255, 127, UInt8(overWhite(100, alpha: 51))])
        #expect(try Image(pngData: png.bytes, layout: .rgba).pixels == [0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128, 100, 100, 100, 51])
    }

    @Test("RGBA layout keeps colour and alpha, 8 and 16 bits", arguments: [8, 16])
    func rgbaLayout(bitDepth: Int) throws {
        let scale: UInt16 = bitDepth == 16 ? 257 : 1
        let values: [UInt16] = [200, 100, 50, 255, 10, 20, 30, 128, 0, 255, 0, 64]
        let png = RawPNG(width: 3, height: 1, colorType: .rgba, bitDepth: bitDepth, samples: values.map { $0 * scale })
        #expect(try Image(pngData: png.bytes, layout: .rgba).pixels == values.map { UInt8($0) })
        let rgb = try Image(pngData: png.bytes, layout: .rgb)
        #expect(rgb.pixels == [200, 100, 50, UInt8(overWhite(10, alpha: 128)), UInt8(overWhite(20, alpha: 128)),
                               UInt8(overWhite(30, alpha: 128)), 191, 255, 191])
    }

    @Test("grey and RGB with a tRNS colour key")
    func colourKeyTransparency() throws {
        let grey = RawPNG(width: 2, height: 1, colorType: .gray, samples: [7, 8], transparency: [7])
        #expect(try Image(pngData: grey.bytes, layout: .rgba).pixels == [7, 7, 7, 0, 8, 8, 8, 255])
        #expect(try Image(pngData: grey.bytes).pixels == [255, 8])
        let rgb = RawPNG(width: 2, height: 1, colorType: .rgb, samples: [1, 2, 3, 4, 5, 6], transparency: [4, 5, 6])
        #expect(try Image(pngData: rgb.bytes).pixels == [luma(1, 2, 3), 255])
    }

    // MARK: Gamma

    @Test("8-bit and 16-bit files with an sRGB-like gAMA (1/2.2) or an sRGB chunk are not changed")
    func srgbGammaIsIdentity() throws {
        for bitDepth in [8, 16] {
            let scale: UInt16 = bitDepth == 16 ? 257 : 1
            let samples: [UInt16] = [0, 1, 64, 128, 200, 255].map { $0 * scale }
            let withGamma = RawPNG(width: 6, height: 1, colorType: .gray, bitDepth: bitDepth, samples: samples, gamma: 1 / 2.2)
            let withSRGB = RawPNG(width: 6, height: 1, colorType: .gray, bitDepth: bitDepth, samples: samples, sRGBIntent: 0)
            #expect(try Image(pngData: withGamma.bytes).pixels == [0, 1, 64, 128, 200, 255])
            #expect(try Image(pngData: withSRGB.bytes).pixels == [0, 1, 64, 128, 200, 255])
        }
    }

    /// A gAMA of 1.0 says the samples are linear light: libpng converts 8-bit files for
    /// display (128 → 255·(128/255)^(1/2.2) ≈ 186), and the decoder does the same for 16-bit ones.
    @Test("a linear gAMA (1.0) is converted for display, 8-bit and 16-bit alike", arguments: [false, true])
    func linearGamma(interlaced: Bool) throws {
        let values: [UInt16] = [0, 32, 128, 255]
        let eight = RawPNG(width: 4, height: 1, colorType: .gray, samples: values, interlaced: interlaced, gamma: 1.0)
        let sixteen = RawPNG(width: 4, height: 1, colorType: .gray, bitDepth: 16, samples: values.map { $0 * 257 },
                             interlaced: interlaced, gamma: 1.0)
        let fromEight = try Image(pngData: eight.bytes).pixels
        let fromSixteen = try Image(pngData: sixteen.bytes).pixels
        #expect(fromSixteen == [0, 99, 186, 255])
        for (a, b) in zip(fromEight, fromSixteen) { #expect(abs(Int(a) - Int(b)) <= 1) }
    }

    // MARK: Files

    @Test("decoding a file equals decoding its bytes")
    func fileMatchesMemory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let png = samplePNG(.rgba, bitDepth: 16, interlaced: true)
        let path = try folder.write(png.bytes, to: "sample.png")
        #expect(try Image(contentsOfPNGFile: path, layout: .rgba) == Image(pngData: png.bytes, layout: .rgba))
        #expect(try Image(contentsOfPNGFile: path) == Image(pngData: png.bytes))
    }
}
