import DigitData
import PNG
import PNGFixtures
import Testing

/// An MNIST digit as a person might draw it: dark ink on white, each pixel a `factor × factor`
/// block, pasted with its top-left corner at (`x`, `y`) of a white `width × height` canvas.
/// Returns the grey value of every canvas pixel.
private func userStyle(_ digit: [UInt8], factor: Int = 5, width: Int = 200, height: Int = 180,
                       x: Int = 37, y: Int = 23) -> Image {
    var canvas = Image(width: width, height: height, layout: .gray, filledWith: 255)
    for row in 0..<28 * factor {
        for column in 0..<28 * factor {
            canvas[x + column, y + row] = 255 - digit[(row / factor) * 28 + column / factor]
        }
    }
    return canvas
}

/// The grey canvas written as one of the PNG encodings people's files come in; each decodes
/// back to exactly the same grey values (RGB: r = g = b; RGBA: black ink whose opacity is
/// the MNIST value, over a transparent background; palette: a 256-grey palette; 16-bit: v·257).
private func pngFile(_ canvas: Image, as encoding: String) throws -> [UInt8] {
    let grey = canvas.pixels
    switch encoding {
    case "grey":
        return try canvas.pngData()
    case "rgb":
        return try Image(width: canvas.width, height: canvas.height, layout: .rgb,
                         pixels: grey.flatMap { [$0, $0, $0] }).pngData()
    case "rgba":
        return try Image(width: canvas.width, height: canvas.height, layout: .rgba,
                         pixels: grey.flatMap { [0, 0, 0, 255 - $0] }).pngData()
    case "palette":
        return RawPNG(width: canvas.width, height: canvas.height, colorType: .palette,
                      samples: grey.map { UInt16($0) },
                      palette: (0...255).flatMap { [UInt8($0), UInt8($0), UInt8($0)] }).bytes
    case "grey16":
        return RawPNG(width: canvas.width, height: canvas.height, colorType: .gray, bitDepth: 16,
                      samples: grey.map { UInt16($0) * 257 }).bytes
    default:
        fatalError("no encoding \(encoding)")
    }
}

/// Mean absolute difference of two byte images, in grey levels (0…255).
private func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
    zip(a, b).reduce(0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
}

/// The centre of mass of a 28×28 image, in pixel indices.
private func centreOfMass(_ pixels: [UInt8]) -> (x: Double, y: Double) {
    var mass = 0.0, x = 0.0, y = 0.0
    for (index, value) in pixels.enumerated() {
        mass += Double(value); x += Double(value) * Double(index % 28); y += Double(value) * Double(index / 28)
    }
    return (x / mass, y / mass)
}

/// The rows and columns of a 28×28 image that hold any ink.
private func inkExtent(_ pixels: [UInt8]) -> (width: Int, height: Int) {
    let rows = (0..<28).filter { row in (0..<28).contains { pixels[row * 28 + $0] > 0 } }
    let columns = (0..<28).filter { column in (0..<28).contains { pixels[$0 * 28 + column] > 0 } }
    return (columns.count, rows.count)
}

@Suite("Digit normaliser")
struct DigitNormalizerTests {
    let directory = TemporaryDirectory()
    /// MNIST test digit 0, a 7.
    let seven = Array(mnistTest.image(at: 0))

    // MARK: Round trips through user-style files

    // Why the bound is 1 grey level: the ×5 copy is nearest-neighbour, so the 20-pixel box of
    // an MNIST digit becomes exactly 100 pixels and area-averaging by exactly 5 gives back
    // each original pixel; every encoding here decodes to the same grey values; MNIST's own
    // centre-of-mass placement is the integer shift that ours repeats. What may remain is the
    // contrast stretch (a digit whose strongest ink is 254 gains at most one level a pixel)
    // and rounding. A placement one pixel off costs this digit a mean of 20 levels, and the
    // resampling of a non-integer scale (×3.3) about 3, so the bound catches either.
    @Test("an MNIST digit drawn dark on white, ×5, off-centre, comes back", arguments: ["grey", "rgb", "rgba", "palette", "grey16"])
    func roundTrip(encoding: String) throws {
        let path = directory.write(try pngFile(userStyle(seven), as: encoding), to: "seven-\(encoding).png")
        let normalized = try DigitNormalizer.normalizeFile(path)
        #expect(normalized.count == 784)
        #expect(meanAbsoluteDifference(normalized, seven) <= 1.0)
    }

    // Across many digits the same holds except where a digit's centre of mass lies within a
    // hair of a rounding tie (x.5): dropping the faint pixels outside the crop then moves
    // it across, and the digit lands one pixel over (4 of the first 300 test digits).
    @Test("the first 50 MNIST test digits come back, bar the odd rounding tie")
    func roundTripMany() throws {
        let differences = try (0..<50).map { index in
            let digit = Array(mnistTest.image(at: index))
            return meanAbsoluteDifference(try DigitNormalizer.normalize(userStyle(digit), source: "digit \(index)"), digit)
        }
        #expect(differences.count { $0 <= 1.0 } >= 48)
    }

    @Test("the same digit at two places on the canvas gives the same vector")
    func translationInvariant() throws {
        let first = try DigitNormalizer.normalize(userStyle(seven, width: 300, height: 260, x: 5, y: 7), source: "a")
        let second = try DigitNormalizer.normalize(userStyle(seven, width: 300, height: 260, x: 151, y: 113), source: "b")
        #expect(first == second)
    }

    @Test("a colour image in memory is made grey first, as the decoder would")
    func colourImagesInMemory() throws {
        let grey = userStyle(seven)
        let expected = try DigitNormalizer.normalize(grey, source: "grey")
        for layout in [Image.Layout.rgb, .rgba] {
            #expect(try DigitNormalizer.normalize(grey.converted(to: layout), source: "\(layout)") == expected)
        }
    }

    // MARK: The steps

    @Test("bright ink on black needs no inversion and gives the same result")
    func polarity() throws {
        let dark = try DigitNormalizer.normalize(userStyle(seven), source: "dark")
        var light = userStyle(seven)
        light.pixels = light.pixels.map { 255 - $0 }
        #expect(try DigitNormalizer.normalize(light, source: "light") == dark)
    }

    @Test("grey paper and grey pencil are stretched to MNIST's black and white")
    func paperAndPencil() throws {
        var faint = userStyle(seven)
        // Paper at 200, full ink at 60: a contrast of 140 instead of 255.
        faint.pixels = faint.pixels.map { UInt8(60 + (Int($0) * 140 + 127) / 255) }
        let normalized = try DigitNormalizer.normalize(faint, source: "faint")
        // Requantising 140 levels to 255 is off by at most a level a pixel.
        #expect(meanAbsoluteDifference(normalized, seven) <= 1.0)
        #expect(normalized.max() == 255)
    }

    @Test("faint specks away from the digit are ignored")
    func specks() throws {
        var noisy = userStyle(seven)
        for (x, y) in [(3, 90), (190, 4), (120, 175), (10, 10)] { noisy[x, y] = 200 }
        #expect(try DigitNormalizer.normalize(noisy, source: "noisy") == DigitNormalizer.normalize(userStyle(seven), source: "clean"))
    }

    @Test("a tall stroke fills 20 pixels of height, keeps its aspect ratio, and is centred")
    func tallStroke() throws {
        var canvas = Image(width: 100, height: 100, layout: .gray, filledWith: 255)
        for y in 10..<70 { for x in 40..<52 { canvas[x, y] = 0 } }
        let normalized = try DigitNormalizer.normalize(canvas, source: "bar")
        #expect(inkExtent(normalized) == (width: 4, height: 20))
        let centre = centreOfMass(normalized)
        #expect(abs(centre.x - 14) <= 0.5 && abs(centre.y - 14) <= 0.5)
    }

    @Test("a wide stroke fills 20 pixels of width, averaging partial pixels at its edges")
    func wideStroke() throws {
        var canvas = Image(width: 90, height: 40, layout: .gray, filledWith: 255)
        for y in 15..<22 { for x in 5..<85 { canvas[x, y] = 0 } }
        let normalized = try DigitNormalizer.normalize(canvas, source: "bar")
        // 80 × 7 scales by 1/4 to 20 × 1.75, rounded to 2 rows of 80 × 3.5 source pixels each.
        #expect(inkExtent(normalized) == (width: 20, height: 2))
        #expect(Set(normalized) == [0, 255])
    }

    @Test("a small digit is scaled up to the 20-pixel box")
    func smallDigit() throws {
        var canvas = Image(width: 50, height: 50, layout: .gray, filledWith: 255)
        for y in 20..<30 { for x in 22..<27 { canvas[x, y] = 0 } }
        let normalized = try DigitNormalizer.normalize(canvas, source: "small")
        #expect(inkExtent(normalized) == (width: 10, height: 20))
    }

    @Test("the centre of mass of MNIST-sized digits lands within half a pixel of (14, 14)")
    func centred() throws {
        for index in [1, 2, 3, 4] {
            let normalized = try DigitNormalizer.normalize(userStyle(Array(mnistTest.image(at: index)), x: 50, y: 9), source: "digit")
            let centre = centreOfMass(normalized)
            #expect(abs(centre.x - 14) <= 0.5 && abs(centre.y - 14) <= 0.5)
        }
    }

    @Test("inputs are x/255")
    func inputs() {
        #expect(DigitNormalizer.inputs([0, 51, 255]) == [0, 0.2, 1])
    }

    // MARK: Errors

    @Test("a blank image is no digit", arguments: [
        ("white", [UInt8](repeating: 255, count: 400)),
        ("black", [UInt8](repeating: 0, count: 400)),
        ("grey", [UInt8](repeating: 128, count: 400)),
        ("faint noise", (0..<400).map { UInt8(255 - ($0 * 7919) % 20) }),
    ])
    func blank(name: String, pixels: [UInt8]) throws {
        let image = Image(width: 20, height: 20, layout: .gray, pixels: pixels)
        let path = directory.write(try image.pngData(), to: "\(name).png")
        let error = dataError { try DigitNormalizer.normalizeFile(path) }
        #expect(error == .noDigit(source: path))
        #expect(error?.description == "no digit found in \(path)")
    }

    @Test("an image without pixels is no digit")
    func empty() {
        let error = dataError { try DigitNormalizer.normalize(Image(width: 0, height: 0, layout: .gray, pixels: []), source: "empty") }
        #expect(error?.description == "no digit found in empty")
    }

    // normalizeFile reads PNG and JPEG, told apart by their first bytes (PictureFile), so a
    // file that is neither is named as such, and a damaged PNG gets the PNG module's message.
    @Test("a missing file, a file that is no picture and a damaged PNG each get their message")
    func unreadable() throws {
        let missing = "\(directory.path)/missing.png"
        #expect(dataError { try DigitNormalizer.normalizeFile(missing) }?.description == "cannot read \(missing): No such file or directory")
        let text = directory.write(Array("not a picture".utf8), to: "text.png")
        #expect(dataError { try DigitNormalizer.normalizeFile(text) } == .unsupportedFormat(path: text, format: nil))
        let damaged = directory.write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("not a picture".utf8), to: "damaged.png")
        let error = try #require(dataError { try DigitNormalizer.normalizeFile(damaged) })
        guard case .png(.invalid(source: damaged, message: _)) = error else {
            Issue.record("expected an invalid-PNG error, got \(error)")
            return
        }
        #expect(error.description.hasPrefix("\(damaged) is not a valid PNG: "))
    }
}
