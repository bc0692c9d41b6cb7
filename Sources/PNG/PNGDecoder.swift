// Decoding: any valid PNG (every colour type, bit depth 1–16, palette, transparency, Adam7)
// into 8-bit grey, RGB or RGBA, through libpng's simplified API.

import CPNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Image {
    /// Decodes the PNG file at `path` into `layout`.
    ///
    /// See `init(pngData:layout:source:)` for how colours and transparency are converted.
    public init(contentsOfPNGFile path: String, layout: Layout = .gray) throws(PNGError) {
        let bytes = try readFileBytes(at: path)
        try self.init(pngData: bytes, layout: layout, source: path)
    }

    /// Decodes PNG bytes into `layout`; `source` names the data in error messages.
    ///
    /// Conversions are done on the stored (gamma-encoded) values, as image editors do:
    /// - bit depths below 8 are scaled to 0…255 (a 2-bit 1 becomes 85) and 16-bit values are
    ///   rounded to 8 bits (`v·257` becomes `v`); a 16-bit file without colour-space chunks
    ///   is taken as sRGB, like an 8-bit one;
    /// - a gAMA chunk far from sRGB's 1/2.2 is corrected for display, at any bit depth:
    ///   `out = in^(1 / (2.2·gamma))`, so a linear (gamma 1.0) 128 reads as 186;
    /// - for `.gray` and `.rgb`, transparency is composited over white:
    ///   `c' = (c·α + 255·(255 − α)) / 255`;
    /// - colour becomes grey with the Rec. 601 luma weights, `Y = 0.299 R + 0.587 G + 0.114 B`
    ///   (what most image tools call "greyscale"), so a grey file reads back unchanged.
    ///
    /// The header is checked against `PNGLimits` before any pixel memory is allocated.
    public init(pngData: [UInt8], layout: Layout = .gray, source: String = "PNG data") throws(PNGError) {
        let rgba = try decodeRGBA(pngData, source: source)
        switch layout {
        case .rgba:
            self = rgba
        case .rgb:
            self = rgba.compositedOverWhite()
        case .gray:
            self = rgba.compositedOverWhite().grayscale()
        }
    }

    /// This image in another layout: alpha is composited over white when it is dropped, colour
    /// becomes grey by the Rec. 601 weights, and grey is copied to each colour channel.
    public func converted(to target: Layout) -> Image {
        switch (layout, target) {
        case (.gray, .gray), (.rgb, .rgb), (.rgba, .rgba):
            return self
        case (.rgba, .rgb):
            return compositedOverWhite()
        case (.rgba, .gray):
            return compositedOverWhite().grayscale()
        case (.rgb, .gray):
            return grayscale()
        case (.gray, _), (.rgb, .rgba):
            var expanded = [UInt8]()
            expanded.reserveCapacity(width * height * target.channels)
            for pixel in 0..<(width * height) {
                let gray = layout == .gray ? pixels[pixel] : 0
                for channel in 0..<3 { expanded.append(layout == .gray ? gray : pixels[pixel * 3 + channel]) }
                if target == .rgba { expanded.append(255) }
            }
            return Image(width: width, height: height, layout: target, pixels: expanded)
        }
    }

    /// This RGBA image with its alpha composited over white, as RGB.
    func compositedOverWhite() -> Image {
        precondition(layout == .rgba)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    let alpha = UInt32(source[pixel * 4 + 3])
                    for channel in 0..<3 {
                        let value = UInt32(source[pixel * 4 + channel])
                        target[pixel * 3 + channel] = UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255)
                    }
                }
            }
        }
        return Image(width: width, height: height, layout: .rgb, pixels: rgb)
    }

    /// This RGB image as grey, `Y = (299 R + 587 G + 114 B) / 1000` rounded to nearest.
    func grayscale() -> Image {
        precondition(layout == .rgb)
        var gray = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { source in
            gray.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    let red = UInt32(source[pixel * 3]), green = UInt32(source[pixel * 3 + 1])
                    let blue = UInt32(source[pixel * 3 + 2])
                    target[pixel] = UInt8((299 * red + 587 * green + 114 * blue + 500) / 1000)
                }
            }
        }
        return Image(width: width, height: height, layout: .gray, pixels: gray)
    }
}

/// Reads any PNG as 8-bit, non-premultiplied RGBA.
private func decodeRGBA(_ data: [UInt8], source: String) throws(PNGError) -> Image {
    try checkSignature(data, source: source)
    let reader = try PNGReader(data, source: source)
    let width = Int(reader.control.pointee.width), height = Int(reader.control.pointee.height)
    guard width <= PNGLimits.maximumSide, height <= PNGLimits.maximumSide,
          width * height <= PNGLimits.maximumPixels else {
        throw .tooLarge(source: source, width: width, height: height)
    }
    if reader.control.pointee.format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0 {
        return try decodeSixteenBitRGBA(data, width: width, height: height, source: source)
    }

    reader.control.pointee.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    let finished = pixels.withUnsafeMutableBytes { reader.finish(into: $0.baseAddress, rowStride: width * 4) }
    guard finished else { throw reader.failure }
    return Image(width: width, height: height, layout: .rgba, pixels: pixels)
}

/// Refuses data that does not start with the PNG signature, saying what it is when that is
/// easy to tell; libpng's own words for these ("invalid argument", "read beyond end of data")
/// would not help a person.
private func checkSignature(_ data: [UInt8], source: String) throws(PNGError) {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard !data.starts(with: signature) else { return }
    if data.isEmpty { throw .invalid(source: source, message: "the file is empty") }
    if data.starts(with: [0xFF, 0xD8, 0xFF]) { throw .invalid(source: source, message: "not a PNG file but a JPEG") }
    if signature.starts(with: data) { throw .invalid(source: source, message: "the file ends inside the PNG signature") }
    throw .invalid(source: source, message: "not a PNG file (no PNG signature)")
}

/// Reads a 16-bit PNG (already checked against the limits) as 8-bit RGBA.
///
/// libpng's own 16-to-8-bit reduction garbles Adam7 images in the libpng 1.6 builds that carry
/// the CVE-2025-65018 fix (pnggroup/libpng#853, Debian's 1.6.39-2+deb12u4 among them), so this
/// asks libpng for 16-bit output and reduces in Swift. The colour-space chunks are removed first
/// so that libpng passes the stored values through (premultiplied by alpha, undone here); a gAMA
/// chunk's gamma is then applied as libpng does for 8-bit files.
private func decodeSixteenBitRGBA(_ data: [UInt8], width: Int, height: Int, source: String) throws(PNGError) -> Image {
    let (stored, fileGamma) = removingColorSpaceChunks(data)
    let reader = try PNGReader(stored, source: source)
    reader.control.pointee.format = png_uint_32(PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    var wide = [UInt16](repeating: 0, count: width * height * 4)
    let finished = wide.withUnsafeMutableBytes { reader.finish(into: $0.baseAddress, rowStride: width * 4) }
    guard finished else { throw reader.failure }

    let toEightBits = SixteenToEightBits(fileGamma: fileGamma)
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    for pixel in 0..<(width * height) {
        let alpha = UInt32(wide[pixel * 4 + 3])
        pixels[pixel * 4 + 3] = UInt8((alpha * 255 + 32767) / 65535)
        guard alpha > 0 else { continue }
        for channel in 0..<3 {
            let premultiplied = UInt32(wide[pixel * 4 + channel])
            let straight = min(65535, (premultiplied * 65535 + alpha / 2) / alpha)
            pixels[pixel * 4 + channel] = toEightBits(straight)
        }
    }
    return Image(width: width, height: height, layout: .rgba, pixels: pixels)
}

/// Reduces 16-bit samples to 8 bits, rounding (`v·257` becomes `v`), after the gamma correction
/// that libpng applies to 8-bit files with this gAMA value: `out = in^(1 / (2.2·gamma))`,
/// skipped when that exponent is within 5 % of 1 (no gAMA chunk, sRGB, gAMA 1/2.2).
private struct SixteenToEightBits {
    private let exponent: Double
    private let correctsGamma: Bool

    init(fileGamma: Double?) {
        exponent = 1 / (2.2 * (fileGamma ?? 1 / 2.2))
        correctsGamma = abs(exponent - 1) > 0.05
    }

    func callAsFunction(_ value: UInt32) -> UInt8 {
        correctsGamma ? UInt8((pow(Double(value) / 65535, exponent) * 255).rounded())
                      : UInt8((value * 255 + 32767) / 65535)
    }
}

/// `data` without its gAMA, sRGB and iCCP chunks, and the gamma they declared (an sRGB chunk
/// counts as 1/2.2). Chunks are walked only up to the first IDAT; anything malformed is left
/// in place for libpng to report.
private func removingColorSpaceChunks(_ data: [UInt8]) -> (data: [UInt8], fileGamma: Double?) {
    var kept = Array(data.prefix(8))
    var fileGamma: Double?
    var sRGB = false
    var position = 8
    while position + 12 <= data.count {
        let length = data[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
        let type = String(decoding: data[(position + 4)..<(position + 8)], as: UTF8.self)
        let end = position + 12 + length
        guard end <= data.count, type != "IDAT" else { break }
        switch type {
        case "gAMA" where length == 4:
            let value = data[(position + 8)..<(position + 12)].reduce(0) { $0 << 8 | Int($1) }
            if value > 0 { fileGamma = Double(value) / 100_000 }
        case "sRGB":
            sRGB = true
        case "gAMA", "iCCP":
            break
        default:
            kept += data[position..<end]
        }
        position = end
    }
    kept += data[position...]
    return (kept, sRGB ? 1 / 2.2 : fileGamma)
}

/// One libpng read in progress. The `png_image` lives at a fixed heap address because libpng
/// keeps pointers to it (for errors and for reading from memory) between calls.
private final class PNGReader {
    let control: UnsafeMutablePointer<png_image>
    /// A copy of the PNG bytes that libpng reads from until `deinit`.
    private let data: UnsafeMutableRawBufferPointer
    private let source: String

    /// Parses the header of `data`; no pixel memory is allocated yet.
    init(_ data: [UInt8], source: String) throws(PNGError) {
        self.data = .allocate(byteCount: max(data.count, 1), alignment: 16)
        self.data.copyBytes(from: data)
        self.source = source
        control = .allocate(capacity: 1)
        control.initialize(to: png_image())
        control.pointee.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = png_image_begin_read_from_memory(control, self.data.baseAddress, data.count)
        guard began != 0 else { throw failure }
    }

    /// Decodes the pixels into `buffer` in the format set on `control`; `rowStride` counts
    /// components. On `false`, `failure` says why.
    func finish(into buffer: UnsafeMutableRawPointer?, rowStride: Int) -> Bool {
        png_image_finish_read(control, nil, buffer, png_int_32(rowStride), nil) != 0
    }

    /// libpng's complaint about this data, as a Swift error.
    var failure: PNGError { .invalid(source: source, message: libpngMessage(control.pointee)) }

    deinit {
        png_image_free(control)
        control.deallocate()
        data.deallocate()
    }
}

/// The text libpng left in `control.message` (a fixed-size C array).
func libpngMessage(_ control: png_image) -> String {
    var message = control.message
    let text = withUnsafeBytes(of: &message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "unknown libpng error" : text
}
