// Encoding: 8-bit grey, RGB or RGBA images to PNG bytes or files, through libpng's simplified API.

import CPNG

extension Image {
    /// The image encoded as PNG (8 bits a channel, no interlacing).
    public func pngData() throws(PNGError) -> [UInt8] {
        guard width > 0, height > 0 else { throw .encodingFailed(message: "an image needs at least one pixel, this one is \(width)×\(height)") }
        var control = png_image()
        control.version = png_uint_32(PNG_IMAGE_VERSION)
        control.width = png_uint_32(width)
        control.height = png_uint_32(height)
        control.format = switch layout {
        case .gray: png_uint_32(PNG_FORMAT_GRAY)
        case .rgb: png_uint_32(PNG_FORMAT_RGB)
        case .rgba: png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        }
        defer { png_image_free(&control) }

        let rowStride = png_int_32(width * layout.channels)
        // One compression pass into a buffer of libpng's worst-case size (png.h's
        // PNG_IMAGE_PNG_SIZE_MAX, a macro Swift cannot import: zlib's bound for the filtered rows
        // plus the chunks around them). Asking for the exact size first compressed the image twice.
        let filtered = (width * layout.channels + 1) * height
        var size = filtered + (filtered + 7) / 8 + (filtered + 63) / 64 + 11 + 12 * (filtered / 8192 + 1) + 256
        var encoded = [UInt8](repeating: 0, count: size)
        func write() -> Int32 {
            pixels.withUnsafeBytes { source in
                encoded.withUnsafeMutableBytes { target in
                    png_image_write_to_memory(&control, target.baseAddress, &size, 0, source.baseAddress, rowStride, nil)
                }
            }
        }
        var written = write()
        if written == 0 && size > encoded.count {
            // The bound was too small after all; libpng has set `size` to what it needs.
            encoded = [UInt8](repeating: 0, count: size)
            written = write()
        }
        guard written != 0 else { throw .encodingFailed(message: libpngMessage(control)) }
        return Array(encoded.prefix(size))
    }

    /// Writes the image as a PNG file at `path`, atomically: the file appears whole or not at
    /// all, and a failed write leaves any earlier file at `path` untouched.
    public func writePNG(to path: String) throws(PNGError) {
        try writeFileAtomically(try pngData(), to: path)
    }
}
