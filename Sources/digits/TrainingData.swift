// What a training run learns from: MNIST's training images, the extra samples when asked for,
// and the share of both held out to calibrate the network's confidence on.

import DigitData
import NeuralNet

/// The samples a run trains on, and those it keeps out for calibration.
struct TrainingData {
    /// What the network trains on: MNIST's images first, then the extra samples.
    let training: Dataset
    /// The held-out samples (MNIST's last images, then the extras' last), or nil.
    let heldOut: Dataset?
    /// 10, or 11 when the extras hold pictures that are no digit.
    let classCount: Int

    /// Splits `mnist` (and the extras in `configuration.extraSamples`) as `configuration` says:
    /// the last `heldOut` MNIST images, and the same share of the extras, are held out.
    init(mnist: Dataset, configuration: TrainingConfiguration) throws {
        let extras = try configuration.extraSamples.map { folder in
            let start = ContinuousClock.now
            let samples = try ExtraSamples.load(from: folder)
            print("loaded \(samples.count) extra samples from \(folder) in "
                  + "\(String(format: "%.2f", Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000)) s")
            return samples
        }
        let heldOutCount = configuration.heldOut ?? 0
        guard heldOutCount < mnist.count else {
            throw RuntimeError("--hold-out \(heldOutCount) leaves no training image of the \(mnist.count)")
        }
        let extrasHeldOut = extras.map { $0.count * heldOutCount / mnist.count } ?? 0
        var parts = [mnist.subset(0..<mnist.count - heldOutCount)]
        var heldOutParts = [mnist.subset(mnist.count - heldOutCount..<mnist.count)]
        if let extras {
            parts.append(extras.subset(0..<extras.count - extrasHeldOut))
            heldOutParts.append(extras.subset(extras.count - extrasHeldOut..<extras.count))
        }
        training = Dataset(concatenating: parts)
        heldOut = heldOutCount > 0 ? Dataset(concatenating: heldOutParts) : nil
        let hasRejectClass = extras?.labels.contains(ExtraSamples.notADigitLabel) ?? false
        classCount = hasRejectClass ? 11 : 10
    }
}

extension Dataset {
    /// The samples of `parts`, one after the other; all must have images of one size.
    init(concatenating parts: [Dataset]) {
        let first = parts[0]
        precondition(parts.allSatisfy { $0.imageWidth == first.imageWidth && $0.imageHeight == first.imageHeight },
                     "data sets of different image sizes")
        self.init(pixels: parts.flatMap(\.pixels), labels: parts.flatMap(\.labels),
                  imageWidth: first.imageWidth, imageHeight: first.imageHeight)
    }
}
