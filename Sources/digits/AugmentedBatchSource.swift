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
    /// Scratch bytes for one distorted image for each of the two halves of a batch, one after the other.
    private var distorted: [UInt8]

    /// `epochsDone` counts epochs already trained (a resumed run), so epoch numbering continues.
    init(_ dataset: Dataset, augmenter: Augmenter = Augmenter(), seed: UInt64, epochsDone: Int = 0) {
        precondition(augmenter.width == dataset.imageWidth && augmenter.height == dataset.imageHeight)
        self.dataset = dataset
        self.augmenter = augmenter
        self.seed = seed
        distorted = [UInt8](repeating: 0, count: 2 * dataset.featureCount)
        samplesServed = epochsDone * dataset.count
    }

    var sampleCount: Int { dataset.count }
    var featureCount: Int { dataset.featureCount }

    /// Distorts the images at `indices` into `features`, the two halves of the batch on two
    /// threads when `ComputeThreads` allows: each image's distortion is its own seeded draw, so
    /// the split changes nothing. (Distorting took nine tenths of an augmented MLP epoch.)
    func copySamples(
        at indices: ArraySlice<Int>,
        into features: UnsafeMutableBufferPointer<Float>,
        labels: UnsafeMutableBufferPointer<Int>
    ) {
        let epoch = UInt64(samplesServed / max(dataset.count, 1))
        samplesServed += indices.count
        let epochSeed = seed ^ (epoch &* 0x9E37_79B9_7F4A_7C15)
        let halves = ComputeThreads.maximum > 1 && indices.count >= 2 ? 2 : 1
        let cut = (indices.count + 1) / 2
        for (row, index) in indices.enumerated() { labels[row] = dataset.label(at: index) }
        distorted.withUnsafeMutableBufferPointer { scratch in
            dataset.pixels.withUnsafeBufferPointer { pixels in
                let work = UncheckedSendableBuffers(
                    pixels: pixels.baseAddress!, features: features.baseAddress!,
                    scratch: (scratch.baseAddress!, scratch.baseAddress! + featureCount))
                let (augmenter, width) = (self.augmenter, featureCount)
                parallelFor(halves) { half in
                    let rows = halves == 1 ? 0..<indices.count : (half == 0 ? 0..<cut : cut..<indices.count)
                    let first = indices.startIndex
                    let scratch = half == 0 ? work.scratch.0 : work.scratch.1
                    for row in rows {
                        let index = indices[first + row]
                        var generator = SeededGenerator(seed: epochSeed, stream: 3 + UInt64(index))
                        augmenter.distort(work.pixels + index * width, into: scratch, using: &generator)
                        let inputs = work.features + row * width
                        for pixel in 0..<width { inputs[pixel] = Float(scratch[pixel]) / 255 }
                    }
                }
            }
        }
    }
}

/// The raw buffers the two halves of `copySamples` share; they write disjoint rows and scratch.
private struct UncheckedSendableBuffers: @unchecked Sendable {
    let pixels: UnsafePointer<UInt8>
    let features: UnsafeMutablePointer<Float>
    let scratch: (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>)
}
