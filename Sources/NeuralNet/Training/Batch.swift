// One mini-batch as the network reads it, in buffers reused from batch to batch.

import CIntrinsics

/// A reusable batch: the samples' features as the rows of a matrix, and their labels.
///
/// From a `ByteFeatureSource`, when the network's first layer is `Dense` and the samples are
/// mostly zero, the batch keeps only which samples it holds and the source's bytes: that
/// layer lists the nonzero features from the bytes itself (`Network.forward(_:isTraining:)`),
/// and the matrix's rows are not written.
struct Batch {
    /// The features, `[count, featureCount]`, unless they are read from `featureBytes` (then
    /// the matrix is left as it was, often empty).
    private(set) var features: Matrix
    private var labels: [Int]
    /// The number of samples loaded.
    private(set) var count = 0
    /// The source's bytes when the features are read from them, else nil.
    private(set) var featureBytes: [UInt8]?
    /// The samples the batch holds, in row order (used with `featureBytes`).
    private var samples: [Int]

    /// A batch for samples of `featureCount` features, with room for `capacity` labels. The
    /// feature matrix is sized when it is first needed.
    init(capacity: Int, featureCount: Int) {
        features = Matrix(rows: 0, columns: featureCount)
        labels = [Int](repeating: 0, count: capacity)
        samples = []
        samples.reserveCapacity(capacity)
    }

    /// The batch's samples as offsets into `featureBytes`, one a row.
    func withSamples<Result>(_ body: (UnsafeBufferPointer<Int>) -> Result) -> Result {
        samples.withUnsafeBufferPointer(body)
    }

    /// Loads `indices` from `source` into rows `0..<indices.count`, checking every label. When
    /// `listsBytes`, a byte source's features stay bytes (see the type's comment).
    mutating func load(
        _ indices: ArraySlice<Int>, from source: some BatchSource, classCount: Int, listsBytes: Bool
    ) throws(BatchSourceError) {
        let count = indices.count
        self.count = count
        if labels.count < count {
            labels.append(contentsOf: repeatElement(0, count: count - labels.count))
        }
        featureBytes = nil
        if listsBytes, let byteSource = source as? any ByteFeatureSource,
           let bytes = Self.sparseBytes(of: byteSource, samples: indices, featureCount: features.columns) {
            featureBytes = bytes
            samples.removeAll(keepingCapacity: true)
            samples.append(contentsOf: indices)
            labels.withUnsafeMutableBufferPointer { labels in
                byteSource.copyLabels(at: indices, into: UnsafeMutableBufferPointer(rebasing: labels[0..<count]))
            }
        } else {
            features.resizeRows(count)
            features.values.withUnsafeMutableBufferPointer { features in
                labels.withUnsafeMutableBufferPointer { labels in
                    source.copySamples(
                        at: indices, into: features,
                        labels: UnsafeMutableBufferPointer(rebasing: labels[0..<count]))
                }
            }
        }
        for (row, sample) in indices.enumerated() where !(0..<classCount).contains(labels[row]) {
            throw .labelOutOfRange(label: labels[row], sample: sample, classCount: classCount)
        }
    }

    /// The bytes of `source`, if the first `Dense.densitySampleRows` of `samples` are as sparse
    /// as `Dense` wants for listing (`Dense.isSparse`); else nil.
    private static func sparseBytes(
        of source: any ByteFeatureSource, samples: ArraySlice<Int>, featureCount: Int
    ) -> [UInt8]? {
        let bytes = source.featureBytes
        // The listing reads the bytes through pointers: check once that they are all there.
        precondition(bytes.count == source.sampleCount * featureCount
                     && samples.allSatisfy { (0..<source.sampleCount).contains($0) },
                     "a ByteFeatureSource's bytes must hold featureCount bytes for each of its samples")
        let sampled = samples.prefix(Dense.densitySampleRows)
        guard !sampled.isEmpty else { return nil }
        let density = bytes.withUnsafeBufferPointer { bytes in
            // Ask for all the sampled images first, so that their trips from memory overlap: a
            // training batch's images are scattered over the set, and the next batch's are
            // still being listed on the other core. Read one after another, they kept the
            // caller waiting for 6% of 784-10-10's training step.
            for sample in sampled {
                prefetch_bytes_for_reading(bytes.baseAddress! + sample * featureCount, featureCount)
            }
            return sampled.reduce(0.0) { sum, sample in
                sum + SparseMatrix.density(ofBytes: UnsafeBufferPointer(
                    rebasing: bytes[(sample * featureCount)..<((sample + 1) * featureCount)]))
            } / Double(sampled.count)
        }
        return density <= Dense.sparseMaximumDensity ? bytes : nil
    }

    /// The labels of the loaded rows.
    var loadedLabels: ArraySlice<Int> { labels[0..<count] }
}
