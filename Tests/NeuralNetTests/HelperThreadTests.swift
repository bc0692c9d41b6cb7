// `parallelFor` on `HelperThread`: every piece runs exactly once and the call returns only
// after all of them, whether the helper takes some, none (busy, asleep), or the call is nested
// in another or made from many threads at once; background tasks run, in order.

import Foundation
import Synchronization
import Testing
@testable import NeuralNet

@Suite("Helper thread")
struct HelperThreadTests {
    /// Runs `parallelFor(count)` and returns how many times each piece ran, read after it returned.
    private func runCounts(_ count: Int) -> [Int] {
        let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0)
        let shared = UncheckedSendable(runs)
        // Each piece writes only its own slot.
        parallelFor(count) { piece in shared.value[piece] += 1 }
        return Array(runs)
    }

    @Test("Every piece runs exactly once before the call returns", arguments: [1, 2, 3, 17, 1000])
    func everyPieceOnce(count: Int) {
        for _ in 0..<50 {
            #expect(runCounts(count) == [Int](repeating: 1, count: count))
        }
    }

    @Test("A call made from inside a piece runs all its pieces")
    func nestedCall() {
        let inner = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 3)
        defer { inner.deallocate() }
        inner.initialize(repeating: 0)
        let shared = UncheckedSendable(inner)
        parallelFor(4) { outer in
            parallelFor(3) { piece in shared.value[outer * 3 + piece] += 1 }
        }
        #expect(Array(inner) == [Int](repeating: 1, count: 12))
    }

    @Test("Calls from many threads at once each run every piece once")
    func concurrentCallers() {
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for count in [2, 5, 64] where runCounts(count) != [Int](repeating: 1, count: count) {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test("The helper takes pieces, also after it has gone to sleep")
    func helperTakesPieces() {
        let caller = pthread_self()
        func helperTookOne() -> Bool {
            let others = Atomic<Int>(0)
            // Pieces long enough for the helper to wake and take one; other tests' calls may
            // hold it for a while, so keep trying for a few seconds.
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                parallelFor(8) { _ in
                    let start = ContinuousClock.now
                    while ContinuousClock.now - start < .microseconds(50) {}
                    if pthread_equal(pthread_self(), caller) == 0 { others.add(1, ordering: .relaxed) }
                }
                if others.load(ordering: .relaxed) > 0 { return true }
            }
            return false
        }
        #expect(helperTookOne())
        // Past the spinning time the helper sleeps; a call must wake it.
        Thread.sleep(forTimeInterval: 0.01)
        #expect(helperTookOne())
    }

    @Test("Background tasks run in the order given, beside fork-join calls")
    func backgroundTasks() {
        let order = Mutex<[Int]>([])
        let finished = DispatchSemaphore(value: 0)
        for task in 0..<20 {
            HelperThread.shared.runInBackground {
                order.withLock { $0.append(task) }
                if task == 19 { finished.signal() }
            }
            #expect(runCounts(4) == [1, 1, 1, 1])
        }
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(order.withLock { $0 } == Array(0..<20))
    }
}
