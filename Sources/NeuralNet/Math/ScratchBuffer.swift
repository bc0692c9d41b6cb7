// Scratch memory that layers keep from batch to batch: a growable block of floats that a layer
// lends to one worker thread at a time, the allocation of floats on a cache line that it and
// the kernels use, and the resizing of a `[Float]` buffer.

/// Bytes to which the kernels' buffers are aligned: a cache line. A 32-byte vector load that
/// straddles two lines costs two loads, and the sparse kernel is bound by its loads. `malloc`
/// aligns only to 16 bytes (a large `[Float]`'s elements start 48 bytes into a line), so that
/// with rows of 256 bytes, half the loads from a row straddled two lines.
let cacheLineBytes = 64

/// `count` uninitialised floats starting on a cache line; free them with `deallocateFloats`.
func allocateAlignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: cacheLineBytes)
        .bindMemory(to: Float.self, capacity: max(count, 1))
}

/// Frees floats from `allocateAlignedFloats`.
func deallocateFloats(_ floats: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(floats).deallocate()
}

/// Uninitialised `Float` storage that keeps its largest size, so that a layer's steady-state
/// batches allocate nothing. Unlike `[Float]` it hands out a plain pointer, which a worker
/// thread may use while the owner waits for it (see `parallelFor`), and it starts on a cache
/// line (`allocateAlignedFloats`).
final class ScratchBuffer: @unchecked Sendable {
    private(set) var capacity = 0
    private var storage: UnsafeMutablePointer<Float>?

    /// At least `count` floats; the contents are undefined after growing.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let storage, capacity >= count { return storage }
        if let storage { deallocateFloats(storage) }
        capacity = max(count, 1)
        let grown = allocateAlignedFloats(capacity)
        storage = grown
        return grown
    }

    deinit { if let storage { deallocateFloats(storage) } }
}

/// Grows or shrinks a scratch buffer to `count` elements, keeping its capacity.
func resize(_ buffer: inout [Float], to count: Int) {
    if buffer.count > count {
        buffer.removeLast(buffer.count - count)
    } else if buffer.count < count {
        buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    }
}
