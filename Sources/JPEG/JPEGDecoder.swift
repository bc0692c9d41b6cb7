// Decoding: baseline and progressive JPEGs (grey, YCbCr, RGB, CMYK, YCCK) into 8-bit grey,
// RGB or RGBA, at full size or scaled by 1/2, 1/4 or 1/8 inside libjpeg, turned upright by
// the EXIF orientation.

import CJPEGCodec
import PNG

extension Image {
    /// Decodes the JPEG file at `path` into `layout`.
    ///
    /// See `init(jpegData:layout:minimumSide:source:)` for scaling, colour and orientation.
    public init(contentsOfJPEGFile path: String, layout: Layout = .gray, minimumSide: Int? = nil) throws(JPEGError) {
        let bytes = try readFileBytes(at: path)
        try self.init(jpegData: bytes, layout: layout, minimumSide: minimumSide, source: path)
    }

    /// Decodes JPEG bytes into `layout`; `source` names the data in error messages.
    ///
    /// - Scaling: with `minimumSide`, libjpeg decodes at the smallest of 1/8, 1/4, 1/2 and 1
    ///   whose longer side is still at least `minimumSide` (a 4000×3000 photo asked for 1000
    ///   decodes at 1/4, to 1000×750), skipping most of the inverse DCT work; nil decodes at
    ///   full size. Scaled sides round up, as libjpeg's do.
    /// - Colour: grey, YCbCr and RGB data become grey by the Rec. 601 weights
    ///   `Y = 0.299 R + 0.587 G + 0.114 B`, as `Image(pngData:)` does (for YCbCr, the stored Y
    ///   is that luma, and libjpeg skips the colour channels). CMYK and YCCK become RGB as
    ///   `R = (255 − C)(255 − K) / 255` and so on, where the data is taken as inverted
    ///   (255 is no ink, so `R = C·K / 255`) when an Adobe APP14 marker is present, as
    ///   Photoshop writes it; then grey like RGB. `.rgba` has alpha 255.
    /// - Orientation: an EXIF orientation (see `EXIF`) is applied after decoding, so the
    ///   image is upright; orientations 5–8 swap width and height.
    ///
    /// Limits: the header's full size is checked against `PNGLimits` before any pixel memory
    /// is allocated, whatever `minimumSide` asks for. The full size is what costs: libjpeg
    /// keeps every coefficient of a progressive image's full frame (2 bytes a sample) however
    /// small the output, and scaled decoding still reads every block. A file that ends early or
    /// whose compressed data is damaged is an error, not an image with grey blocks in it.
    public init(jpegData: [UInt8], layout: Layout = .gray, minimumSide: Int? = nil,
                source: String = "JPEG data") throws(JPEGError) {
        guard !jpegData.isEmpty else { throw .invalid(source: source, message: "the file is empty") }
        let reader = try JPEGReader(jpegData, source: source)
        let header = try reader.readHeader()
        let fullWidth = Int(header.width), fullHeight = Int(header.height)
        guard fullWidth <= PNGLimits.maximumSide, fullHeight <= PNGLimits.maximumSide,
              fullWidth * fullHeight <= PNGLimits.maximumPixels else {
            throw .tooLarge(source: source, width: fullWidth, height: fullHeight)
        }

        let output: digits_jpeg_output
        switch header.source_color {
        case DIGITS_JPEG_SOURCE_GRAY, DIGITS_JPEG_SOURCE_YCBCR, DIGITS_JPEG_SOURCE_RGB:
            output = switch layout {
            case .gray: DIGITS_JPEG_OUTPUT_GRAY
            case .rgb: DIGITS_JPEG_OUTPUT_RGB
            case .rgba: DIGITS_JPEG_OUTPUT_RGBA
            }
        case DIGITS_JPEG_SOURCE_CMYK, DIGITS_JPEG_SOURCE_YCCK:
            output = DIGITS_JPEG_OUTPUT_CMYK
        default:
            throw .unsupported(source: source, reason: "its \(header.components) colour components are not grey, YCbCr, RGB, CMYK or YCCK")
        }

        let denominator = Self.jpegScaleDenominator(width: fullWidth, height: fullHeight, minimumSide: minimumSide)
        let (width, height, channels) = try reader.configure(denominator: denominator, output: output, header: header)
        guard channels == (output == DIGITS_JPEG_OUTPUT_CMYK ? 4 : layout.channels) else {
            throw .invalid(source: source, message: "libjpeg offers \(channels) channels for \(layout)")
        }
        let pixels = try reader.decode(count: width * height * channels, rowStride: width * channels, header: header)

        var image: Image
        if output == DIGITS_JPEG_OUTPUT_CMYK {
            image = Image(width: width, height: height, cmyk: pixels, inverted: header.saw_adobe_marker != 0).converted(to: layout)
        } else {
            image = Image(width: width, height: height, layout: layout, pixels: pixels)
        }
        if let exif = reader.exif, let orientation = EXIF.orientation(inAPP1: exif) {
            image = image.applyingEXIFOrientation(orientation)
        }
        self = image
    }

    /// The denominator of the smallest scale (1/8, 1/4, 1/2, 1) at which the longer side,
    /// rounded up as libjpeg rounds it, is still at least `minimumSide`; 1 when nil.
    static func jpegScaleDenominator(width: Int, height: Int, minimumSide: Int?) -> Int {
        guard let minimumSide else { return 1 }
        let longer = max(width, height)
        return [8, 4, 2].first { (longer + $0 - 1) / $0 >= minimumSide } ?? 1
    }
}
