/// Labelled samples that the trainer and the evaluation read batch by batch.
///
/// NeuralNet knows nothing of where samples come from; a data set conforms by copying the
/// samples asked for as rows of the caller's buffer (converting pixels to `Float` there, one
/// batch at a time).
public protocol BatchSource {
    /// The number of samples.
    var sampleCount: Int { get }
    /// Features per sample.
    var featureCount: Int { get }
    /// Writes sample `indices[k]` as row `k` of `features` (`[indices.count, featureCount]`,
    /// row-major) and its class label to `labels[k]`.
    func copySamples(
        at indices: ArraySlice<Int>,
        into features: UnsafeMutableBufferPointer<Float>,
        labels: UnsafeMutableBufferPointer<Int>)

    /// A hint that `copySamples(at: indices, …)` comes next: a source that can start fetching
    /// those samples (into the CPU's caches, say) may do so and return. The default does nothing.
    func prefetchSamples(at indices: ArraySlice<Int>)
}

extension BatchSource {
    public func prefetchSamples(at indices: ArraySlice<Int>) {}
}

/// A source whose features are bytes, a byte `b` standing for the feature `b / 255`, as the
/// pixels of MNIST's images. A network whose first layer is `Dense` then lists a batch's
/// nonzero features straight from the bytes (four in five MNIST pixels are 0) instead of
/// having the batch written out as floats first: the same results, less work.
public protocol ByteFeatureSource: BatchSource {
    /// Every sample's features, sample `s` being `featureBytes[s · featureCount ..< (s + 1) · featureCount]`.
    var featureBytes: [UInt8] { get }
    /// Writes the label of sample `indices[k]` to `labels[k]`.
    func copyLabels(at indices: ArraySlice<Int>, into labels: UnsafeMutableBufferPointer<Int>)
}

/// Samples held in memory as a `Matrix`, one row a sample.
public struct InMemoryBatchSource: BatchSource, Sendable {
    /// The samples, `[sampleCount, featureCount]`.
    public let features: Matrix
    /// One class label a sample.
    public let labels: [Int]

    /// Samples as the rows of `features`, with one label a row.
    public init(features: Matrix, labels: [Int]) {
        precondition(features.rows == labels.count, "\(features.rows) samples but \(labels.count) labels")
        self.features = features
        self.labels = labels
    }

    public var sampleCount: Int { features.rows }
    public var featureCount: Int { features.columns }

    public func copySamples(
        at indices: ArraySlice<Int>,
        into features: UnsafeMutableBufferPointer<Float>,
        labels: UnsafeMutableBufferPointer<Int>
    ) {
        let columns = featureCount
        self.features.values.withUnsafeBufferPointer { source in
            for (row, sample) in indices.enumerated() {
                (features.baseAddress! + row * columns)
                    .update(from: source.baseAddress! + sample * columns, count: columns)
                labels[row] = self.labels[sample]
            }
        }
    }
}

/// Samples that do not fit the network.
public enum BatchSourceError: Error, Equatable, CustomStringConvertible {
    /// The samples have `actual` features where the network takes `expected`.
    case featureCountMismatch(expected: Int, actual: Int)
    /// Sample `sample` has a label outside `0..<classCount`.
    case labelOutOfRange(label: Int, sample: Int, classCount: Int)

    public var description: String {
        switch self {
        case let .featureCountMismatch(expected, actual):
            "the samples have \(actual) features but the network takes \(expected)"
        case let .labelOutOfRange(label, sample, classCount):
            "sample \(sample) has label \(label), outside 0..<\(classCount)"
        }
    }
}
