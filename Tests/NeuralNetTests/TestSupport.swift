// Helpers shared by the NeuralNet tests: random fixtures and the central-difference oracle.

import Foundation
import Testing
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

/// For each parameter, the gradient of `loss()` with respect to it by central differences;
/// every parameter is left as it was.
func numericGradients(of parameters: [Parameter], loss: () -> Double) -> [[Float]] {
    parameters.map { parameter in
        let original = parameter.value
        defer { parameter.value = original }
        return centralDifferences(at: original) { values in
            parameter.value = values
            return loss()
        }
    }
}

/// For each of `layer`'s parameters, the gradient of `Σ upstream ⊙ layer.forward(input)` with
/// respect to it by central differences; every parameter is left as it was.
func numericParameterGradients(of layer: some Layer, input: Matrix, upstream: Matrix) -> [[Float]] {
    numericGradients(of: layer.parameters) { weightedSum(layer.forward(input, isTraining: true), upstream) }
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

/// A trainer for `network` stopped as Ctrl-C stops a run: during the second batch of epoch
/// `epochs + 1`, so that the epoch is rolled back to the end of epoch `epochs`.
func trainerStopped(
    afterEpochs epochs: Int, network: Network, settings: TrainingConfiguration,
    on data: some BatchSource, testSet: (any BatchSource)? = nil
) -> Trainer {
    let trainer = Trainer(network: network, configuration: settings)
    let batchesPerEpoch = (data.sampleCount + settings.batchSize - 1) / settings.batchSize
    var batches = 0
    #expect(throws: TrainingError.cancelled(epoch: epochs + 1, batch: 2)) {
        try trainer.train(on: data, testSet: testSet, shouldStop: {
            batches += 1
            return batches > epochs * batchesPerEpoch + 1
        })
    }
    return trainer
}

/// What `digits train` saves when a run stops after `epochsCompleted` epochs (the network, the
/// settings, and `trainer`'s optimiser state and history), written to a temporary file and read
/// back. Returns the checkpoint read, the state that went in, and a trainer set to continue
/// the run from the checkpoint, as `digits train --resume` does.
func saveAndResume(
    network: Network, trainer: Trainer, settings: TrainingConfiguration, epochsCompleted: Int, sampleCount: Int
) throws -> (saved: Checkpoint, state: ResumeState, trainer: Trainer) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let state = ResumeState(optimizerState: trainer.optimizer.state, history: trainer.history,
                            trainingSamples: sampleCount)
    let record = TrainingRecord(configuration: settings, epochsCompleted: epochsCompleted, testAccuracy: nil)
    try Checkpoint(network: network, training: record, resumeState: state).write(to: url)

    let saved = try Checkpoint.read(from: url)
    let resumed = Trainer(network: saved.network, configuration: settings)
    guard let restored = saved.resumeState else { return (saved, state, resumed) }
    try resumed.resume(after: restored.history, optimizerState: restored.optimizerState, sampleCount: sampleCount)
    return (saved, state, resumed)
}
