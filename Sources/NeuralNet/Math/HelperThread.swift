// The second thread that the kernels share their work with, in place of Dispatch's workers.
//
// A training step hands work to the second core several times, a few tens of microseconds
// apart: the two halves of a product, of a gradient, of an optimiser's update, and the listing
// of the next batch. Dispatch's worker threads go to sleep between such calls, and waking one
// took about 7 µs of each call, along with system time on both cores. This thread spins for a
// while after each piece of work before it sleeps, so a training step finds it awake.
//
// It never holds the caller up when it is not there: the pieces of a fork-join call are handed
// out from a counter, and the caller takes every piece the helper has not taken, so a helper
// that is busy (listing a batch), asleep, or descheduled by another process only means the
// caller does more pieces itself. And it stops spinning while another process wants its core
// (see `waitForPost`), where spinning cost more than Dispatch's wake-ups.

import CIntrinsics
import Dispatch
import Foundation
import Synchronization

/// A thread beside the caller's for `parallelFor`'s pieces and for background tasks (the
/// listing of the next training batch): pieces of an open call first, then tasks in order.
final class HelperThread: @unchecked Sendable {
    /// The one helper, started on first use.
    static let shared = HelperThread()

    /// How long the helper looks for new work after finishing some before it sleeps: longer
    /// than the gaps within a training step, short enough to leave the core soon after one.
    static let spinDuration = Duration.microseconds(200)
    /// A yield that takes longer than this let another thread run (see `waitForPost`).
    static let contendedYield = Duration.microseconds(50)
    /// How long the helper sleeps between jobs, without spinning, after it found the core contended.
    static let restAfterContention = Duration.milliseconds(50)

    // The fork-join call in progress. Only the owner of `isOwned` posts one; the helper reads
    // `body` only between raising `visitors` and lowering it again, and the owner clears it only
    // once the call is closed and no visitor is left.
    private let isOwned = Atomic<Bool>(false)
    private var body: ((Int) -> Void)?
    private var pieceCount = 0
    private let nextPiece = Atomic<Int>(0)
    private let finishedPieces = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(false)
    private let visitors = Atomic<Int>(0)

    /// Background tasks not yet started, oldest first.
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    /// Raised whenever work is posted (a call opened or a task queued): what the helper watches.
    private let posts = Atomic<Int>(0)
    private let isAsleep = Atomic<Bool>(false)
    private let wakeUp = DispatchSemaphore(value: 0)
    /// When the helper may spin again after finding its core contended (its own thread only).
    private var spinsAgainAt = ContinuousClock.now

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "digits helper"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Calls `body(0) … body(count - 1)` on this thread and the helper, each taking the next
    /// piece no one has taken, and returns when all have finished. When another call holds the
    /// helper (a call from inside a piece, or from another thread), runs them all here.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard isOwned.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for piece in 0..<count { body(piece) }
            return
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            pieceCount = count
            nextPiece.store(0, ordering: .relaxed)
            finishedPieces.store(0, ordering: .relaxed)
            isOpen.store(true, ordering: .sequentiallyConsistent)
            post()
            let done = takePieces(of: body)
            finishedPieces.add(done, ordering: .releasing)
            var waits = 0
            while finishedPieces.load(ordering: .acquiring) < count {
                spin_wait_hint()
                waits += 1
                if waits % 64 == 0 { sched_yield() }
            }
            // Closed, then no visitor left: a helper that comes later sees it closed and leaves
            // `body` alone, so it may be cleared (and the closure stops escaping).
            isOpen.store(false, ordering: .sequentiallyConsistent)
            while visitors.load(ordering: .sequentiallyConsistent) != 0 { spin_wait_hint() }
            self.body = nil
        }
        isOwned.store(false, ordering: .releasing)
    }

    /// Runs `task` on the helper once it has finished the work posted before; returns at once.
    func runInBackground(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        post()
    }

    /// Takes the pieces of the open call that no one has taken, one at a time; returns how many.
    /// Not inlined, so that its copy of `body` is released when it returns.
    @inline(never)
    private func takePieces(of body: (Int) -> Void) -> Int {
        var done = 0
        while true {
            let piece = nextPiece.add(1, ordering: .relaxed).oldValue
            guard piece < pieceCount else { return done }
            body(piece)
            done += 1
        }
    }

    /// Tells the helper that there is work, waking it if it sleeps.
    private func post() {
        posts.add(1, ordering: .sequentiallyConsistent)
        if isAsleep.exchange(false, ordering: .sequentiallyConsistent) { wakeUp.signal() }
    }

    /// The helper's loop: pieces of an open call first, then background tasks, then it waits.
    private func serve() {
        while true {
            let seenPosts = posts.load(ordering: .acquiring)
            if helpWithOpenCall() { continue }
            if let task = tasks.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                task()
                continue
            }
            waitForPost(after: seenPosts)
        }
    }

    /// Takes pieces of the open call, if there is one; returns whether there was. Counted as a
    /// visitor throughout, and `takePiecesOfOpenCall` has let go of the call's `body` when it
    /// returns, before the count drops.
    private func helpWithOpenCall() -> Bool {
        visitors.add(1, ordering: .sequentiallyConsistent)
        let helped = takePiecesOfOpenCall()
        visitors.subtract(1, ordering: .sequentiallyConsistent)
        return helped
    }

    @inline(never)
    private func takePiecesOfOpenCall() -> Bool {
        guard isOpen.load(ordering: .sequentiallyConsistent), let body,
              nextPiece.load(ordering: .relaxed) < pieceCount else { return false }
        finishedPieces.add(takePieces(of: body), ordering: .releasing)
        return true
    }

    /// Spins until `posts` moves past `seen` or `spinDuration` passes, then sleeps until it does.
    ///
    /// Spinning pays only while nothing else wants this core. When another process does, the
    /// scheduler counts the spinning against this thread and later takes the core away from it
    /// in the middle of a piece, which the caller then waits for: beside a busy process,
    /// 784-128-10 trained at 0.6 times Dispatch's speed. The spin yields the core now and then,
    /// and a yield that took long means another thread ran meanwhile; then the helper sleeps at
    /// once, and does not spin again for `restAfterContention`, as Dispatch's workers do.
    private func waitForPost(after seen: Int) {
        let start = ContinuousClock.now
        var rounds = 0
        while start >= spinsAgainAt && posts.load(ordering: .acquiring) == seen {
            for _ in 0..<16 { spin_wait_hint() }
            rounds += 1
            guard rounds % 8 == 0 else { continue }
            let beforeYield = ContinuousClock.now
            if beforeYield - start > Self.spinDuration { break }
            sched_yield()
            let afterYield = ContinuousClock.now
            if afterYield - beforeYield > Self.contendedYield {
                spinsAgainAt = afterYield + Self.restAfterContention
            }
        }
        guard posts.load(ordering: .acquiring) == seen else { return }
        isAsleep.store(true, ordering: .sequentiallyConsistent)
        if posts.load(ordering: .sequentiallyConsistent) != seen {
            // Work came in meanwhile: cancel the sleep, unless a poster already cancelled it and
            // so owes a signal, which must be taken.
            if isAsleep.exchange(false, ordering: .sequentiallyConsistent) { return }
        }
        wakeUp.wait()
    }
}
