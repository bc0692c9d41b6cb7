// Encoding: grey, RGB and CMYK pixels to baseline or progressive JPEG bytes, optionally with
// an EXIF block. Tests make their fixtures with it.

import CJPEGCodec
import PNG

extension Image {
    /// The image encoded as JPEG: grey as one component, RGB as YCbCr with libjpeg's default
    /// 2×2 chroma subsampling, RGBA composited over white first (JPEG has no alpha).
    ///
    /// - Parameters:
    ///   - quality: libjpeg's 1…100 scale (values outside are clamped).
    ///   - progressive: libjpeg's standard progressive script instead of one baseline scan.
    ///   - exif: the payload of an APP1 segment to write after the JFIF header, starting
    ///     `"Exif\0\0"` (at most 65533 bytes); nil or empty writes none.
    public func jpegData(quality: Int = 90, progressive: Bool = false, exif: [UInt8]? = nil) throws(JPEGError) -> [UInt8] {
        let source = layout == .rgba ? converted(to: .rgb) : self
        return try encodeJPEG(source.pixels, width: width, height: height, components: source.layout.channels,
                              quality: quality, progressive: progressive, ycck: false, exif: exif)
    }
}

public enum JPEGEncoder {
    /// CMYK samples (4 a pixel, `width × height` of them) encoded as JPEG. libjpeg stores the
    /// values as they are given and always writes an Adobe marker, which tells decoders (this
    /// one included) that they are inverted, Adobe's convention: pass 255 − ink.
    ///
    /// - Parameter ycck: store YCCK (Adobe transform 2, what Photoshop writes) rather than
    ///   plain CMYK (transform 0).
    public static func cmykData(width: Int, height: Int, samples: [UInt8], quality: Int = 90,
                                progressive: Bool = false, ycck: Bool = true, exif: [UInt8]? = nil) throws(JPEGError) -> [UInt8] {
        guard samples.count == width * height * 4 else {
            throw .encodingFailed(message: "\(width)×\(height) CMYK needs \(width * height * 4) bytes, got \(samples.count)")
        }
        return try encodeJPEG(samples, width: width, height: height, components: 4,
                              quality: quality, progressive: progressive, ycck: ycck, exif: exif)
    }
}

/// Encodes `components`-channel rows through the C wrapper.
private func encodeJPEG(_ pixels: [UInt8], width: Int, height: Int, components: Int, quality: Int,
                        progressive: Bool, ycck: Bool, exif: [UInt8]?) throws(JPEGError) -> [UInt8] {
    guard width > 0, height > 0, width <= 65500, height <= 65500 else {
        throw .encodingFailed(message: "a JPEG is 1 to 65500 pixels a side, this image is \(width)×\(height)")
    }
    var output: UnsafeMutablePointer<UInt8>?
    var length = 0
    var message = [CChar](repeating: 0, count: Int(DIGITS_JPEG_MESSAGE_CAPACITY))
    let status = pixels.withUnsafeBufferPointer { pixelBuffer in
        (exif ?? []).withUnsafeBufferPointer { exifBuffer in
            var encoding = digits_jpeg_encoding(
                pixels: pixelBuffer.baseAddress, width: UInt32(width), height: UInt32(height),
                components: Int32(components), row_stride: width * components,
                quality: Int32(clamping: quality), progressive: progressive ? 1 : 0, ycck: ycck ? 1 : 0,
                app1: exifBuffer.baseAddress, app1_length: exifBuffer.count)
            return digits_jpeg_encode(&encoding, &output, &length, &message)
        }
    }
    guard status == DIGITS_JPEG_OK, let output else {
        throw .encodingFailed(message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    defer { digits_jpeg_free(output) }
    return Array(UnsafeBufferPointer(start: output, count: length))
}
