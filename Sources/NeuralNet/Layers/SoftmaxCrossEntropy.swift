// Softmax and cross-entropy as one step. Shapes: logits z [batch, classes], labels [batch].

import Foundation

/// The loss: softmax of the logits followed by the mean cross-entropy against the labels,
/// fused into one numerically stable step.
///
/// For one row, `L = −log pᵧ = log Σⱼ exp(zⱼ) − zᵧ`, and the log-sum-exp is computed as
/// `m + log Σⱼ exp(zⱼ − m)` with `m = maxⱼ zⱼ`, so no `exp` overflows.
public final class SoftmaxCrossEntropy {
    /// The softmax of the last logits, `[batch, classes]`.
    public private(set) var probabilities: Matrix
    /// ∂L/∂logits for the last batch, `[batch, classes]`.
    public private(set) var gradient: Matrix
    /// How many rows of the last batch had their label as the most probable class.
    public private(set) var correctCount = 0

    /// A loss over `classCount` classes.
    public init(classCount: Int) {
        probabilities = Matrix(rows: 0, columns: classCount)
        gradient = Matrix(rows: 0, columns: classCount)
    }

    /// The mean cross-entropy of `logits` against `labels` (one label in `0..<classes` a row).
    ///
    /// Also computes `probabilities`, `correctCount` and `gradient`. The gradient of the mean
    /// loss: with `pⱼ = exp(zⱼ) / Σₖ exp(zₖ)`, `∂(log Σₖ exp zₖ)/∂zⱼ = pⱼ` and `∂zᵧ/∂zⱼ = [j = y]`,
    /// so `∂L/∂z = (p − onehot(y)) / batch`, the `1 / batch` coming from the mean.
    public func loss(logits: Matrix, labels: ArraySlice<Int>) -> Float {
        let batch = logits.rows
        let classes = logits.columns
        precondition(classes == probabilities.columns, "expected \(probabilities.columns) classes, got \(classes)")
        precondition(labels.count == batch, "expected \(batch) labels, got \(labels.count)")
        probabilities.resizeRows(batch)
        gradient.resizeRows(batch)
        guard batch > 0 else { correctCount = 0; return 0 }
        var totalLoss: Double = 0
        var correct = 0
        let scale = 1 / Float(batch)
        logits.values.withUnsafeBufferPointer { z in
            probabilities.values.withUnsafeMutableBufferPointer { p in
                gradient.values.withUnsafeMutableBufferPointer { dz in
                    for row in 0..<batch {
                        let start = row * classes
                        let label = labels[labels.startIndex + row]
                        precondition(label >= 0 && label < classes, "label \(label) is outside 0..<\(classes)")
                        var maximum = z[start]
                        var best = 0
                        for j in 1..<classes where z[start + j] > maximum {
                            maximum = z[start + j]
                            best = j
                        }
                        var sum: Float = 0
                        for j in 0..<classes {
                            let e = Foundation.exp(z[start + j] - maximum)
                            p[start + j] = e
                            sum += e
                        }
                        let inverseSum = 1 / sum
                        for j in 0..<classes {
                            p[start + j] *= inverseSum
                            dz[start + j] = p[start + j] * scale
                        }
                        dz[start + label] -= scale
                        totalLoss += Double(maximum + Foundation.log(sum) - z[start + label])
                        if best == label { correct += 1 }
                    }
                }
            }
        }
        correctCount = correct
        return Float(totalLoss / Double(batch))
    }
}
