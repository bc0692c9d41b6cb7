// Stopping and resuming training: a cancelled epoch leaves the end of the previous one, and a
// run resumed from a checkpoint ends with the weights of an uninterrupted run, bit for bit.

import Foundation
import Testing
@testable import NeuralNet

@Suite("Resuming training")
struct ResumeTests {
    let data = clusters(seed: 4)

    func configuration(_ optimizer: OptimizerChoice) -> TrainingConfiguration {
        TrainingConfiguration(hiddenLayerSizes: [6], epochs: 4, batchSize: 16,
                              learningRate: optimizer == .adam ? 0.01 : 0.05, optimizer: optimizer,
                              schedule: .cosine, seed: 5)
    }

    /// A temporary file, removed when the test ends.
    func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).safetensors")
    }

    // MARK: Cancelling

    @Test("A cancelled epoch leaves the weights and optimiser state of the previous epoch's end")
    func cancelRestoresTheEpochEnd() throws {
        let settings = configuration(.adam)
        let reference = settings.makeNetwork(inputCount: 2, classCount: 3)
        let referenceTrainer = Trainer(network: reference, configuration: settings)
        _ = try referenceTrainer.trainEpoch(1, on: data)

        let network = settings.makeNetwork(inputCount: 2, classCount: 3)
        let trainer = Trainer(network: network, configuration: settings)
        var batches = 0
        let error = #expect(throws: TrainingError.self) {
            try trainer.train(on: data, shouldStop: { batches += 1; return batches > 8 })
        }
        #expect(error == .cancelled(epoch: 2, batch: 3))
        #expect(trainer.history.count == 1)
        #expect(network.parameters.map(\.value) == reference.parameters.map(\.value))
        #expect(trainer.optimizer.state == referenceTrainer.optimizer.state)
    }

    // MARK: Resuming

    @Test("Stopped after any epoch and resumed through a checkpoint file, training ends with the same weights",
          arguments: OptimizerChoice.allCases)
    func resumeIsBitIdentical(optimizer: OptimizerChoice) throws {
        let settings = configuration(optimizer)
        let uninterrupted = settings.makeNetwork(inputCount: 2, classCount: 3)
        let fullHistory = try Trainer(network: uninterrupted, configuration: settings).train(on: data, testSet: data)

        for stopAfter in 1..<settings.epochs {
            let network = settings.makeNetwork(inputCount: 2, classCount: 3)
            let first = trainerStopped(afterEpochs: stopAfter, network: network, settings: settings,
                                       on: data, testSet: data)
            let (saved, state, second) = try saveAndResume(
                network: network, trainer: first, settings: settings, epochsCompleted: stopAfter,
                sampleCount: data.sampleCount)
            #expect(saved.resumeState == state)
            let history = try second.train(on: data, testSet: data)
            #expect(saved.network.parameters.map(\.value) == uninterrupted.parameters.map(\.value),
                    "\(optimizer), stopped after epoch \(stopAfter)")
            #expect(history.map(\.trainLoss) == fullHistory.map(\.trainLoss))
        }
    }

    @Test("An optimiser state that does not fit the network or the optimiser is refused")
    func misfitStateIsRefused() throws {
        let adam = Trainer(network: configuration(.adam).makeNetwork(inputCount: 2, classCount: 3),
                           configuration: configuration(.adam))
        let sizes = adam.network.parameters.map(\.value.count)
        let moments = sizes.map { [Float](repeating: 0, count: $0) }
        let bad: [OptimizerState] = [
            OptimizerState(stepCount: -1),
            OptimizerState(stepCount: 3, firstMoments: moments),
            OptimizerState(stepCount: 3, firstMoments: moments, secondMoments: Array(moments.dropLast())),
            OptimizerState(stepCount: 3, firstMoments: moments.map { $0 + [0] }, secondMoments: moments),
        ]
        for state in bad {
            #expect(throws: TrainingError.self) { try adam.resume(after: [], optimizerState: state, sampleCount: 90) }
        }
        let sgd = Trainer(network: configuration(.sgd).makeNetwork(inputCount: 2, classCount: 3),
                          configuration: configuration(.sgd))
        #expect(throws: TrainingError.self) {
            try sgd.resume(after: [], optimizerState: OptimizerState(stepCount: 1, firstMoments: moments), sampleCount: 90)
        }
        let summary = EpochSummary(epoch: 2, learningRate: 0.1, trainLoss: 1, trainAccuracy: 0.5, testAccuracy: nil, seconds: 1)
        let error = #expect(throws: TrainingError.self) {
            try adam.resume(after: [summary], optimizerState: OptimizerState(), sampleCount: 90)
        }
        #expect(error?.description.hasPrefix("cannot resume training: ") == true)
    }

    // MARK: The state in the file

    @Test("A finished run's checkpoint has no resume state and no optimiser tensors")
    func finishedCheckpointHasNoState() throws {
        let network = configuration(.adam).makeNetwork(inputCount: 2, classCount: 3)
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint(network: network).write(to: url)
        #expect(try Checkpoint.read(from: url).resumeState == nil)
        #expect(try Checkpoint(network: network).metadata[ResumeState.metadataKey] == nil)
    }

    @Test("Doctored optimiser tensors and resume metadata are refused with a reason")
    func doctoredState() throws {
        let settings = configuration(.adam)
        let network = settings.makeNetwork(inputCount: 2, classCount: 3)
        let trainer = Trainer(network: network, configuration: settings)
        let history = [try trainer.trainEpoch(1, on: data)]
        let state = ResumeState(optimizerState: trainer.optimizer.state, history: history, trainingSamples: 90)
        let checkpoint = Checkpoint(network: network, resumeState: state)
        let parameters = network.parameters

        func reason(tensors: [StoredTensor], metadata: [String: String]) throws -> CheckpointError.Reason? {
            let url = temporaryURL()
            defer { try? FileManager.default.removeItem(at: url) }
            try SafeTensors.encode(tensors, metadata: metadata).write(to: url)
            let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
            return error?.reason
        }
        let weights = checkpoint.tensors
        let moments = state.tensors(for: parameters)
        let metadata = try checkpoint.metadata

        var wrongShape = moments
        wrongShape[0].shape = [wrongShape[0].values.count]
        #expect(try reason(tensors: weights + wrongShape, metadata: metadata) == .shapeMismatch)
        #expect(try reason(tensors: weights + moments.dropLast(), metadata: metadata) == .missingTensor)
        let stray = StoredTensor(name: "optimizer.first_moment.99", shape: [1], values: [0])
        #expect(try reason(tensors: weights + moments + [stray], metadata: metadata) == .unexpectedTensor)
        var noEntry = metadata
        noEntry[ResumeState.metadataKey] = nil
        #expect(try reason(tensors: weights + moments, metadata: noEntry) == .unexpectedTensor)
        for doctored in [
            "{", #"{"step_count":-1,"training_samples":90,"history":[]}"#,
            #"{"step_count":6,"training_samples":0,"history":[]}"#,
            #"{"step_count":6,"training_samples":90,"history":[{"epoch":3,"learning_rate":0.1,"train_loss":1,"train_accuracy":0.5,"seconds":1}]}"#,
            #"{"step_count":6,"training_samples":90,"history":[{"epoch":1,"learning_rate":0.1,"train_loss":1e300,"train_accuracy":0.5,"seconds":1}]}"#,
            #"{"step_count":6,"training_samples":90,"history":[{"epoch":1,"learning_rate":0.1,"train_loss":1,"train_accuracy":7,"seconds":1}]}"#,
        ] {
            var changed = metadata
            changed[ResumeState.metadataKey] = doctored
            #expect(try reason(tensors: weights + moments, metadata: changed) == .invalidMetadata, "\(doctored)")
        }
    }
}
