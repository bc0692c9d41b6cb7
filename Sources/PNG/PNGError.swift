// Everything that can go wrong reading or writing a PNG, with messages a person can act on.

/// A failure to read, decode, encode or write a PNG. The description is one line naming
/// the file (or "PNG data" for memory) and what is wrong.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (missing, a directory, no permission).
    case unreadable(path: String, reason: String)
    /// libpng rejected the data; `message` is libpng's own words.
    case invalid(source: String, message: String)
    /// The header claims more pixels than `PNGLimits` allow; nothing was allocated.
    case tooLarge(source: String, width: Int, height: Int)
    /// libpng could not encode the image.
    case encodingFailed(message: String)
    /// The encoded bytes could not be written (unwritable folder, full disk); any earlier
    /// file at that path is untouched.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .invalid(source, message):
            "\(source) is not a valid PNG: \(message)"
        case let .tooLarge(source, width, height):
            "\(source) is \(width)×\(height) pixels, larger than the limit of "
                + "\(PNGLimits.maximumSide) pixels a side and \(PNGLimits.maximumPixels / 1_048_576) megapixels"
        case let .encodingFailed(message):
            "cannot encode PNG: \(message)"
        case let .unwritable(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}

/// The largest image the decoder accepts. The header is checked before any pixel memory is
/// allocated, so a tiny file that claims 100000×100000 pixels fails at once.
public enum PNGLimits {
    /// Longest allowed side, in pixels.
    public static let maximumSide = 16_384
    /// Most pixels allowed in one image (64 megapixels: 256 MB as RGBA).
    public static let maximumPixels = 64 * 1_048_576
}
