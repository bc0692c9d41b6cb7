// Builds PNG files byte by byte (any colour type, bit depth, palette, interlace) for tests,
// independently of libpng, plus helpers that damage a file in one precise way.
//
// Only zlib is used (compression and CRC), so a test can feed the decoder files that no
// encoder in the project would write: 2-bit grey, 16-bit RGBA, Adam7, a linear gAMA chunk.

import CZlib

/// A PNG file described by its pixels and chunks; `bytes` is the encoded file.
///
/// Samples are given one a channel, interleaved, row by row, as `UInt16` whatever the bit
/// depth (a palette image gives its indices). Rows are written with filter type 0 (none).
public struct RawPNG: Sendable {
    /// The PNG colour types (IHDR byte 9).
    public enum ColorType: UInt8, Sendable, CaseIterable {
        case gray = 0
        case rgb = 2
        case palette = 3
        case grayAlpha = 4
        case rgba = 6

        /// Samples a pixel has.
        public var channels: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// The bit depths the PNG specification allows for this colour type.
        public var legalBitDepths: [Int] {
            switch self {
            case .gray: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .grayAlpha, .rgba: [8, 16]
            }
        }
    }

    public var width: Int
    public var height: Int
    public var colorType: ColorType
    public var bitDepth: Int
    /// `width * height * colorType.channels` samples, each below `1 << bitDepth`.
    public var samples: [UInt16]
    /// PLTE entries as flat `r, g, b` triples; required for `.palette`.
    public var palette: [UInt8]?
    /// tRNS contents: for `.palette`, one alpha (0…255) per palette entry (may be shorter
    /// than the palette); for `.gray`, the one transparent grey sample; for `.rgb`, the
    /// transparent `r, g, b` samples.
    public var transparency: [UInt16]?
    /// Adam7 interlacing (IHDR byte 12 = 1).
    public var interlaced: Bool
    /// The gAMA chunk's value as a number (1.0 linear, 1/2.2 about sRGB), stored ×100000.
    public var gamma: Double?
    /// An sRGB chunk with this rendering intent (0…3).
    public var sRGBIntent: UInt8?
    /// How many IDAT chunks the compressed data is split over (at least 1).
    public var idatCount: Int

    /// Describes a PNG; nothing is encoded until `bytes` is read.
    public init(width: Int, height: Int, colorType: ColorType, bitDepth: Int = 8,
                samples: [UInt16], palette: [UInt8]? = nil, transparency: [UInt16]? = nil,
                interlaced: Bool = false, gamma: Double? = nil, sRGBIntent: UInt8? = nil,
                idatCount: Int = 1) {
        precondition(samples.count == width * height * colorType.channels,
                     "\(width)×\(height) \(colorType) needs \(width * height * colorType.channels) samples, got \(samples.count)")
        precondition(samples.allSatisfy { Int($0) < 1 << bitDepth }, "a sample does not fit in \(bitDepth) bits")
        precondition(idatCount >= 1, "a PNG needs at least one IDAT chunk")
        self.width = width
        self.height = height
        self.colorType = colorType
        self.bitDepth = bitDepth
        self.samples = samples
        self.palette = palette
        self.transparency = transparency
        self.interlaced = interlaced
        self.gamma = gamma
        self.sRGBIntent = sRGBIntent
        self.idatCount = idatCount
    }

    /// The complete file: signature, IHDR, gAMA, sRGB, PLTE, tRNS, IDAT…, IEND.
    public var bytes: [UInt8] {
        var file = PNGChunk.signature
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        file += PNGChunk.encode("IHDR", header)
        if let gamma { file += PNGChunk.encode("gAMA", bigEndian(UInt32((gamma * 100_000).rounded()))) }
        if let sRGBIntent { file += PNGChunk.encode("sRGB", [sRGBIntent]) }
        if let palette { file += PNGChunk.encode("PLTE", palette) }
        if let transparency {
            let data = colorType == .palette
                ? transparency.map { UInt8($0) }
                : transparency.flatMap { bigEndian16($0) }
            file += PNGChunk.encode("tRNS", data)
        }
        let compressed = zlibCompress(filteredScanlines())
        let pieceSize = max(1, (compressed.count + idatCount - 1) / idatCount)
        for piece in 0..<idatCount {
            let start = min(piece * pieceSize, compressed.count)
            let end = piece == idatCount - 1 ? compressed.count : min(start + pieceSize, compressed.count)
            file += PNGChunk.encode("IDAT", Array(compressed[start..<end]))
        }
        file += PNGChunk.encode("IEND", [])
        return file
    }

    /// The uncompressed IDAT stream: each scanline of each (non-empty) pass behind a 0 filter byte.
    func filteredScanlines() -> [UInt8] {
        var stream: [UInt8] = []
        for pass in interlaced ? Adam7.passes : [Adam7.Pass(x: 0, y: 0, dx: 1, dy: 1)] {
            let columns = Array(stride(from: pass.x, to: width, by: pass.dx))
            let rows = Array(stride(from: pass.y, to: height, by: pass.dy))
            guard !columns.isEmpty, !rows.isEmpty else { continue }
            for y in rows {
                stream.append(0)
                var bits = BitPacker()
                for x in columns {
                    for channel in 0..<colorType.channels {
                        bits.append(samples[(y * width + x) * colorType.channels + channel], bitCount: bitDepth)
                    }
                }
                stream += bits.finishedBytes()
            }
        }
        return stream
    }
}

/// The seven Adam7 passes: start column and row, then the steps between them.
enum Adam7 {
    struct Pass { let x, y, dx, dy: Int }
    static let passes = [
        Pass(x: 0, y: 0, dx: 8, dy: 8), Pass(x: 4, y: 0, dx: 8, dy: 8),
        Pass(x: 0, y: 4, dx: 4, dy: 8), Pass(x: 2, y: 0, dx: 4, dy: 4),
        Pass(x: 0, y: 2, dx: 2, dy: 4), Pass(x: 1, y: 0, dx: 2, dy: 2),
        Pass(x: 0, y: 1, dx: 1, dy: 2),
    ]
}

/// Packs samples of 1…16 bits most significant bit first; a row ends on a byte boundary.
struct BitPacker {
    private var bytes: [UInt8] = []
    private var accumulator: UInt32 = 0
    private var pending = 0

    mutating func append(_ value: UInt16, bitCount: Int) {
        accumulator = accumulator << UInt32(bitCount) | UInt32(value)
        pending += bitCount
        while pending >= 8 {
            pending -= 8
            bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(pending)))
        }
        accumulator &= (1 << UInt32(pending)) - 1
    }

    func finishedBytes() -> [UInt8] {
        pending == 0 ? bytes : bytes + [UInt8(truncatingIfNeeded: accumulator << UInt32(8 - pending))]
    }
}

// MARK: - Chunks

/// Low-level chunk encoding, for tests that assemble or inspect a file chunk by chunk.
public enum PNGChunk {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// One chunk: length, four-letter type, data, CRC-32 of type and data.
    public static func encode(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4, "a chunk type has four letters")
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc(typeBytes + data))
    }

    /// zlib's CRC-32, as PNG uses it.
    public static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// The offset of the first chunk of `type` in `file` (its length field), if any.
    public static func offset(of type: String, in file: [UInt8]) -> Int? {
        var position = signature.count
        let wanted = Array(type.utf8)
        while position + 8 <= file.count {
            let length = Int(readBigEndian(file, at: position))
            if Array(file[(position + 4)..<(position + 8)]) == wanted { return position }
            position += 12 + length
        }
        return nil
    }
}

// MARK: - Damage

/// Copies of a good PNG damaged in one known way, for error-path tests.
public enum DamagedPNG {
    /// `file` with the byte at `offset` inverted.
    public static func flippingByte(_ file: [UInt8], at offset: Int) -> [UInt8] {
        var copy = file
        copy[offset] ^= 0xFF
        return copy
    }

    /// `file` with one data byte of the first `chunk` inverted, so its CRC no longer matches.
    public static func corruptingChunk(_ file: [UInt8], _ chunk: String = "IDAT") -> [UInt8] {
        guard let start = PNGChunk.offset(of: chunk, in: file) else { preconditionFailure("no \(chunk) chunk") }
        precondition(readBigEndian(file, at: start) > 0, "\(chunk) has no data to corrupt")
        return flippingByte(file, at: start + 8)
    }

    /// `file` with the stored CRC of the first `chunk` altered, its data intact.
    public static func breakingCRC(_ file: [UInt8], _ chunk: String = "IDAT") -> [UInt8] {
        guard let start = PNGChunk.offset(of: chunk, in: file) else { preconditionFailure("no \(chunk) chunk") }
        return flippingByte(file, at: start + 8 + Int(readBigEndian(file, at: start)) + 3)
    }

    /// The first `count` bytes of `file`.
    public static func truncated(_ file: [UInt8], to count: Int) -> [UInt8] {
        Array(file.prefix(count))
    }

    /// `file` with IHDR claiming `width`×`height` (CRC recomputed, so only the size is a lie).
    public static func claimingSize(_ file: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        guard let start = PNGChunk.offset(of: "IHDR", in: file) else { preconditionFailure("no IHDR chunk") }
        var copy = file
        let data = bigEndian(width) + bigEndian(height) + Array(file[(start + 16)..<(start + 21)])
        copy.replaceSubrange(start..<(start + 25), with: PNGChunk.encode("IHDR", data))
        return copy
    }
}

// MARK: - Byte order

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

func bigEndian16(_ value: UInt16) -> [UInt8] {
    [UInt8(value >> 8), UInt8(value & 0xFF)]
}

func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
}

/// zlib `compress2` at the default level.
func zlibCompress(_ data: [UInt8]) -> [UInt8] {
    var size = compressBound(uLong(data.count))
    var output = [UInt8](repeating: 0, count: Int(size))
    let status = output.withUnsafeMutableBufferPointer { target in
        data.withUnsafeBufferPointer { source in
            compress2(target.baseAddress, &size, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
        }
    }
    precondition(status == Z_OK, "zlib compress2 failed with \(status)")
    return Array(output.prefix(Int(size)))
}
