// Whole-file reads and atomic writes with errno-based messages, shared by the decoder and encoder.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The message the C library gives for the current `errno`.
func systemErrorMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// Reads a whole regular file into memory.
func readFileBytes(at path: String) throws(PNGError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: systemErrorMessage()) }
    defer { close(descriptor) }

    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: systemErrorMessage()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
        throw .unreadable(path: path, reason: (status.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "not a regular file")
    }
    let size = Int(status.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    while filled < size {
        let count = bytes.withUnsafeMutableBytes { buffer in
            read(descriptor, buffer.baseAddress! + filled, size - filled)
        }
        if count < 0 {
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: systemErrorMessage())
        }
        if count == 0 { break }
        filled += count
    }
    return filled == size ? bytes : Array(bytes[..<filled])
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`, so readers see the old file or the whole new one, never half of it. On failure
/// the temporary file is removed and any old file at `path` is untouched.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(PNGError) {
    let temporaryPath = "\(path).tmp-\(getpid())"
    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw .unwritable(path: path, reason: systemErrorMessage()) }
    var written = 0
    var failure: Int32 = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { buffer in
            write(descriptor, buffer.baseAddress! + written, bytes.count - written)
        }
        if count < 0 {
            if errno == EINTR { continue }
            failure = errno
            break
        }
        written += count
    }
    if failure == 0 && fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temporaryPath, path) != 0 { failure = errno }
    if failure != 0 {
        unlink(temporaryPath)
        throw .unwritable(path: path, reason: systemErrorMessage(failure))
    }
}
