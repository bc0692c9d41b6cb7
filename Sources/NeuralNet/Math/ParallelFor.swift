// A minimal fork-join helper for the kernels: run a few independent pieces of work on
// Dispatch's worker threads and wait for all of them.

import Dispatch

/// Wraps a value (typically a raw pointer) so that a `@Sendable` closure may capture it.
/// The caller promises that the threads touch disjoint memory through it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Calls `body(0) … body(count - 1)`, concurrently when `count > 1`, and returns when all
/// calls have finished. A call costs about 0.6 µs of overhead, so give each piece enough work.
func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
