// Helpers shared by the NeuralNet tests: random fixtures and the central-difference oracle.

@testable import NeuralNet

/// A matrix of uniform values in [−1, 1) from a fixed seed.
func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    return Matrix(rows: rows, columns: columns,
                  values: (0..<rows * columns).map { _ in generator.nextUniform(from: -1, to: 1) })
}

/// Uniform values in [−1, 1) from a fixed seed.
func randomValues(count: Int, seed: UInt64) -> [Float] {
    randomMatrix(rows: 1, columns: count, seed: seed).values
}

/// The gradient of `loss` at `values` by central differences: `(L(v + h·eᵢ) − L(v − h·eᵢ)) / 2h`.
func centralDifferences(at values: [Float], step: Float = 1e-3, loss: ([Float]) -> Double) -> [Float] {
    var probe = values
    return values.indices.map { i in
        probe[i] = values[i] + step
        let above = loss(probe)
        probe[i] = values[i] - step
        let below = loss(probe)
        probe[i] = values[i]
        return Float((above - below) / (2 * Double(step)))
    }
}

/// `‖a − b‖ / max(‖a‖, ‖b‖)`: 0 for equal vectors, about 2 for a flipped sign.
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var difference = 0.0, normA = 0.0, normB = 0.0
    for (x, y) in zip(a, b) {
        difference += Double(x - y) * Double(x - y)
        normA += Double(x) * Double(x)
        normB += Double(y) * Double(y)
    }
    return difference.squareRoot() / max(normA.squareRoot(), normB.squareRoot(), 1e-12)
}

/// `Σ weights ⊙ matrix`, a scalar loss whose gradient with respect to `matrix` is `weights`.
func weightedSum(_ matrix: Matrix, _ weights: Matrix) -> Double {
    zip(matrix.values, weights.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// The transpose of a row-major `[rows, columns]` array.
func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    (0..<columns * rows).map { index in
        let (column, row) = index.quotientAndRemainder(dividingBy: rows)
        return values[row * columns + column]
    }
}
