// Resuming a run of the CNN with dropout: the masks after the resume are those the
// uninterrupted run drew, so the weights end the same, bit for bit.

import Foundation
import Testing
@testable import NeuralNet

@Suite("Resuming training with dropout")
struct DropoutResumeTests {
    /// 40 random 28×28 images in 10 classes: enough for three epochs of three batches.
    static let images: InMemoryBatchSource = {
        let count = 40
        return InMemoryBatchSource(features: randomMatrix(rows: count, columns: 784, seed: 91),
                                   labels: (0..<count).map { $0 % 10 })
    }()

    static let settings = TrainingConfiguration(
        hiddenLayerSizes: [], epochs: 3, batchSize: 16, learningRate: 0.002, optimizer: .adam,
        schedule: .cosine, seed: 7, network: .cnn, dropout: 0.5)

    @Test("Dropout masks depend on the pass: two passes over one input differ, and a layer resumed after one pass repeats the second")
    func masksFollowThePass() {
        let input = Matrix(rows: 3, columns: 20, repeating: 1)
        let layer = Dropout(featureCount: 20, rate: 0.5, seed: 4)
        let first = layer.forward(input, isTraining: true)
        let second = layer.forward(input, isTraining: true)
        #expect(first != second)
        let resumed = Dropout(featureCount: 20, rate: 0.5)
        resumed.resume(seed: 4, afterTrainingPasses: 1)
        #expect(resumed.forward(input, isTraining: true) == second)
        #expect(resumed.trainingPasses == 2)
    }

    @Test("Stopped after any epoch and resumed through a checkpoint file, a CNN with dropout ends with the same weights")
    func resumeWithDropoutIsBitIdentical() throws {
        let settings = Self.settings, data = Self.images
        let uninterrupted = settings.makeNetwork(inputCount: 784, classCount: 10)
        let fullHistory = try Trainer(network: uninterrupted, configuration: settings).train(on: data)

        for stopAfter in 1..<settings.epochs {
            let network = settings.makeNetwork(inputCount: 784, classCount: 10)
            let first = trainerStopped(afterEpochs: stopAfter, network: network, settings: settings, on: data)
            let (saved, state, second) = try saveAndResume(
                network: network, trainer: first, settings: settings, epochsCompleted: stopAfter,
                sampleCount: data.sampleCount)
            #expect(saved.resumeState == state)
            let history = try second.train(on: data)
            let sameWeights = saved.network.parameters.map(\.value) == uninterrupted.parameters.map(\.value)
            #expect(sameWeights, "stopped after epoch \(stopAfter)")
            #expect(history.map(\.trainLoss) == fullHistory.map(\.trainLoss))
        }
    }
}
