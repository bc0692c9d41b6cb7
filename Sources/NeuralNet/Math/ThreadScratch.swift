// Per-thread scratch memory for the matrix-multiply kernels, so that steady-state calls
// allocate nothing.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One growable Float buffer a thread, freed when the thread ends. A caller may use the memory
/// until it next asks for scratch on the same thread; it must not hold it across a call that
/// may ask too.
enum ThreadScratch {
    private struct Header {
        var capacity: Int
        var floats: UnsafeMutablePointer<Float>
    }

    private static let key: pthread_key_t = {
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
    }()

    private static func free(_ raw: UnsafeMutableRawPointer) {
        let header = raw.assumingMemoryBound(to: Header.self)
        header.pointee.floats.deallocate()
        header.deinitialize(count: 1)
        header.deallocate()
    }

    /// At least `count` floats, uninitialised, owned by the current thread.
    static func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let raw = pthread_getspecific(key) {
            let header = raw.assumingMemoryBound(to: Header.self)
            if header.pointee.capacity >= count { return header.pointee.floats }
            header.pointee.floats.deallocate()
            header.pointee.floats = .allocate(capacity: count)
            header.pointee.capacity = count
            return header.pointee.floats
        }
        let header = UnsafeMutablePointer<Header>.allocate(capacity: 1)
        header.initialize(to: Header(capacity: count, floats: .allocate(capacity: count)))
        pthread_setspecific(key, header)
        return header.pointee.floats
    }
}
