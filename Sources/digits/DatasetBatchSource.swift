// Where the data module meets the network module: MNIST images as training batches.

import DigitData
import NeuralNet

/// A `Dataset` feeds the trainer directly: its UInt8 pixels become `x / 255` one batch at a
/// time, into the trainer's reused buffer.
extension Dataset: BatchSource {
    public var sampleCount: Int { count }

    public func copySamples(
        at indices: ArraySlice<Int>,
        into features: UnsafeMutableBufferPointer<Float>,
        labels: UnsafeMutableBufferPointer<Int>
    ) {
        fillBatch(indices: indices, inputs: features.baseAddress!, labels: labels.baseAddress!)
    }

    public func prefetchSamples(at indices: ArraySlice<Int>) {
        prefetch(indices: indices)
    }
}

/// The pixels are bytes (`x / 255` as a feature), so a first dense layer reads them as they are.
extension Dataset: ByteFeatureSource {
    public var featureBytes: [UInt8] { pixels }

    public func copyLabels(at indices: ArraySlice<Int>, into labels: UnsafeMutableBufferPointer<Int>) {
        for (row, index) in zip(0..., indices) {
            labels[row] = label(at: index)
        }
    }
}

extension Dataset {
    /// The images at `indices` as the rows of a matrix of network inputs (`x / 255`).
    func inputMatrix(at indices: [Int]) -> Matrix {
        var values = [Float](repeating: 0, count: indices.count * featureCount)
        var labels = [Int](repeating: 0, count: indices.count)
        values.withUnsafeMutableBufferPointer { inputs in
            fillBatch(indices: indices, inputs: inputs.baseAddress!, labels: &labels)
        }
        return Matrix(rows: indices.count, columns: featureCount, values: values)
    }
}
