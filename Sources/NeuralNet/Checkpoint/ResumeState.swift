// What a checkpoint of an interrupted run adds so that training can continue exactly where it
// stopped: the optimiser's memory as tensors and the finished epochs as metadata.

import Foundation

/// The state of a training run between two epochs, beyond the network's weights: enough for
/// `Trainer.resume` to finish the run with the weights an uninterrupted run would have.
///
/// In the safetensors file it is stored beside the network's tensors:
/// - tensors `optimizer.first_moment.N` and `optimizer.second_moment.N` (F32, each the shape
///   of parameter N, N counting `Network.parameters` in order: `layers.0.weight`,
///   `layers.0.bias`, `layers.1.weight`, …), present only when the optimiser keeps them
///   (SGD with momentum: the velocity as the first moment; Adam: both);
/// - `__metadata__["resume"]`, JSON with snake_case keys:
///   `{"step_count":94,"training_samples":300,"history":[{"epoch":1,"learning_rate":0.003,…}]}`.
public struct ResumeState: Equatable, Sendable {
    /// The optimiser's step count and moment buffers at the end of the last finished epoch.
    public var optimizerState: OptimizerState
    /// One summary a finished epoch, epoch 1 first.
    public var history: [EpochSummary]
    /// The number of training samples the run trained on; a resumed run must use the same.
    public var trainingSamples: Int

    public init(optimizerState: OptimizerState, history: [EpochSummary], trainingSamples: Int) {
        self.optimizerState = optimizerState
        self.history = history
        self.trainingSamples = trainingSamples
    }

    /// The prefix of the optimiser's tensor names.
    static let tensorPrefix = "optimizer."
    /// The metadata key.
    static let metadataKey = "resume"

    /// The metadata part: what is not a tensor.
    private struct Summary: Codable {
        var stepCount: Int
        var trainingSamples: Int
        var history: [EpochSummary]
    }

    /// The moment buffers as tensors, named and shaped after `parameters`.
    func tensors(for parameters: [Parameter]) -> [StoredTensor] {
        func named(_ kind: String, _ moments: [[Float]]) -> [StoredTensor] {
            zip(parameters, moments).enumerated().map { index, pair in
                StoredTensor(name: "\(Self.tensorPrefix)\(kind).\(index)", shape: pair.0.shape,
                             values: pair.0.shapeOrder(of: pair.1))
            }
        }
        return named("first_moment", optimizerState.firstMoments) + named("second_moment", optimizerState.secondMoments)
    }

    /// The metadata value, JSON.
    func metadataValue() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let summary = Summary(stepCount: optimizerState.stepCount, trainingSamples: trainingSamples, history: history)
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    /// Whether a summary read from a file is epoch `epoch` with numbers a run could produce, so
    /// that charts and messages drawn from it need no further checks (a loss above 10⁶ is not
    /// one: cross-entropy over ten classes starts near ln 10 ≈ 2.3).
    private static func isPlausible(_ summary: EpochSummary, epoch: Int) -> Bool {
        let unit = 0.0...1.0
        return summary.epoch == epoch
            && summary.learningRate.isFinite && summary.learningRate >= 0
            && (0...1e6).contains(summary.trainLoss)
            && unit.contains(summary.trainAccuracy)
            && (summary.testAccuracy.map(unit.contains) ?? true)
            && summary.seconds.isFinite && summary.seconds >= 0
    }

    /// The state stored in a checkpoint, or nil when it has none (a finished run's checkpoint).
    ///
    /// `tensors` are the file's `optimizer.` tensors; each must be named for a parameter and
    /// have its shape, and each kind of moment must be there for every parameter or for none.
    static func read(metadata: [String: String], tensors: [String: StoredTensor], parameters: [Parameter],
                     path: String) throws(CheckpointError) -> ResumeState? {
        func failure(_ reason: CheckpointError.Reason, _ detail: String) -> CheckpointError {
            CheckpointError(path: path, reason: reason, detail: detail)
        }
        guard let json = metadata[metadataKey] else {
            if let name = tensors.keys.sorted().first {
                throw failure(.unexpectedTensor, "tensor \(name) is optimiser state, but the metadata has no \"\(metadataKey)\" entry")
            }
            return nil
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let summary = try? decoder.decode(Summary.self, from: Data(json.utf8)),
              summary.stepCount >= 0, summary.trainingSamples > 0,
              summary.history.enumerated().allSatisfy({ isPlausible($0.element, epoch: $0.offset + 1) }) else {
            throw failure(.invalidMetadata, "metadata \"\(metadataKey)\" is not a valid resume state")
        }

        var remaining = tensors
        func moments(_ kind: String) throws(CheckpointError) -> [[Float]] {
            let names = parameters.indices.map { "\(tensorPrefix)\(kind).\($0)" }
            let present = names.filter { remaining[$0] != nil }
            guard !present.isEmpty else { return [] }
            guard present.count == names.count else {
                let missing = names.first { remaining[$0] == nil } ?? kind
                throw failure(.missingTensor, "tensor \(missing) is missing")
            }
            var values: [[Float]] = []
            for (name, parameter) in zip(names, parameters) {
                guard let tensor = remaining.removeValue(forKey: name) else { continue }
                guard tensor.shape == parameter.shape else {
                    throw failure(.shapeMismatch, "tensor \(name) has shape \(tensor.shape) but its parameter has \(parameter.shape)")
                }
                values.append(parameter.layoutOrder(of: tensor.values))
            }
            return values
        }
        let first = try moments("first_moment")
        let second = try moments("second_moment")
        if let extra = remaining.keys.sorted().first {
            throw failure(.unexpectedTensor, "tensor \(extra) does not belong to any parameter")
        }
        return ResumeState(
            optimizerState: OptimizerState(stepCount: summary.stepCount, firstMoments: first, secondMoments: second),
            history: summary.history, trainingSamples: summary.trainingSamples)
    }
}
