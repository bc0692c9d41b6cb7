// Everything that can go wrong reading or writing a JPEG, with messages a person can act on.

import PNG

/// A failure to read, decode or encode a JPEG. The description is one line naming the file
/// (or "JPEG data" for memory) and what is wrong.
public enum JPEGError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (missing, a directory, no permission).
    case unreadable(path: String, reason: String)
    /// libjpeg rejected the data (not a JPEG, damaged, truncated); `message` is libjpeg's own
    /// words where libjpeg is the one complaining.
    case invalid(source: String, message: String)
    /// The header claims more pixels than `PNGLimits` allow; no pixel memory was allocated.
    case tooLarge(source: String, width: Int, height: Int)
    /// A valid JPEG of a kind libjpeg-turbo's 8-bit build cannot decode (12-bit samples,
    /// lossless, an unusual colour space).
    case unsupported(source: String, reason: String)
    /// libjpeg could not encode the image.
    case encodingFailed(message: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .invalid(source, message):
            "\(source) is not a valid JPEG: \(message)"
        case let .tooLarge(source, width, height):
            "\(source) is \(width)×\(height) pixels, larger than the limit of "
                + "\(PNGLimits.maximumSide) pixels a side and \(PNGLimits.maximumPixels / 1_048_576) megapixels"
        case let .unsupported(source, reason):
            "\(source) is a JPEG that digits cannot decode: \(reason)"
        case let .encodingFailed(message):
            "cannot encode JPEG: \(message)"
        }
    }
}
