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
        // First pass asks for the size, second writes into a buffer of that size.
        var size = 0
        let measured = pixels.withUnsafeBytes { buffer in
            png_image_write_to_memory(&control, nil, &size, 0, buffer.baseAddress, rowStride, nil)
        }
        guard measured != 0 else { throw .encodingFailed(message: libpngMessage(control)) }

        var encoded = [UInt8](repeating: 0, count: size)
        let written = pixels.withUnsafeBytes { source in
            encoded.withUnsafeMutableBytes { target in
                png_image_write_to_memory(&control, target.baseAddress, &size, 0, source.baseAddress, rowStride, nil)
            }
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
