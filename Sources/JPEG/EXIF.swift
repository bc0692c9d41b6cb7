// The EXIF orientation tag: how a camera held sideways (or a phone) stored its picture.
// libjpeg decodes the pixels as stored and leaves the tag to the caller.

/// Reads the orientation tag (0x0112) from IFD0 of a JPEG's EXIF block: an APP1 segment that
/// starts "Exif\0\0" and holds a TIFF structure, in either byte order ("II" little-endian,
/// "MM" big-endian). Every offset is checked against the segment; anything malformed counts
/// as no orientation, because a picture shown sideways is better than one refused.
public enum EXIF {
    /// The orientation, 1…8, recorded in `jpegData`'s EXIF block; nil when there is none, it
    /// is malformed or out of range, or the JPEG header cannot be read.
    public static func orientation(inJPEG jpegData: [UInt8]) -> Int? {
        guard !jpegData.isEmpty, let reader = try? JPEGReader(jpegData, source: "JPEG data"),
              (try? reader.readHeader()) != nil, let exif = reader.exif else { return nil }
        return orientation(inAPP1: exif)
    }

    /// The orientation, 1…8, in an APP1 segment's payload (`"Exif\0\0"` then the TIFF
    /// header); nil when there is none, it is malformed or out of range.
    public static func orientation(inAPP1 payload: [UInt8]) -> Int? {
        let prefix: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        guard payload.starts(with: prefix), let tiff = TIFFBlock(payload, start: prefix.count),
              let directory = tiff.uint32(at: 4), let entries = tiff.uint16(at: directory) else { return nil }
        for entry in 0..<entries {
            // Each entry: tag (2 bytes), type (2), count (4), value or its offset (4).
            let offset = directory + 2 + 12 * entry
            guard let tag = tiff.uint16(at: offset) else { return nil }
            guard tag == 0x0112 else { continue }
            // A SHORT (type 3) value sits in the first two bytes of the value field.
            guard tiff.uint16(at: offset + 2) == 3, let count = tiff.uint32(at: offset + 4), count >= 1,
                  let value = tiff.uint16(at: offset + 8), (1...8).contains(value) else { return nil }
            return value
        }
        return nil
    }
}

/// The TIFF structure inside an EXIF segment; offsets count from its first byte, and a read
/// past the end gives nil.
private struct TIFFBlock {
    private let bytes: [UInt8]
    private let start: Int
    private let bigEndian: Bool

    /// Checks the byte-order mark and the magic number 42.
    init?(_ bytes: [UInt8], start: Int) {
        self.bytes = bytes
        self.start = start
        guard bytes.count >= start + 8 else { return nil }
        switch (bytes[start], bytes[start + 1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        guard uint16(at: 2) == 42 else { return nil }
    }

    func uint16(at offset: Int) -> Int? { unsigned(at: offset, size: 2) }

    func uint32(at offset: Int) -> Int? { unsigned(at: offset, size: 4) }

    private func unsigned(at offset: Int, size: Int) -> Int? {
        guard offset >= 0, offset <= bytes.count - start - size else { return nil }
        let range = (start + offset)..<(start + offset + size)
        return bigEndian ? bytes[range].reduce(0) { $0 << 8 | Int($1) }
                         : bytes[range].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
