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

/// A reusable batch buffer: features as rows of a matrix, and their labels.
struct Batch {
    var features: Matrix
    var labels: [Int]

    init(capacity: Int, featureCount: Int) {
        features = Matrix(rows: capacity, columns: featureCount)
        labels = [Int](repeating: 0, count: capacity)
    }

    /// Copies `indices` from `source` into rows `0..<indices.count`, checking every label.
    mutating func load(
        _ indices: ArraySlice<Int>, from source: some BatchSource, classCount: Int
    ) throws(BatchSourceError) {
        let count = indices.count
        features.resizeRows(count)
        if labels.count < count {
            labels.append(contentsOf: repeatElement(0, count: count - labels.count))
        }
        features.values.withUnsafeMutableBufferPointer { features in
            labels.withUnsafeMutableBufferPointer { labels in
                source.copySamples(
                    at: indices, into: features,
                    labels: UnsafeMutableBufferPointer(rebasing: labels[0..<count]))
            }
        }
        for (row, sample) in indices.enumerated() where !(0..<classCount).contains(labels[row]) {
            throw .labelOutOfRange(label: labels[row], sample: sample, classCount: classCount)
        }
    }

    /// The labels of the loaded rows.
    var loadedLabels: ArraySlice<Int> { labels[0..<features.rows] }
}
