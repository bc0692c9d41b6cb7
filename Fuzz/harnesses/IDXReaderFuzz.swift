// libFuzzer harness: the IDX reader over arbitrary bytes, as an image file and as a label file.
// The bytes go through a file because the reader works on paths (gzip or plain, like MNIST's).

import DigitData

#if canImport(Glibc)
import Glibc
#endif

/// One scratch file a process, in memory-backed /dev/shm when there is one.
private let scratchPath: String = {
    let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(folder)/digits-fuzz-idx-\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDXReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = fopen(scratchPath, "wb")!
    if size > 0 { fwrite(data, 1, size, file) }
    fclose(file)
    if let images = try? IDXReader.readImages(at: scratchPath) {
        precondition(images.pixels.count == images.count * images.rows * images.columns)
    }
    _ = try? IDXReader.readLabels(at: scratchPath)
    return 0
}
