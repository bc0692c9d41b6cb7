// Stopping and resuming `digits train`: the checkpoint saved when Ctrl-C or SIGTERM stops a
// run, and `digits train --resume`, which finishes the run with the weights it would have had.

import ArgumentParser
import Foundation
import NeuralNet

extension TrainingRun {
    /// Saves the last finished epoch of an interrupted run with what resuming needs (the
    /// optimiser's state, the epochs' history, the number of training images) and says how to
    /// resume. Before the first epoch has finished there is nothing to save, and the previous
    /// model is left as it is.
    static func saveInterrupted(_ trainer: Trainer, trainingSamples: Int, modelPath: String, resumeCommand: String) throws {
        let epochs = trainer.configuration.epochs
        guard let last = trainer.history.last else {
            standardError("interrupted during epoch 1 of \(epochs): no epoch finished, nothing saved")
            return
        }
        let record = TrainingRecord(configuration: trainer.configuration, epochsCompleted: trainer.history.count,
                                    testAccuracy: last.testAccuracy)
        let state = ResumeState(optimizerState: trainer.optimizer.state, history: trainer.history,
                                trainingSamples: trainingSamples)
        try ModelFile.save(Checkpoint(network: trainer.network, training: record, resumeState: state), to: modelPath)
        standardError("interrupted: saved epoch \(trainer.history.count) of \(epochs) to \(modelPath); "
                      + "resume with: \(resumeCommand)")
    }
}

extension Train {
    /// `digits train --resume`: the settings, weights, optimiser state and history come from
    /// the checkpoint; the same number of training images is loaded (the first N, as `--limit`
    /// takes them) and training goes on from the epoch after the last one saved.
    func runResumed() throws {
        let saved = try ModelFile.load(common.model)
        guard let record = saved.training, let state = saved.resumeState else {
            throw RuntimeError("\(common.model) holds a finished run, not an interrupted one: there is nothing to resume "
                               + "(train afresh without --resume)")
        }
        let configuration = record.configuration
        if let problem = Self.problem(with: configuration) {
            throw RuntimeError("\(common.model): the saved training settings are invalid: \(problem)")
        }
        guard state.history.count < configuration.epochs else {
            throw RuntimeError("\(common.model) already has all \(configuration.epochs) epochs: nothing to resume")
        }
        let defaults = try TrainingOptions.parse([]).configuration()
        let given = try training.configuration()
        guard given == defaults || given == configuration else {
            throw RuntimeError("--resume continues with the settings saved in \(common.model); "
                               + "leave out the other training options, or train afresh without --resume")
        }
        let mnist = try MNISTLoading.load(.training, from: common.data, limit: training.limit ?? Self.limitOfMNIST(state, configuration))
        let data = try TrainingData(mnist: mnist, configuration: configuration)
        let trainingSet = data.training
        guard trainingSet.count == state.trainingSamples else {
            throw RuntimeError("the interrupted run trained on \(state.trainingSamples) images, this one would train on "
                               + "\(trainingSet.count): resume with the same --data and --limit")
        }
        let testSet = try MNISTLoading.load(.test, from: common.data)
        let run = try TrainingRun.train(configuration, on: data, testSet: testSet, modelPath: common.model,
                                        outputFolder: common.output, resuming: saved,
                                        resumeCommand: ResumeCommand.text(common))
        print("saved \(common.model) (\(run.checkpoint.network.shapeDescription), test accuracy "
              + "\(percent(run.testAccuracy))) and \(run.chartPath)")
    }

    /// How many MNIST images the interrupted run loaded, as far as the checkpoint tells: all its
    /// training samples when it used no extras and held none out; otherwise nil (all of
    /// MNIST, or `--limit` when given), and the count is checked once the data is assembled.
    static func limitOfMNIST(_ state: ResumeState, _ configuration: TrainingConfiguration) -> Int? {
        configuration.extraSamples == nil && (configuration.heldOut ?? 0) == 0 ? state.trainingSamples : nil
    }

    /// What is wrong with settings read from a file, which the options' own checks never saw.
    static func problem(with configuration: TrainingConfiguration) -> String? {
        if configuration.epochs < 1 { return "epochs \(configuration.epochs)" }
        if !(1...TrainingOptions.maximumBatchSize).contains(configuration.batchSize) {
            return "batch size \(configuration.batchSize)"
        }
        if !(configuration.learningRate > 0 && configuration.learningRate.isFinite) {
            return "learning rate \(configuration.learningRate)"
        }
        return nil
    }
}

/// The command that resumes a run: `digits train --resume`, with `--data`, `--model` and
/// `--output` when they are not the defaults (the training settings are in the checkpoint).
enum ResumeCommand {
    static func text(_ common: CommonOptions) -> String {
        let defaults = try? CommonOptions.parse([])
        var words = ["digits", "train", "--resume"]
        if common.data != defaults?.data { words += ["--data", shellQuoted(common.data)] }
        if common.model != defaults?.model { words += ["--model", shellQuoted(common.model)] }
        if common.output != defaults?.output { words += ["--output", shellQuoted(common.output)] }
        return words.joined(separator: " ")
    }

    /// `word` as one shell word: as it is when it is plain, else in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:,=@")
        if !word.isEmpty, word.unicodeScalars.allSatisfy(plain.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Writes one line to standard error.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
