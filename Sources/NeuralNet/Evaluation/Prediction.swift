/// A class and the probability the network gives it.
public struct Prediction: Equatable, Sendable {
    /// The class (the digit).
    public var label: Int
    /// Its softmax probability, in [0, 1].
    public var probability: Float

    public init(label: Int, probability: Float) {
        self.label = label
        self.probability = probability
    }
}

extension Network {
    /// For each row of `input`, the `count` most probable classes, most probable first
    /// (ties in class order).
    public func topPredictions(for input: Matrix, count: Int) -> [[Prediction]] {
        let probabilities = probabilities(for: input)
        let count = min(max(count, 0), probabilities.columns)
        return (0..<probabilities.rows).map { row in
            let rowValues = probabilities.row(row)
            let ranked = rowValues.indices.sorted { left, right in
                rowValues[left] != rowValues[right] ? rowValues[left] > rowValues[right] : left < right
            }
            return ranked.prefix(count).map { index in
                Prediction(label: index - rowValues.startIndex, probability: rowValues[index])
            }
        }
    }
}
