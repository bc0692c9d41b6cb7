// The kernels' scratch memory starts on a cache line, so that no vector load of a 64-byte-aligned
// row straddles two lines (see `allocateAlignedFloats`).

@testable import NeuralNet
import Testing

@Suite("Scratch memory")
struct ScratchMemoryTests {
    private func isOnCacheLine(_ pointer: UnsafeMutablePointer<Float>) -> Bool {
        UInt(bitPattern: pointer) % UInt(cacheLineBytes) == 0
    }

    @Test("Aligned floats start on a cache line, whatever their count", arguments: [1, 3, 16, 1000, 200_000])
    func alignedFloats(count: Int) {
        let floats = allocateAlignedFloats(count)
        defer { deallocateFloats(floats) }
        #expect(isOnCacheLine(floats))
        floats.initialize(repeating: 1, count: count)  // the whole count is usable
        #expect(floats[count - 1] == 1)
    }

    @Test("A scratch buffer starts on a cache line and keeps its floats until it must grow")
    func scratchBuffer() {
        let buffer = ScratchBuffer()
        let small = buffer.floats(100)
        #expect(isOnCacheLine(small))
        #expect(buffer.floats(50) == small)
        let large = buffer.floats(300_000)
        #expect(isOnCacheLine(large))
        #expect(buffer.capacity == 300_000)
    }

    @Test("A thread's scratch slots start on a cache line as they grow")
    func threadScratch() {
        for count in [7, 5000, 250_000] {
            #expect(isOnCacheLine(ThreadScratch.floats(count)))
            #expect(isOnCacheLine(ThreadScratch.floats(count, slot: 1)))
        }
    }
}
