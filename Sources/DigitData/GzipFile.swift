// Sequential reading of a gzip-compressed or plain file through zlib, which passes
// uncompressed files through unchanged.

import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading with zlib's `gzopen`; closed when the value goes away.
final class GzipFile {
    let path: String
    /// False for a file that is not gzip data and is read as it is.
    let isCompressed: Bool
    /// The size of the file on disk (compressed, for a gzip file).
    let fileSize: Int
    private let handle: gzFile

    init(path: String) throws(DataError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path: path, reason: (status.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "not a regular file")
        }
        guard let handle = gzopen(path, "rb") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        gzbuffer(handle, 1 << 17)
        self.path = path
        self.handle = handle
        self.fileSize = Int(status.st_size)
        self.isCompressed = gzdirect(handle) == 0
    }

    deinit { gzclose(handle) }

    /// Fills `buffer` from the file, in chunks, until it is full or the file ends; returns
    /// how many bytes arrived. Corrupt gzip data is an error; a gzip stream that merely
    /// stops early returns what it had.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        let (filled, failed) = fill(buffer)
        if failed { throw .unreadable(path: path, reason: errorMessage()) }
        return filled
    }

    /// Reads exactly `count` bytes, or throws `truncated` naming `part`.
    func readExactly(_ count: Int, part: String) throws(DataError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let (got, failed) = bytes.withUnsafeMutableBytes { fill($0) }
        if failed { throw .unreadable(path: path, reason: errorMessage()) }
        guard got == count else { throw .truncated(path: path, part: part, expected: count, got: got) }
        return bytes
    }

    /// True if the file has no more data.
    func isAtEnd() throws(DataError) -> Bool {
        var byte: UInt8 = 0
        let (got, failed) = withUnsafeMutableBytes(of: &byte) { fill($0) }
        if failed { throw .unreadable(path: path, reason: errorMessage()) }
        return got == 0
    }

    /// `gzread` in chunks of 4 MiB (its length is a 32-bit count); stops at the end of the
    /// file or at the first error.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer) -> (filled: Int, failed: Bool) {
        let chunk = 1 << 22
        var filled = 0
        while filled < buffer.count {
            let got = gzread(handle, buffer.baseAddress! + filled, UInt32(min(chunk, buffer.count - filled)))
            if got < 0 { return (filled, true) }
            if got == 0 { break }
            filled += Int(got)
        }
        return (filled, false)
    }

    private func errorMessage() -> String {
        var code: Int32 = 0
        guard let message = gzerror(handle, &code) else { return "unknown zlib error" }
        let text = String(cString: message)
        if code == Z_ERRNO { return String(cString: strerror(errno)) }
        return text.isEmpty ? "unknown zlib error" : text
    }
}
