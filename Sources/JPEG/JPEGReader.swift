// One libjpeg decode in progress, as a Swift object: the C handle lives until `deinit`, and
// each step's status becomes a JPEGError.

import CJPEGCodec

final class JPEGReader {
    private let handle: OpaquePointer
    private let source: String
    /// The EXIF payload `readHeader` found, copied out of libjpeg's memory.
    private(set) var exif: [UInt8]?

    /// Copies `data` into a new decoder; nothing is parsed yet.
    init(_ data: [UInt8], source: String) throws(JPEGError) {
        guard let handle = data.withUnsafeBufferPointer({ digits_jpeg_decoder_create($0.baseAddress, $0.count) }) else {
            throw .unsupported(source: source, reason: "not enough memory to start decoding")
        }
        self.handle = handle
        self.source = source
    }

    deinit { digits_jpeg_decoder_destroy(handle) }

    /// The markers up to the first scan; sets `exif`.
    func readHeader() throws(JPEGError) -> digits_jpeg_header {
        var header = digits_jpeg_header()
        let status = digits_jpeg_read_header(handle, &header)
        guard status == DIGITS_JPEG_OK else { throw failure(status, header: header) }
        if let start = header.exif { exif = Array(UnsafeBufferPointer(start: start, count: header.exif_length)) }
        return header
    }

    /// Sets the scale (1/`denominator`) and output colour; returns the size `decode` will fill.
    func configure(denominator: Int, output: digits_jpeg_output, header: digits_jpeg_header) throws(JPEGError)
        -> (width: Int, height: Int, channels: Int) {
        var width: UInt32 = 0, height: UInt32 = 0
        var channels: Int32 = 0
        let status = digits_jpeg_configure(handle, UInt32(denominator), output, &width, &height, &channels)
        guard status == DIGITS_JPEG_OK else { throw failure(status, header: header) }
        return (Int(width), Int(height), Int(channels))
    }

    /// Decodes all rows into `count` new bytes, `rowStride` apart.
    func decode(count: Int, rowStride: Int, header: digits_jpeg_header) throws(JPEGError) -> [UInt8] {
        var status = DIGITS_JPEG_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = digits_jpeg_decode(handle, buffer.baseAddress, rowStride)
            initialized = status == DIGITS_JPEG_OK ? count : 0
        }
        guard status == DIGITS_JPEG_OK else { throw failure(status, header: header) }
        return pixels
    }

    /// The JPEGError for a failed step, with libjpeg's message.
    private func failure(_ status: digits_jpeg_status, header: digits_jpeg_header) -> JPEGError {
        let message = String(cString: digits_jpeg_message(handle))
        switch status {
        case DIGITS_JPEG_TOO_LARGE:
            return .tooLarge(source: source, width: Int(header.width), height: Int(header.height))
        case DIGITS_JPEG_UNSUPPORTED_PRECISION:
            return .unsupported(source: source, reason: "it has \(header.precision)-bit samples; libjpeg-turbo here decodes 8-bit JPEGs only")
        case DIGITS_JPEG_UNSUPPORTED:
            return .unsupported(source: source, reason: message)
        case DIGITS_JPEG_OUT_OF_MEMORY:
            return .unsupported(source: source, reason: "not enough memory (\(message))")
        default:
            return .invalid(source: source, message: message.isEmpty ? "unknown libjpeg error" : message)
        }
    }
}
