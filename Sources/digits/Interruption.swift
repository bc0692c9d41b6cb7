// Ctrl-C (SIGINT) and SIGTERM during training: instead of dying mid-epoch, the training loop
// is asked to stop between two batches, so the last finished epoch can be saved.

import Foundation

/// Catches SIGINT and SIGTERM while installed and remembers that one arrived.
///
/// The signals reach a dispatch source, not a C handler, so the code that runs is ordinary
/// Swift; the training loop polls `isRequested` before each batch. After the first signal the
/// default action is back, so a second Ctrl-C ends the process at once (the checkpoint on disk
/// is then the previous one: files are only ever replaced whole).
final class Interruption: @unchecked Sendable {
    /// The signals that ask training to stop.
    static let signals = [SIGINT, SIGTERM]

    private let lock = NSLock()
    private var received: Int32?
    private var sources: [any DispatchSourceSignal] = []

    /// Starts catching the signals.
    init() {
        for number in Self.signals {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.receive(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives the signals their default action back.
    func uninstall() {
        for source in sources { source.cancel() }
        sources = []
        for number in Self.signals { Foundation.signal(number, SIG_DFL) }
    }

    /// The signal that arrived first, if any.
    var receivedSignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// True once a signal has arrived.
    var isRequested: Bool { receivedSignal != nil }

    private func receive(_ number: Int32) {
        lock.lock()
        if received == nil { received = number }
        lock.unlock()
        Foundation.signal(number, SIG_DFL)
    }

    /// For tests only: when the environment variable `DIGITS_TEST_PAUSE_AFTER_EPOCH` is N,
    /// training prints `paused after epoch N` and waits there (for at most a minute) until a
    /// signal arrives, so a test can interrupt a run at a known point instead of racing it
    /// (0 pauses before the first epoch).
    func pauseForTests(after epoch: Int) {
        guard let value = ProcessInfo.processInfo.environment["DIGITS_TEST_PAUSE_AFTER_EPOCH"],
              Int(value) == epoch else { return }
        print("paused after epoch \(epoch)")
        fflush(nil)
        let deadline = Date().addingTimeInterval(60)
        while !isRequested && Date() < deadline {
            usleep(1_000)
        }
    }
}
