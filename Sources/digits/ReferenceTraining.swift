// `digits train --engine reference`: the run trained by ReferenceNet's Trainer, epoch by
// epoch, and handed back as a NeuralNet network so the checkpoint is written as always.

import DigitData
import Foundation
import NeuralNet
import ReferenceNet

enum ReferenceTraining {
    /// Why `--engine reference` cannot run `configuration` (one line), or nil when it can.
    static func unsupported(_ configuration: TrainingConfiguration, resuming: Bool) -> String? {
        if resuming { return "--engine reference cannot --resume: only the fast engine saves an interrupted run" }
        if configuration.augmented == true {
            return "--engine reference cannot --augment: the augmenter feeds the fast engine's batches; train without it"
        }
        return nil
    }

    /// Trains a reference network built from `configuration` (the same layers and initial
    /// weights as `network`, from the same seed), reporting each epoch to `progress`, then
    /// copies the trained weights into `network` and returns the history.
    ///
    /// The reference trainer reports epochs, not batches, so a terminal shows no bar between
    /// the epoch lines; Ctrl-C ends the run without a checkpoint.
    static func train(_ network: NeuralNet.Network, configuration: TrainingConfiguration, on trainingSet: Dataset,
                      testSet: Dataset, progress: TrainingProgress) throws -> [EpochSummary] {
        let reference = configuration.makeReferenceNetwork(inputCount: network.inputCount, classCount: network.outputCount)
        let trainer = configuration.makeReferenceTrainer(for: reference)
        let samples = trainingSet.referenceSamples, labels = trainingSet.referenceLabels
        var history: [EpochSummary] = []
        progress.epochStarted()
        for _ in 0..<configuration.epochs {
            let start = ContinuousClock.now
            let epoch: ReferenceNet.Trainer.EpochSummary
            do {
                epoch = try trainer.trainEpoch(samples: samples, labels: labels)
            } catch let .diverged(epoch, batch, loss) {
                throw NeuralNet.TrainingError.diverged(epoch: epoch, batch: batch, loss: loss)
            }
            let seconds = Bench.seconds(ContinuousClock.now - start)
            let testAccuracy = EngineNetwork.referenceEvaluation(reference, on: testSet).accuracy
            let summary = try epochSummary(SummaryFields(epoch: epoch.epoch, learningRate: epoch.learningRate,
                                                         trainLoss: epoch.loss, trainAccuracy: epoch.accuracy,
                                                         testAccuracy: testAccuracy, seconds: seconds))
            history.append(summary)
            progress.epochFinished(epoch: summary.epoch, trainLoss: summary.trainLoss, trainAccuracy: summary.trainAccuracy,
                                   testAccuracy: summary.testAccuracy, seconds: summary.seconds)
            progress.epochStarted()
        }
        copyParameters(from: reference, into: network)
        return history
    }

    /// The fields of NeuralNet's `EpochSummary`, which has no public initialiser outside its
    /// module but is `Codable`: the summary is decoded from these (JSON keeps every bit).
    private struct SummaryFields: Encodable {
        var epoch: Int
        var learningRate: Float
        var trainLoss: Double
        var trainAccuracy: Double
        var testAccuracy: Double?
        var seconds: Double
    }

    private static func epochSummary(_ fields: SummaryFields) throws -> EpochSummary {
        try JSONDecoder().decode(EpochSummary.self, from: JSONEncoder().encode(fields))
    }
}
