// Where augmentation meets training: each batch of MNIST images is distorted afresh.

import DigitData
import NeuralNet

/// The training images, each randomly distorted by an `Augmenter` whenever the trainer asks
/// for it, so every epoch sees new variants.
///
/// The distortion of sample `i` in epoch `e` is drawn from `SeededGenerator(seed: seed ⊕ e·φ,
/// stream: 3 + i)`, a pure function of the training seed, the epoch and the sample: runs
/// stay deterministic, whatever the batch size or the shuffled order. The epoch is counted
/// from the samples served (the trainer asks for each sample once an epoch).
final class AugmentedBatchSource: BatchSource {
    let dataset: Dataset
    let augmenter: Augmenter
    let seed: UInt64
    private var samplesServed = 0
    private var distorted: [UInt8]

    /// `epochsDone` counts epochs already trained (a resumed run), so epoch numbering continues.
    init(_ dataset: Dataset, augmenter: Augmenter = Augmenter(), seed: UInt64, epochsDone: Int = 0) {
        precondition(augmenter.width == dataset.imageWidth && augmenter.height == dataset.imageHeight)
        self.dataset = dataset
        self.augmenter = augmenter
        self.seed = seed
        distorted = [UInt8](repeating: 0, count: dataset.featureCount)
        samplesServed = epochsDone * dataset.count
    }

    var sampleCount: Int { dataset.count }
    var featureCount: Int { dataset.featureCount }

    func copySamples(
        at indices: ArraySlice<Int>,
        into features: UnsafeMutableBufferPointer<Float>,
        labels: UnsafeMutableBufferPointer<Int>
    ) {
        let epoch = UInt64(samplesServed / max(dataset.count, 1))
        samplesServed += indices.count
        let width = featureCount
        dataset.pixels.withUnsafeBufferPointer { pixels in
            distorted.withUnsafeMutableBufferPointer { distorted in
                for (row, index) in indices.enumerated() {
                    var generator = SeededGenerator(seed: seed ^ (epoch &* 0x9E37_79B9_7F4A_7C15), stream: 3 + UInt64(index))
                    augmenter.distort(pixels.baseAddress! + index * width, into: distorted.baseAddress!, using: &generator)
                    let inputs = features.baseAddress! + row * width
                    for pixel in 0..<width { inputs[pixel] = Float(distorted[pixel]) / 255 }
                    labels[row] = dataset.label(at: index)
                }
            }
        }
    }
}
