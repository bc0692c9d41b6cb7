// A growable block of floats that a layer owns and lends to one worker thread at a time.

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
