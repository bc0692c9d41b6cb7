// Decoding: any valid PNG (every colour type, bit depth 1–16, palette, transparency, Adam7)
// into 8-bit grey, RGB or RGBA, through libpng's simplified API.

import CPNG

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
    var control = png_image()
    control.version = png_uint_32(PNG_IMAGE_VERSION)
    defer { png_image_free(&control) }

    let began = data.withUnsafeBytes { buffer in
        png_image_begin_read_from_memory(&control, buffer.baseAddress, buffer.count)
    }
    guard began != 0 else { throw .invalid(source: source, message: libpngMessage(control)) }

    let width = Int(control.width), height = Int(control.height)
    guard width <= PNGLimits.maximumSide, height <= PNGLimits.maximumSide,
          width * height <= PNGLimits.maximumPixels else {
        throw .tooLarge(source: source, width: width, height: height)
    }

    // Without this flag libpng takes a 16-bit file without gAMA/sRGB chunks as linear light
    // and brightens it on the way to 8 bits (grey 140·257 would read as 194).
    control.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
    control.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)

    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    let finished = pixels.withUnsafeMutableBytes { buffer in
        png_image_finish_read(&control, nil, buffer.baseAddress, png_int_32(width * 4), nil)
    }
    guard finished != 0 else { throw .invalid(source: source, message: libpngMessage(control)) }
    return Image(width: width, height: height, layout: .rgba, pixels: pixels)
}

/// The text libpng left in `control.message` (a fixed-size C array).
func libpngMessage(_ control: png_image) -> String {
    var message = control.message
    let text = withUnsafeBytes(of: &message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "unknown libpng error" : text
}
