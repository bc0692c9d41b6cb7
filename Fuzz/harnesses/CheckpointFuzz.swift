// libFuzzer harness: the checkpoint loader (safetensors container, metadata, layer list,
// tensor shapes) over arbitrary bytes, read from a file as `digits` reads a model.

import Foundation
import NeuralNet

/// One scratch file a process, in memory-backed /dev/shm when there is one.
private let scratchURL: URL = {
    let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return URL(fileURLWithPath: "\(folder)/digits-fuzz-checkpoint-\(getpid()).safetensors")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = fopen(scratchURL.path, "wb")!
    if size > 0 { fwrite(data, 1, size, file) }
    fclose(file)
    if let checkpoint = try? Checkpoint.read(from: scratchURL) {
        _ = checkpoint.network.description
    }
    return 0
}
