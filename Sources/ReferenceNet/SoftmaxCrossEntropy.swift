import Foundation

/// The loss: the softmax of the logits, then the cross-entropy against the labels, averaged
/// over the batch; one fused, numerically stable step.
///
/// Shapes: logits `z` [B, classes], labels [B] (each in `0..<classes`).
///
/// For one sample with label `y`: `pⱼ = exp(zⱼ) / Σₖ exp(zₖ)` and
/// `ℓ = −log p_y = log Σₖ exp(zₖ) − z_y`. The log-sum-exp is taken as
/// `m + log Σₖ exp(zₖ − m)`, `m = maxₖ zₖ`, so that no `exp` overflows. `L = (1/B) Σ_b ℓ_b`.
public enum SoftmaxCrossEntropy {
    /// What one evaluation of the loss gives.
    public struct Result {
        /// The mean cross-entropy `L`.
        public var loss: Float
        /// `∂L/∂z`, `[B, classes]`.
        public var gradient: [Float]
        /// The softmax `p`, `[B, classes]`.
        public var probabilities: [Float]
        /// The samples whose label is their most probable class (the first on ties).
        public var correctCount: Int
    }

    /// The loss of `logits` against `labels`, and its gradient.
    ///
    /// Gradient: `∂(log Σₖ exp zₖ)/∂zⱼ = pⱼ` and `∂z_y/∂zⱼ = [j = y]`, so `∂ℓ/∂z = p − onehot(y)`;
    /// the mean divides by `B`: `∂L/∂z = (p − onehot(y)) / B`.
    public static func evaluate(logits z: [Float], labels: [Int]) -> Result {
        let batch = labels.count
        guard batch > 0 else { return Result(loss: 0, gradient: [], probabilities: [], correctCount: 0) }
        precondition(z.count % batch == 0 && z.count > 0, "\(z.count) logits do not split into \(batch) samples")
        let classes = z.count / batch
        var p = [Float](repeating: 0, count: z.count)
        var dz = [Float](repeating: 0, count: z.count)
        var total = 0.0
        var correct = 0
        for b in 0..<batch {
            let row = b * classes
            let label = labels[b]
            precondition(label >= 0 && label < classes, "label \(label) is outside 0..<\(classes)")
            var m = z[row]
            var best = 0
            for j in 1..<classes where z[row + j] > m {
                m = z[row + j]
                best = j
            }
            var sum: Float = 0
            for j in 0..<classes {
                p[row + j] = exp(z[row + j] - m)
                sum += p[row + j]
            }
            for j in 0..<classes {
                p[row + j] /= sum
                dz[row + j] = p[row + j] / Float(batch)
            }
            dz[row + label] -= 1 / Float(batch)
            total += Double(m + log(sum) - z[row + label])
            if best == label { correct += 1 }
        }
        return Result(loss: Float(total / Double(batch)), gradient: dz, probabilities: p, correctCount: correct)
    }
}
