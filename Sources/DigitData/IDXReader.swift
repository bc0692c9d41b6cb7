// The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header
// (magic number, then one 32-bit size a dimension) followed by unsigned bytes. Reads
// gzipped or plain files and checks the header before allocating anything.

/// The pixels of an IDX image file: `count` images of `rows × columns` bytes, row by row.
public struct IDXImages: Equatable, Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    /// `count × rows × columns` bytes; 0 is background, 255 full ink.
    public let pixels: [UInt8]
}

/// Reads MNIST's IDX image files (magic 2051) and label files (magic 2049).
public enum IDXReader {
    /// `0x00000803`: unsigned bytes, three dimensions (count, rows, columns).
    public static let imageMagic: UInt32 = 2051
    /// `0x00000801`: unsigned bytes, one dimension (count).
    public static let labelMagic: UInt32 = 2049
    /// The most data a header may announce (1 GiB; MNIST's training images are 47 MB).
    public static let maximumDataBytes = 1 << 30

    /// Reads an image file, gzipped or plain.
    public static func readImages(at path: String) throws(DataError) -> IDXImages {
        let file = try GzipFile(path: path)
        let sizes = try readHeader(file, magic: imageMagic, dimensions: 3)
        let (count, rows, columns) = (sizes[0], sizes[1], sizes[2])
        let byteCount = try checkedSize(sizes, path: path) {
            "\(count) images of \(rows)×\(columns) pixels"
        }
        let pixels = try readData(file, byteCount: byteCount, headerBytes: 16, part: "pixels")
        return IDXImages(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    /// Reads a label file, gzipped or plain.
    public static func readLabels(at path: String) throws(DataError) -> [UInt8] {
        let file = try GzipFile(path: path)
        let sizes = try readHeader(file, magic: labelMagic, dimensions: 1)
        let byteCount = try checkedSize(sizes, path: path) { "\(sizes[0]) labels" }
        return try readData(file, byteCount: byteCount, headerBytes: 8, part: "labels")
    }

    /// The dimension sizes, read after the magic number is found right, so that a label
    /// file passed as images is named as such, however short it is.
    private static func readHeader(_ file: GzipFile, magic: UInt32, dimensions: Int) throws(DataError) -> [Int] {
        let headerBytes = 4 + 4 * dimensions
        func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let magicBytes: [UInt8]
        do {
            magicBytes = try file.readExactly(4, part: "header")
        } catch let .truncated(path, part, _, got) {
            throw .truncated(path: path, part: part, expected: headerBytes, got: got)
        }
        let found = bigEndian(magicBytes, at: 0)
        guard found == magic else { throw .wrongMagic(path: file.path, found: found, expected: magic) }
        let sizes: [UInt8]
        do {
            sizes = try file.readExactly(4 * dimensions, part: "header")
        } catch let .truncated(path, part, _, got) {
            throw .truncated(path: path, part: part, expected: headerBytes, got: 4 + got)
        }
        return (0..<dimensions).map { Int(bigEndian(sizes, at: 4 * $0)) }
    }

    /// The product of the sizes, refused when any is zero or the product is absurd.
    private static func checkedSize(_ sizes: [Int], path: String, _ what: () -> String) throws(DataError) -> Int {
        guard !sizes.contains(0) else {
            throw .invalidDimensions(path: path, reason: "a dimension of zero: \(what())")
        }
        var product = 1
        for size in sizes {
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow, next <= maximumDataBytes else {
                throw .invalidDimensions(path: path, reason: "absurd size: \(what()) would be more than the limit of \(maximumDataBytes) bytes")
            }
            product = next
        }
        return product
    }

    /// Reads the `byteCount` bytes after the header and checks that nothing follows them.
    private static func readData(_ file: GzipFile, byteCount: Int, headerBytes: Int, part: String) throws(DataError) -> [UInt8] {
        if !file.isCompressed {
            // A plain file's size is known: check it before allocating.
            let available = file.fileSize - headerBytes
            if available < byteCount {
                throw .truncated(path: file.path, part: part, expected: byteCount, got: available)
            }
            if available > byteCount {
                throw .trailingData(path: file.path, part: part, expected: byteCount)
            }
        }
        // Uninitialised capacity is only committed by the kernel as it is written, so a small
        // gzip file that claims a large size costs little before it is found truncated.
        var got = 0
        var failure: DataError?
        let data = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            do throws(DataError) {
                got = try file.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            initialized = got
        }
        if let failure { throw failure }
        guard got == byteCount else { throw .truncated(path: file.path, part: part, expected: byteCount, got: got) }
        guard try file.isAtEnd() else { throw .trailingData(path: file.path, part: part, expected: byteCount) }
        return data
    }
}
