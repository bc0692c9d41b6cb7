// `digits` with no subcommand: the whole pipeline on the bundled data, from training to a
// summary of what was written.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet

struct MainJob: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train (or reuse) the model, evaluate it, draw the pictures and classify samples/ (the default)."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Folder of PNG digits to classify, the true digit first in each name.", valueName: "dir"))
    var samples = "samples"

    @Flag(help: "Train afresh even if a saved model exists.")
    var retrain = false

    func run() throws {
        try OutputFolder.create(common.output)
        let testSet = try MNISTLoading.load(.test, from: common.data)
        var pictures: [String] = []
        let network: Network
        if !retrain, FileManager.default.fileExists(atPath: common.model) {
            let saved = try ModelFile.load(common.model)
            network = saved.network
            print("using the saved model \(common.model) (\(network.shapeDescription)); --retrain trains it afresh")
            if let state = saved.resumeState, let record = saved.training {
                print("it is an interrupted run, \(state.history.count) of \(record.configuration.epochs) epochs; "
                      + "\(ResumeCommand.text(common)) finishes it")
            }
        } else {
            let trainingSet = try MNISTLoading.load(.training, from: common.data)
            let configuration = try TrainingOptions.parse([]).configuration()
            let run = try TrainingRun.train(configuration, on: try TrainingData(mnist: trainingSet, configuration: configuration),
                                            testSet: testSet,
                                            modelPath: common.model, outputFolder: common.output,
                                            resumeCommand: ResumeCommand.text(common))
            network = run.checkpoint.network
            pictures.append(run.chartPath)
        }

        let evaluation = try network.evaluate(on: testSet)
        print("test accuracy: \(percent(evaluation.accuracy)) (\(evaluation.correctCount) of \(evaluation.sampleCount))")

        let folder = common.output as NSString
        let confusionPath = folder.appendingPathComponent("confusion.png")
        try Pictures.confusionChart(evaluation, model: network.shapeDescription).writePNG(to: confusionPath)
        let weightsPath = folder.appendingPathComponent("weights.png")
        try Pictures.weightGrid(of: network).writePNG(to: weightsPath)
        let sheetPath = try Sheet.write(network: network, testSet: testSet, count: 100, columns: 10,
                                        errorsOnly: false, random: nil, outputFolder: common.output)
        pictures += [sheetPath, weightsPath, confusionPath]

        let classifier = try DigitClassifier(model: ModelFile.builtInName)
        let samplesLine = try classifySamples(with: classifier)
        print("")
        print("summary")
        print("  trained:    \(common.model) (\(network.shapeDescription)), test accuracy \(percent(evaluation.accuracy)); "
              + "the pictures show it")
        print("  samples:    \(samplesLine), read by the built-in model \(classifier.name.dropFirst("built-in ".count))")
        print("  pictures:   \(pictures.joined(separator: ", "))")
        print("  next:       digits train --hidden 512,256 --optimizer momentum --learning-rate 0.05 --weight-decay 0.0001")
        print("              for the strong MLP (98.6%); digits train --arch cnn --augment for the convolutional")
        print("              network (99.5%; see the README); digits --help for more")
    }

    /// Classifies every picture in the samples folder, printing each verdict; returns a one-line
    /// tally. A sample whose name starts with `x` is no digit, and right when called so.
    private func classifySamples(with classifier: DigitClassifier) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: samples, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "no \(samples) folder"
        }
        let files = try Classify.expand([samples])
        print("classifying \(files.count) pictures in \(samples)/ with the built-in model")
        var right = 0, failed = 0
        for file in files {
            let name = (file as NSString).lastPathComponent
            do {
                let reading = DigitReading(try PictureInk(file: file), classifier: classifier)
                let truth = name.first?.wholeNumberValue
                let isRight = truth == reading.digit && (truth != nil || name.first == "x")
                let verdict = isRight ? "  right" : truth.map { "  wrong (it is a \($0))" } ?? "  wrong (it is no digit)"
                if isRight { right += 1 }
                print("  \(name): \(reading.verdict(top: 1))\(verdict)")
            } catch {
                failed += 1
                print("  \(name): error: \(Digits.message(for: error))")
            }
        }
        return "\(right) of \(files.count) right in \(samples)/" + (failed > 0 ? ", \(failed) unreadable" : "")
    }
}
