// A minimal fork-join helper for the kernels: run a few independent pieces of work on this
// thread and the helper thread (`HelperThread`), and wait for all of them.

import CIntrinsics

/// Wraps a value (typically a raw pointer) so that a `@Sendable` closure may capture it.
/// The caller promises that the threads touch disjoint memory through it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Calls `body(0) … body(count - 1)`, concurrently when `count > 1`, and returns when all
/// calls have finished: this thread and `HelperThread` each take the next piece that no one has
/// taken. Public so that other work in a training step (the augmentation of a batch) can use
/// the same threads.
///
/// Dispatch's `concurrentPerform` did this until 2026-11-25 (session 6). Its workers sleep
/// between calls, and waking one took about 7 µs whenever the calls were 5 µs or more apart,
/// several times a training step. Spinning second threads tried before (sessions 2 and 4)
/// held calls up beside another busy process: session 2's waited for its half of the work
/// even when it had not started, and both kept spinning. `HelperThread`'s caller takes the
/// pieces the helper has not taken, and the helper stops spinning while its core is wanted.
public func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    HelperThread.shared.run(count, body)
}

/// Calls `body(worker, range)` for consecutive ranges of at most `chunk` items that together
/// cover `0 ..< count`, on `workers` threads at once (`parallelFor`). Each thread takes the next
/// range that no thread has taken whenever it finishes one, so a thread slowed down (by another
/// process on its core, or by waking late) takes fewer: with the rows split in fixed halves,
/// evaluation waited on the slower half. `worker` (`0 ..< workers`) names the thread, for its
/// own scratch memory. Work whose results do not depend on which thread does which range gives
/// the same bits however the ranges fall.
func parallelChunks(_ count: Int, chunk: Int, workers: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
    precondition(chunk > 0, "parallelChunks needs chunks of at least one item")
    let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    next.initialize(to: 0)
    defer { next.deallocate() }
    let counter = UncheckedSendable(next)
    parallelFor(workers) { worker in
        while true {
            let first = fetch_and_add(counter.value, chunk)
            guard first < count else { return }
            body(worker, first..<min(first + chunk, count))
        }
    }
}
