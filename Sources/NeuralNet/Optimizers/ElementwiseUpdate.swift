// The optimisers' updates are elementwise, so a parameter's elements can be split between
// threads without changing any result.

/// Elements of a parameter from which its update runs on two threads. Below it, waking a
/// second thread costs more than it saves.
let parallelUpdateThreshold = 1 << 15

/// Calls `body` on pieces of `0 ..< count` that together cover it: two pieces (cut at a
/// multiple of 16) on two threads when the parameter is large and `ComputeThreads` allows,
/// else one. Each thread then updates the half of the parameter whose gradient its half of
/// the backward pass just wrote, often still in that core's cache.
func forEachPiece(of count: Int, _ body: @Sendable (Range<Int>) -> Void) {
    guard ComputeThreads.maximum > 1 && count >= parallelUpdateThreshold else {
        body(0..<count)
        return
    }
    let cut = (count / 2) & ~15
    parallelFor(2) { part in body(part == 0 ? 0..<cut : cut..<count) }
}
