// A minimal fork-join helper for the kernels: run two independent pieces of work on this
// thread and on a second, waiting thread, and return when both are done.
//
// Dispatch's `concurrentPerform` did this at first, but its worker threads go to sleep between
// calls, and waking one took about 7 µs on this machine whenever the calls were even 5 µs apart
// (0.2 µs back to back). A training step makes several such calls, a few hundred microseconds
// apart at most, so the second thread here spins for a while before it sleeps.

import CIntrinsics
import Dispatch
import Foundation
import Synchronization

/// Wraps a value (typically a raw pointer) so that a `@Sendable` closure may capture it.
/// The caller promises that the threads touch disjoint memory through it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Calls `body(0) … body(count - 1)`, concurrently when `count > 1`, and returns when all
/// calls have finished. Two pieces go to `PairedWorker`; give each enough work to be worth
/// a thread (a fraction of a microsecond to hand over). Public so that other work in a
/// training step (the augmentation of a batch) shares the same second thread instead of
/// competing with it for the second core.
public func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    switch count {
    case ..<1:
        return
    case 1:
        body(0)
    case 2:
        PairedWorker.shared.run(body)
    default:
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

/// A second thread that runs `body(1)` while the caller runs `body(0)`.
///
/// Between jobs it spins (with the CPU's spin-wait hint) for about `spinLimit` rounds, a few
/// hundred microseconds, then sleeps on a semaphore until the next job. One job at a time:
/// a caller that finds the worker busy (a nested or concurrent call) runs both halves itself.
final class PairedWorker: @unchecked Sendable {
    static let shared = PairedWorker()

    /// Spin rounds before the worker sleeps (a `pause` is some tens of cycles on x86).
    static let spinLimit = 10_000

    /// Jobs handed over, and jobs the worker has finished; equal when it is idle.
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// Whether the worker is asleep (or about to be) on `wakeUp`.
    private let isAsleep = Atomic<Bool>(false)
    /// Whether a caller owns the worker.
    private let isBusy = Atomic<Bool>(false)
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The current job; written by the caller before `posted` is raised, read by the worker after.
    private var job: (@Sendable (Int) -> Void)?

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "digits kernels"
        thread.start()
    }

    func run(_ body: @Sendable (Int) -> Void) {
        guard isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            body(0)
            body(1)
            return
        }
        withoutActuallyEscaping(body) { body in
            job = body
            let ticket = posted.add(1, ordering: .sequentiallyConsistent).newValue
            // Paired with the worker's store to `isAsleep` and load of `posted`: one of the two
            // sees the other's write, so the job is never left unseen by a sleeping worker.
            if isAsleep.load(ordering: .sequentiallyConsistent) { wakeUp.signal() }
            body(0)
            while finished.load(ordering: .acquiring) != ticket { spin_wait_hint() }
            job = nil
        }
        isBusy.store(false, ordering: .releasing)
    }

    private func serve() {
        var seen = 0
        while true {
            var rounds = 0
            while posted.load(ordering: .acquiring) == seen {
                rounds += 1
                if rounds < Self.spinLimit {
                    spin_wait_hint()
                    continue
                }
                isAsleep.store(true, ordering: .sequentiallyConsistent)
                if posted.load(ordering: .sequentiallyConsistent) == seen { wakeUp.wait() }
                isAsleep.store(false, ordering: .sequentiallyConsistent)
                rounds = 0
            }
            seen += 1
            job!(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}
