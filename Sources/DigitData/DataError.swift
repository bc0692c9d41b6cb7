// Everything that can go wrong loading MNIST files or normalising a user's digit image.

import JPEG
import PNG

/// A failure to load a data set or to turn an image into a digit. The description is one
/// line naming the file and what is wrong with it.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (missing, a directory, corrupt gzip data).
    case unreadable(path: String, reason: String)
    /// The file does not start with the IDX magic number expected for its kind.
    case wrongMagic(path: String, found: UInt32, expected: UInt32)
    /// The file ends before the header or the data it announces is complete.
    case truncated(path: String, part: String, expected: Int, got: Int)
    /// The header claims a dimension of zero or a size beyond `IDXReader.maximumDataBytes`.
    case invalidDimensions(path: String, reason: String)
    /// The file goes on after the data its header announces.
    case trailingData(path: String, part: String, expected: Int)
    /// An image file and a label file that do not describe the same number of samples.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label outside 0…9.
    case invalidLabel(path: String, index: Int, value: UInt8)
    /// A data directory without one of the standard MNIST files.
    case missingFile(directory: String, name: String)
    /// Images of another size than the 28×28 of MNIST.
    case wrongImageSize(path: String, width: Int, height: Int)
    /// A user image that could not be read or decoded.
    case png(PNGError)
    /// A user's JPEG that could not be read or decoded.
    case jpeg(JPEGError)
    /// A user's picture in a format other than PNG and JPEG; `format` is nil when its first
    /// bytes match no format `PictureFile` knows.
    case unsupportedFormat(path: String, format: PictureFile.Format?)
    /// A user image with no ink on it.
    case noDigit(source: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .wrongMagic(path, found, expected):
            "\(path): wrong magic number \(found) (\(Self.describeMagic(found))), expected \(expected) (\(Self.describeMagic(expected)))"
        case let .truncated(path, part, expected, got):
            "\(path): truncated: expected \(expected) bytes of \(part), got \(got)"
        case let .invalidDimensions(path, reason):
            "\(path): invalid header: \(reason)"
        case let .trailingData(path, part, expected):
            "\(path): unexpected data after the \(expected) bytes of \(part) that the header announces"
        case let .countMismatch(imagesPath, images, labelsPath, labels):
            "\(imagesPath) has \(images) images but \(labelsPath) has \(labels) labels"
        case let .invalidLabel(path, index, value):
            "\(path): label \(value) at index \(index) is not a digit 0–9"
        case let .missingFile(directory, name):
            "\(directory) has no \(name).gz (nor \(name)); the MNIST files belong there"
        case let .wrongImageSize(path, width, height):
            "\(path): images are \(width)×\(height), MNIST's are 28×28"
        case let .png(error):
            error.description
        case let .jpeg(error):
            error.description
        case let .unsupportedFormat(path, format?):
            "\(path) is \(format.withArticle) file: digits reads PNG and JPEG"
        case let .unsupportedFormat(path, nil):
            "\(path) is not a PNG or JPEG file"
        case let .noDigit(source):
            "no digit found in \(source)"
        }
    }

    /// What a magic number says about a file, to help someone who swapped two paths.
    private static func describeMagic(_ magic: UInt32) -> String {
        switch magic {
        case IDXReader.imageMagic: "IDX images"
        case IDXReader.labelMagic: "IDX labels"
        default: "not an MNIST IDX file"
        }
    }
}
