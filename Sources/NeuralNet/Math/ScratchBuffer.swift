// Scratch memory that layers keep from batch to batch: a growable block of floats that a layer
// lends to one worker thread at a time, and the resizing of a `[Float]` buffer.

/// Uninitialised `Float` storage that keeps its largest size, so that a layer's steady-state
/// batches allocate nothing. Unlike `[Float]` it hands out a plain pointer, which a worker
/// thread may use while the owner waits for it (see `parallelFor`).
final class ScratchBuffer: @unchecked Sendable {
    private(set) var capacity = 0
    private var storage: UnsafeMutablePointer<Float>?

    /// At least `count` floats; the contents are undefined after growing.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let storage, capacity >= count { return storage }
        storage?.deallocate()
        capacity = max(count, 1)
        storage = .allocate(capacity: capacity)
        return storage!
    }

    deinit { storage?.deallocate() }
}

/// Grows or shrinks a scratch buffer to `count` elements, keeping its capacity.
func resize(_ buffer: inout [Float], to count: Int) {
    if buffer.count > count {
        buffer.removeLast(buffer.count - count)
    } else if buffer.count < count {
        buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    }
}
