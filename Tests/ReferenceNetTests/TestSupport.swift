// Helpers shared by the ReferenceNet tests: seeded fixtures, the central-difference oracle
// and the relative error every comparison is stated in.

import Foundation
import ReferenceNet

/// Uniform values in [−1, 1) from a fixed seed.
func randomValues(count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in generator.nextUniform(from: -1, to: 1) }
}

/// `count` values at least `gap` apart, in a seeded random order: no two tie, so a max
/// pool's winner stays the winner under a probe smaller than `gap / 2`.
func distinctValues(count: Int, gap: Float, seed: UInt64) -> [Float] {
    var values = (0..<count).map { Float($0 - count / 2) * gap }
    var generator = SeededGenerator(seed: seed)
    generator.shuffle(&values)
    return values
}

/// Uniform values in [−1, 1) from a fixed seed, moved at least `margin` away from zero, so a
/// probe smaller than `margin` never crosses a rectifier's kink.
func valuesAwayFromZero(count: Int, margin: Float, seed: UInt64) -> [Float] {
    randomValues(count: count, seed: seed).map { $0 < 0 ? $0 - margin : $0 + margin }
}

/// The gradient of `loss` at `values` by central differences: `(L(v + h·eᵢ) − L(v − h·eᵢ)) / 2h`.
func centralDifferences(at values: [Float], step h: Float, loss: ([Float]) -> Double) -> [Float] {
    var probe = values
    return values.indices.map { i in
        probe[i] = values[i] + h
        let above = loss(probe)
        probe[i] = values[i] - h
        let below = loss(probe)
        probe[i] = values[i]
        // The step actually taken, (v + h) − (v − h) in Float, not 2h.
        return Float((above - below) / (Double(values[i] + h) - Double(values[i] - h)))
    }
}

/// For each parameter, the gradient of `loss()` with respect to it by central differences;
/// every parameter is left as it was.
func numericGradients(of parameters: [Parameter], step: Float, loss: () -> Double) -> [[Float]] {
    parameters.map { parameter in
        let original = parameter.value
        defer { parameter.value = original }
        return centralDifferences(at: original, step: step) { values in
            parameter.value = values
            return loss()
        }
    }
}

/// `Σ weights ⊙ values` in Double: a scalar whose gradient with respect to `values` is `weights`.
func weightedSum(_ values: [Float], _ weights: [Float]) -> Double {
    precondition(values.count == weights.count)
    return zip(values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// The mean softmax cross-entropy of `logits` against `labels`, in Double: the oracle's loss,
/// free of the Float rounding of the loss itself.
func meanCrossEntropy(_ logits: [Float], labels: [Int]) -> Double {
    let classes = logits.count / labels.count
    var total = 0.0
    for (b, label) in labels.enumerated() {
        let row = logits[b * classes ..< (b + 1) * classes].map(Double.init)
        let m = row.max()!
        total += m + log(row.reduce(0) { $0 + exp($1 - m) }) - row[label]
    }
    return total / Double(labels.count)
}

/// `‖a − b‖ / max(‖a‖, ‖b‖)`: 0 for equal vectors, about 2 for a flipped sign.
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "comparing \(a.count) values with \(b.count)")
    var difference = 0.0, normA = 0.0, normB = 0.0
    for (x, y) in zip(a, b) {
        difference += (Double(x) - Double(y)) * (Double(x) - Double(y))
        normA += Double(x) * Double(x)
        normB += Double(y) * Double(y)
    }
    return difference.squareRoot() / max(normA.squareRoot(), normB.squareRoot(), 1e-30)
}
