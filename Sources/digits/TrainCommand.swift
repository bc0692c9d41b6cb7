// `digits train`: load MNIST, train a network with live progress, save the checkpoint and
// the training chart.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet

struct Train: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network on the MNIST training images and save it.",
        discussion: """
            Examples:
              digits train                      the original 784-10-10 network
              digits train --hidden 256,128     a two-hidden-layer MLP
              digits train --arch cnn --augment --epochs 10 --batch-size 128 \\
                  --learning-rate 0.002         the LeNet-style CNN (99.53% in the README)
              digits train --hidden 256,128 --augment
                                                the MLP on shifted, rotated, scaled, distorted images
              digits train --init uniform --optimizer sgd --learning-rate 0.1 \\
                  --schedule constant           close to the original recipe
              digits train --resume             finish a run stopped by Ctrl-C, with its settings
              digits train --engine reference --limit 2000 --epochs 2
                                                train with ReferenceNet, the engine written to be read
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var training: TrainingOptions
    @OptionGroup var engine: EngineOption

    @Flag(help: "Continue the run that Ctrl-C stopped, saved in --model, with the settings it was started with.")
    var resume = false

    func run() throws {
        let configuration = try training.configuration()
        if engine.engine == .reference, let reason = ReferenceTraining.unsupported(configuration, resuming: resume) {
            throw RuntimeError(reason)
        }
        if resume { return try runResumed() }
        let (mnist, testSet) = try MNISTLoading.loadTrainingAndTest(from: common.data, limit: training.limit)
        let run = try TrainingRun.train(configuration, on: try TrainingData(mnist: mnist, configuration: configuration),
                                        testSet: testSet,
                                        modelPath: common.model, outputFolder: common.output,
                                        resumeCommand: ResumeCommand.text(common), engine: engine.engine)
        print("saved \(common.model) (\(run.checkpoint.network.shapeDescription), test accuracy "
              + "\(percent(run.testAccuracy))) and \(run.chartPath)")
    }
}

/// One training run from start to saved checkpoint; shared by `train` and the main job.
struct TrainingRun {
    let checkpoint: Checkpoint
    let history: [EpochSummary]
    let chartPath: String

    var testAccuracy: Double { history.last?.testAccuracy ?? 0 }

    static func train(
        _ configuration: TrainingConfiguration, on data: TrainingData, testSet: Dataset,
        modelPath: String, outputFolder: String, resuming saved: Checkpoint? = nil,
        resumeCommand: String = "digits train --resume", engine: Engine = .fast
    ) throws -> TrainingRun {
        try OutputFolder.create(for: modelPath)
        try OutputFolder.create(outputFolder)
        let trainingSet = data.training
        let network = saved?.network ?? configuration.makeNetwork(inputCount: trainingSet.featureCount,
                                                                  classCount: data.classCount)
        print("training \(network.shapeDescription)\(configuration.augmented == true ? " on augmented images" : "") with \(configuration.optimizer) (learning rate "
              + "\(configuration.learningRate), batch \(configuration.batchSize)) for \(configuration.epochs) epochs "
              + "on \(trainingSet.count) images")
        let progress = TrainingProgress(totalEpochs: configuration.epochs, samplesPerEpoch: trainingSet.count,
                                        batchSize: configuration.batchSize)
        let history: [EpochSummary]
        if engine == .reference {
            precondition(saved == nil && ReferenceTraining.unsupported(configuration, resuming: false) == nil,
                         "the reference engine cannot run this configuration")
            history = try ReferenceTraining.train(network, configuration: configuration, on: trainingSet,
                                                  testSet: testSet, progress: progress)
        } else {
            history = try trainFast(network, configuration, on: trainingSet, testSet: testSet, progress: progress,
                                    modelPath: modelPath, resuming: saved, resumeCommand: resumeCommand)
        }
        return try finish(network, configuration, history: history, data: data, modelPath: modelPath,
                          outputFolder: outputFolder)
    }

    /// The fast engine's training loop, with its live bar and Ctrl-C saving a resumable run.
    private static func trainFast(
        _ network: Network, _ configuration: TrainingConfiguration, on trainingSet: Dataset, testSet: Dataset,
        progress: TrainingProgress, modelPath: String, resuming saved: Checkpoint?, resumeCommand: String
    ) throws -> [EpochSummary] {
        let trainer = Trainer(network: network, configuration: configuration)
        if let state = saved?.resumeState {
            try trainer.resume(after: state.history, optimizerState: state.optimizerState, sampleCount: trainingSet.count)
            print("resuming after epoch \(state.history.count) of \(configuration.epochs) from \(modelPath)")
        }
        progress.epochStarted()
        let interruption = Interruption()
        defer { interruption.uninstall() }
        interruption.pauseForTests(after: trainer.history.count)
        let report: (TrainingEvent) -> Void = { event in
            switch event {
            case let .batchFinished(batch):
                progress.batchFinished(epoch: batch.epoch, batch: batch.batch, samplesDone: batch.samplesDone,
                                       loss: Double(batch.loss), accuracy: Double(batch.accuracy))
            case let .epochFinished(summary):
                progress.epochFinished(epoch: summary.epoch, trainLoss: summary.trainLoss,
                                       trainAccuracy: summary.trainAccuracy, testAccuracy: summary.testAccuracy,
                                       seconds: summary.seconds)
                interruption.pauseForTests(after: summary.epoch)
                progress.epochStarted()
            }
        }
        let shouldStop = { interruption.isRequested }
        let history: [EpochSummary]
        do {
            if configuration.augmented == true {
                let augmented = AugmentedBatchSource(trainingSet, seed: configuration.seed, epochsDone: trainer.history.count)
                history = try trainer.train(on: augmented, testSet: testSet, shouldStop: shouldStop, progress: report)
            } else {
                history = try trainer.train(on: trainingSet, testSet: testSet, shouldStop: shouldStop, progress: report)
            }
        } catch TrainingError.cancelled {
            progress.clearBar()
            try saveInterrupted(trainer, trainingSamples: trainingSet.count, modelPath: modelPath, resumeCommand: resumeCommand)
            throw ExitCode(130)
        }
        return history
    }

    /// Calibrates `network` on the held-out samples, saves the checkpoint and draws the chart.
    private static func finish(
        _ network: Network, _ configuration: TrainingConfiguration, history: [EpochSummary], data: TrainingData,
        modelPath: String, outputFolder: String
    ) throws -> TrainingRun {
        let record = TrainingRecord(configuration: configuration, epochsCompleted: history.count,
                                    testAccuracy: history.last?.testAccuracy)
        let calibration = data.heldOut.map { heldOut in
            CalibrationReport.fit(network, on: heldOut, rejectClass: data.classCount > 10 ? 10 : nil)
        }
        let checkpoint = Checkpoint(network: network, training: record, calibration: calibration)
        try ModelFile.save(checkpoint, to: modelPath)
        let chartPath = (outputFolder as NSString).appendingPathComponent("training.png")
        try Pictures.trainingChart(history: history, title: network.shapeDescription).writePNG(to: chartPath)
        return TrainingRun(checkpoint: checkpoint, history: history, chartPath: chartPath)
    }
}

/// `98.21%`.
func percent(_ fraction: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f%%", 100 * fraction)
}
