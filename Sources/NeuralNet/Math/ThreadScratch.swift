// Per-thread scratch memory for the matrix-multiply kernels, so that steady-state calls
// allocate nothing.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two growable Float buffers a thread (slots 0 and 1), each starting on a cache line
/// (`allocateAlignedFloats`), freed when the thread ends. A caller may
/// use a slot's memory until it next asks for that slot on the same thread, and must not hold it
/// across a call that may ask for the same slot. The kernels use slot 0; `gemm` keeps a
/// transposed operand in slot 1 while they run.
enum ThreadScratch {
    private struct Header {
        var capacity: Int
        var floats: UnsafeMutablePointer<Float>
    }

    private static let keys: [pthread_key_t] = [makeKey(), makeKey()]

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        #if os(Linux)
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            ThreadScratch.free(raw)
        }
        #else
        let status = pthread_key_create(&key) { raw in ThreadScratch.free(raw) }
        #endif
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }

    private static func free(_ raw: UnsafeMutableRawPointer) {
        let header = raw.assumingMemoryBound(to: Header.self)
        deallocateFloats(header.pointee.floats)
        header.deinitialize(count: 1)
        header.deallocate()
    }

    /// At least `count` floats, uninitialised, owned by the current thread.
    static func floats(_ count: Int, slot: Int = 0) -> UnsafeMutablePointer<Float> {
        let key = keys[slot]
        if let raw = pthread_getspecific(key) {
            let header = raw.assumingMemoryBound(to: Header.self)
            if header.pointee.capacity >= count { return header.pointee.floats }
            deallocateFloats(header.pointee.floats)
            header.pointee.floats = allocateAlignedFloats(count)
            header.pointee.capacity = count
            return header.pointee.floats
        }
        let header = UnsafeMutablePointer<Header>.allocate(capacity: 1)
        header.initialize(to: Header(capacity: count, floats: allocateAlignedFloats(count)))
        pthread_setspecific(key, header)
        return header.pointee.floats
    }
}
