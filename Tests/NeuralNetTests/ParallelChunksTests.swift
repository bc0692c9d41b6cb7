// `parallelChunks`: the threads share out a range in chunks; every item must be done exactly
// once, whatever the count, the chunk size and the number of threads.

import Testing
@testable import NeuralNet

@Suite("Parallel chunks")
struct ParallelChunksTests {
    @Test("Every item is done exactly once, in ranges of at most one chunk",
          arguments: [(0, 5, 2), (1, 5, 2), (7, 3, 1), (1000, 32, 2), (1001, 128, 2), (64, 64, 2)])
    func coversEachItemOnce(count: Int, chunk: Int, workers: Int) {
        let done = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
        defer { done.deallocate() }
        done.initialize(repeating: 0)
        let workersSeen = UnsafeMutableBufferPointer<Bool>.allocate(capacity: workers)
        defer { workersSeen.deallocate() }
        workersSeen.initialize(repeating: false)
        let shared = UncheckedSendable((done, workersSeen))
        parallelChunks(count, chunk: chunk, workers: workers) { worker, range in
            let (done, workersSeen) = shared.value
            precondition(range.count <= chunk && range.lowerBound % chunk == 0)
            workersSeen[worker] = true
            // Ranges never overlap, so no two threads write the same item.
            for item in range { done[item] += 1 }
        }
        #expect(done.prefix(count).allSatisfy { $0 == 1 })
        #expect(count == 0 || workersSeen.contains(true))
    }
}
