/// How well a network classifies a labelled set: accuracy, the confusion matrix, and
/// per-class precision and recall.
public struct Evaluation: Equatable, Sendable {
    /// The number of classes.
    public let classCount: Int
    /// The predicted class of each sample, in the source's order.
    public let predictions: [Int]
    /// The true class of each sample.
    public let labels: [Int]
    /// `confusionMatrix[actual][predicted]`: how many samples of class `actual` were predicted as `predicted`.
    public let confusionMatrix: [[Int]]

    /// The evaluation of `predictions` against `labels`, both in `0..<classCount`.
    public init(predictions: [Int], labels: [Int], classCount: Int) {
        precondition(predictions.count == labels.count, "one prediction a label")
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (predicted, actual) in zip(predictions, labels) {
            matrix[actual][predicted] += 1
        }
        self.classCount = classCount
        self.predictions = predictions
        self.labels = labels
        self.confusionMatrix = matrix
    }

    /// The number of samples.
    public var sampleCount: Int { labels.count }

    /// The number of samples predicted correctly (the confusion matrix's diagonal).
    public var correctCount: Int { (0..<classCount).reduce(0) { $0 + confusionMatrix[$1][$1] } }

    /// The fraction of samples predicted correctly (0 for an empty set).
    public var accuracy: Double {
        sampleCount == 0 ? 0 : Double(correctCount) / Double(sampleCount)
    }

    /// Of the samples predicted as `digit`, the fraction that are `digit`:
    /// `TP / (TP + FP)`, the column's diagonal share (0 when nothing was predicted as `digit`).
    public func precision(of digit: Int) -> Double {
        let predictedCount = confusionMatrix.reduce(0) { $0 + $1[digit] }
        return predictedCount == 0 ? 0 : Double(confusionMatrix[digit][digit]) / Double(predictedCount)
    }

    /// Of the samples that are `digit`, the fraction predicted as `digit`:
    /// `TP / (TP + FN)`, the row's diagonal share (0 when there is no sample of `digit`).
    public func recall(of digit: Int) -> Double {
        let actualCount = confusionMatrix[digit].reduce(0, +)
        return actualCount == 0 ? 0 : Double(confusionMatrix[digit][digit]) / Double(actualCount)
    }

    /// The indices of the samples predicted wrongly.
    public var errorIndices: [Int] {
        labels.indices.filter { predictions[$0] != labels[$0] }
    }
}

extension Network {
    /// Classifies every sample of `source`, `batchSize` at a time, and evaluates the predictions.
    ///
    /// - Throws: `BatchSourceError` when the samples do not fit the network.
    public func evaluate(on source: some BatchSource, batchSize: Int = 256) throws -> Evaluation {
        var predictions: [Int] = []
        var labels: [Int] = []
        predictions.reserveCapacity(source.sampleCount)
        labels.reserveCapacity(source.sampleCount)
        try forEachBatch(of: source, batchSize: batchSize) { logits, batchLabels in
            predictions.append(contentsOf: logits.columnsOfRowMaxima())
            labels.append(contentsOf: batchLabels)
        }
        return Evaluation(predictions: predictions, labels: labels, classCount: outputCount)
    }

    /// The logits of every sample of `source` (`[sampleCount, outputCount]`, row by row) and
    /// the samples' labels, `batchSize` samples a forward pass.
    ///
    /// - Throws: `BatchSourceError` when the samples do not fit the network.
    public func logits(on source: some BatchSource, batchSize: Int = 256) throws -> (logits: [Float], labels: [Int]) {
        var logits: [Float] = []
        var labels: [Int] = []
        logits.reserveCapacity(source.sampleCount * outputCount)
        labels.reserveCapacity(source.sampleCount)
        try forEachBatch(of: source, batchSize: batchSize) { batchLogits, batchLabels in
            logits.append(contentsOf: batchLogits.values)
            labels.append(contentsOf: batchLabels)
        }
        return (logits, labels)
    }

    /// Runs every sample of `source` forward, in order, `batchSize` at a time, handing each
    /// batch's logits and labels to `body`.
    private func forEachBatch(of source: some BatchSource, batchSize: Int,
                              _ body: (Matrix, [Int]) -> Void) throws {
        guard source.featureCount == inputCount else {
            throw BatchSourceError.featureCountMismatch(expected: inputCount, actual: source.featureCount)
        }
        let sampleCount = source.sampleCount
        let batchSize = max(1, batchSize)
        var batch = Batch(capacity: batchSize, featureCount: inputCount)
        let allIndices = Array(0..<sampleCount)
        for first in stride(from: 0, to: sampleCount, by: batchSize) {
            try batch.load(allIndices[first ..< min(first + batchSize, sampleCount)], from: source,
                           classCount: outputCount, listsBytes: takesByteBatches)
            body(forward(batch, isTraining: false), Array(batch.loadedLabels))
        }
    }
}
