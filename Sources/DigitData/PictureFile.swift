// A user's picture, whatever its name says: the first bytes decide between the PNG and JPEG
// decoders, and any other format is named in the error, so "photo.jpg" that is really a HEIC
// from a phone gets a message that says so instead of a decoder's complaint.

import JPEG
import PNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum PictureFile {
    /// The file name extensions of the formats `read` decodes, lower case, for expanding a
    /// folder into its pictures.
    public static let fileExtensions = ["png", "jpg", "jpeg"]

    /// Decodes the PNG or JPEG file at `path` into `layout`, by its content, not its name.
    ///
    /// PNG files go through `Image(contentsOfPNGFile:layout:)` as they are (PNG has no scaled
    /// decoding, so `minimumSide` does not apply to them); JPEG files through
    /// `Image(contentsOfJPEGFile:layout:minimumSide:)`, scaled and turned upright.
    public static func read(_ path: String, layout: Image.Layout = .gray, minimumSide: Int? = nil) throws(DataError) -> Image {
        let start = try firstBytes(of: path)
        switch Format(sniffing: start) {
        case .png?:
            do { return try Image(contentsOfPNGFile: path, layout: layout) } catch { throw .png(error) }
        case .jpeg?:
            do { return try Image(contentsOfJPEGFile: path, layout: layout, minimumSide: minimumSide) } catch { throw .jpeg(error) }
        case let other:
            throw .unsupportedFormat(path: path, format: other)
        }
    }

    /// `read`, with the picture's size before any scaled decoding (upright): a JPEG decoded
    /// at 1/2 … 1/8 has its full size here, so positions on `image` can be scaled back to it.
    public static func readWithOriginalSize(_ path: String, layout: Image.Layout = .gray, minimumSide: Int? = nil)
        throws(DataError) -> (image: Image, originalWidth: Int, originalHeight: Int) {
        let image = try read(path, layout: layout, minimumSide: minimumSide)
        guard Format(sniffing: try firstBytes(of: path)) == .jpeg else { return (image, image.width, image.height) }
        do {
            let size = try Image.jpegSize(ofFile: path)
            return (image, size.width, size.height)
        } catch { throw .jpeg(error) }
    }

    /// A picture format told by its first bytes.
    public enum Format: String, Equatable, Sendable, CaseIterable {
        case png = "PNG", jpeg = "JPEG", gif = "GIF", bmp = "BMP", tiff = "TIFF", webP = "WebP"
        case heic = "HEIC", heif = "HEIF", avif = "AVIF", isoVideo = "MP4/QuickTime video"
        case pdf = "PDF", svg = "SVG", html = "HTML", xml = "XML", zip = "ZIP"

        /// The name with its article, as in "is a GIF file" or "is an SVG file".
        public var withArticle: String {
            switch self {
            case .avif, .isoVideo, .svg, .html, .xml: "an \(rawValue)"
            default: "a \(rawValue)"
            }
        }

        /// How many leading bytes `init(sniffing:)` looks at; fewer is fine.
        public static let sniffedBytes = 512

        /// The format `start` (a file's first bytes) announces, or nil for none of these.
        public init?(sniffing start: [UInt8]) {
            func has(_ text: String, at offset: Int = 0) -> Bool {
                let bytes = Array(text.utf8)
                return start.count >= offset + bytes.count && Array(start[offset..<(offset + bytes.count)]) == bytes
            }
            // PNG's signature begins \x89 P N G; JPEG's with SOI and the next marker's FF.
            if start.starts(with: [0x89, 0x50, 0x4E, 0x47]) { self = .png }
            else if start.starts(with: [0xFF, 0xD8]) { self = .jpeg }
            else if has("GIF87a") || has("GIF89a") { self = .gif }
            // BMP's two reserved 16-bit fields are zero; that keeps text starting "BM" out.
            else if has("BM"), start.count >= 14, start[6..<10].allSatisfy({ $0 == 0 }) { self = .bmp }
            else if start.starts(with: [0x49, 0x49, 0x2A, 0x00]) || start.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
                        || start.starts(with: [0x49, 0x49, 0x2B, 0x00]) || start.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) { self = .tiff }
            else if has("RIFF"), has("WEBP", at: 8) { self = .webP }
            else if has("ftyp", at: 4), let format = Self.isoMediaFormat(start) { self = format }
            else if has("%PDF-") { self = .pdf }
            else if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) || start.starts(with: [0x50, 0x4B, 0x05, 0x06]) { self = .zip }
            else if let format = Self.markupFormat(start) { self = format }
            else { return nil }
        }

        /// HEIC, HEIF, AVIF or video, from an ISO media file's `ftyp` box: its major brand and
        /// then its compatible brands (four bytes each from offset 16, up to the box's size).
        private static func isoMediaFormat(_ start: [UInt8]) -> Format? {
            guard start.count >= 12 else { return nil }
            let boxSize = start[0..<4].reduce(0) { $0 << 8 | Int($1) }
            var brands = [String(decoding: start[8..<12], as: UTF8.self)]
            var offset = 16
            while offset + 4 <= min(boxSize, start.count) {
                brands.append(String(decoding: start[offset..<(offset + 4)], as: UTF8.self))
                offset += 4
            }
            if brands.contains(where: { ["avif", "avis"].contains($0) }) { return .avif }
            if brands.contains(where: { ["heic", "heix", "hevc", "hevx", "heim", "heis"].contains($0) }) { return .heic }
            if brands.contains(where: { ["mif1", "msf1"].contains($0) }) { return .heif }
            return .isoVideo
        }

        /// SVG, HTML or other XML, from text that starts (after a byte-order mark and
        /// white space) with `<`.
        private static func markupFormat(_ start: [UInt8]) -> Format? {
            var text = start[...]
            if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
            text = text.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
            guard text.first == UInt8(ascii: "<") else { return nil }
            let lowered = String(decoding: text, as: UTF8.self).lowercased()
            if lowered.contains("<svg") { return .svg }
            if lowered.hasPrefix("<!doctype html") || lowered.hasPrefix("<html") { return .html }
            if lowered.hasPrefix("<?xml") { return .xml }
            return nil
        }
    }

    /// Up to `Format.sniffedBytes` bytes from the start of the file, with the PNG reader's
    /// wording for files that cannot be read; an empty file is refused here.
    private static func firstBytes(of path: String) throws(DataError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path: path, reason: (status.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "not a regular file")
        }
        var bytes = [UInt8](repeating: 0, count: Format.sniffedBytes)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            filled += count
        }
        guard filled > 0 else { throw .unreadable(path: path, reason: "the file is empty") }
        return Array(bytes[..<filled])
    }
}

/// The C library's `read`, which `PictureFile.read` hides inside the enum.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
