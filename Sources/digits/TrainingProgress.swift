// How training looks while it runs: a live bar redrawn in place on a terminal, one plain
// line an epoch anywhere else (CI logs, pipes, files).

import Foundation

/// Draws training progress on standard output.
///
/// On a terminal the bar shows the epoch, the batch, samples a second, a running loss and
/// accuracy and the time left, redrawn at most ten times a second. When standard output is
/// not a terminal only the epoch lines are printed, so logs stay readable.
final class TrainingProgress {
    private let totalEpochs: Int
    private let samplesPerEpoch: Int
    private let batchesPerEpoch: Int
    private let isTerminal: Bool
    private var epochStart = Date()
    private var lastDraw = Date.distantPast
    private var runStart = Date()
    private var smoothedLoss: Double?
    private var smoothedAccuracy: Double?

    init(totalEpochs: Int, samplesPerEpoch: Int, batchSize: Int, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.totalEpochs = totalEpochs
        self.samplesPerEpoch = samplesPerEpoch
        self.batchesPerEpoch = (samplesPerEpoch + batchSize - 1) / batchSize
        self.isTerminal = isTerminal
    }

    func epochStarted() {
        epochStart = Date()
        smoothedLoss = nil
        smoothedAccuracy = nil
    }

    /// After each mini-batch: the running figures are exponential moving averages, so the
    /// bar shows a trend rather than one batch's noise.
    func batchFinished(epoch: Int, batch: Int, samplesDone: Int, loss: Double, accuracy: Double?) {
        smoothedLoss = smoothedLoss.map { 0.95 * $0 + 0.05 * loss } ?? loss
        if let accuracy { smoothedAccuracy = smoothedAccuracy.map { 0.95 * $0 + 0.05 * accuracy } ?? accuracy }
        guard isTerminal else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || samplesDone == samplesPerEpoch else { return }
        lastDraw = now

        let elapsed = max(now.timeIntervalSince(epochStart), 1e-6)
        let rate = Double(samplesDone) / elapsed
        let remainingSamples = Double(samplesPerEpoch - samplesDone)
            + Double(totalEpochs - epoch) * Double(samplesPerEpoch)
        let fraction = Double(samplesDone) / Double(samplesPerEpoch)
        let width = 24
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "epoch \(epoch)/\(totalEpochs) \(bar) batch \(batch)/\(batchesPerEpoch)"
            + "  \(formatRate(rate))  loss \(String(format: "%.4f", smoothedLoss ?? loss))"
            + (smoothedAccuracy.map { "  acc \(String(format: "%5.1f%%", 100 * $0))" } ?? "")
            + "  left \(formatDuration(rate > 0 ? remainingSamples / rate : 0))"
        print("\r\u{1B}[2K" + line, terminator: "")
        fflush(nil)
    }

    /// Before a message that cuts training short: clears the bar's line on a terminal.
    func clearBar() {
        guard isTerminal else { return }
        print("\r\u{1B}[2K", terminator: "")
        fflush(nil)
    }

    /// After each epoch: one permanent line.
    func epochFinished(epoch: Int, trainLoss: Double, trainAccuracy: Double, testAccuracy: Double?, seconds: Double) {
        if isTerminal { print("\r\u{1B}[2K", terminator: "") }
        var line = "epoch \(epoch)/\(totalEpochs): loss \(String(format: "%.4f", trainLoss))"
            + ", train accuracy \(String(format: "%.2f%%", 100 * trainAccuracy))"
        if let testAccuracy { line += ", test accuracy \(String(format: "%.2f%%", 100 * testAccuracy))" }
        line += ", \(String(format: "%.2f", seconds)) s (\(formatRate(Double(samplesPerEpoch) / max(seconds, 1e-6))))"
        print(line)
        fflush(nil)
    }
}

/// `812k samples/s`, `1.21M samples/s`.
func formatRate(_ samplesPerSecond: Double) -> String {
    switch samplesPerSecond {
    case 1e6...: String(format: "%.2fM samples/s", samplesPerSecond / 1e6)
    case 1e3...: String(format: "%.0fk samples/s", samplesPerSecond / 1e3)
    default: String(format: "%.0f samples/s", samplesPerSecond)
    }
}

/// `0:07`, `12:30`, `1:02:03`.
func formatDuration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
}
