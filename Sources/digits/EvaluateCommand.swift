// `digits evaluate`: accuracy, per-digit precision and recall, and the confusion matrix.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet

struct Evaluate: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the model on the 10,000 test images and draw the confusion matrix."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var engine: EngineOption

    @Option(help: ArgumentHelp("Evaluate on the first N test images only (default: all).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(common.model)
        let testSet = try MNISTLoading.load(.test, from: common.data, limit: limit)
        let network = EngineNetwork(checkpoint.network, engine: engine.engine)
        let evaluation = try network.evaluate(on: testSet)
        print(Report.evaluation(evaluation, model: checkpoint.network.shapeDescription))
        print("")
        print(try Report.confidence(of: checkpoint, on: testSet, engine: engine.engine))
        try OutputFolder.create(common.output)
        let path = (common.output as NSString).appendingPathComponent("confusion.png")
        try Pictures.confusionChart(evaluation, model: checkpoint.network.shapeDescription).writePNG(to: path)
        print("wrote \(path)")
    }
}

/// Text reports for the terminal.
enum Report {
    /// How the model's confidence holds up on `testSet`: the expected calibration error and how
    /// many test digits it refuses to name, and what that costs in accuracy.
    static func confidence(of checkpoint: Checkpoint, on testSet: Dataset, engine: Engine = .fast) throws -> String {
        let network = checkpoint.network
        let rejectClass = network.outputCount > 10 ? 10 : nil
        let calibration = checkpoint.calibration ?? Calibration(rejectClass: rejectClass)
        let (logits, labels) = try EngineNetwork(network, engine: engine).logits(on: testSet)
        let classCount = network.outputCount
        var refused = 0, rightRefused = 0, right = 0
        for (row, label) in labels.enumerated() {
            let probabilities = calibration.probabilities(forLogits: logits[row * classCount ..< (row + 1) * classCount])
            let decision = calibration.decision(for: probabilities)
            if decision.answer == label { right += 1 }
            if decision.answer == nil {
                refused += 1
                if decision.guess == label { rightRefused += 1 }
            }
        }
        let error = CalibrationReport.expectedCalibrationError(calibration, logits: logits, labels: labels,
                                                               classCount: classCount)
        let fitted = checkpoint.calibration.map(CalibrationReport.describe) ?? "not calibrated"
        return [
            "confidence (\(fitted)): expected calibration error \(percent(error)) (15 bins)",
            "called \"not a digit\": \(refused) of \(labels.count) test images (\(rightRefused) of them the best guess was right); "
                + "accuracy counting those as wrong \(percent(Double(right) / Double(max(labels.count, 1))))",
        ].joined(separator: "\n")
    }

    /// A class's name in the tables: the digit, or `x` for an eleventh class, "not a digit".
    private static func className(_ index: Int) -> String { index < 10 ? String(index) : "x" }

    /// `text` right-aligned in five columns.
    private static func padded(_ text: String) -> String { String(repeating: " ", count: max(0, 5 - text.count)) + text }

    /// Accuracy, a per-digit table and the confusion matrix as text.
    static func evaluation(_ evaluation: Evaluation, model: String) -> String {
        var lines = ["\(model): \(evaluation.correctCount) of \(evaluation.sampleCount) test images correct, "
                     + "accuracy \(percent(evaluation.accuracy))",
                     "",
                     "digit  precision  recall  images"]
        for digit in 0..<evaluation.classCount {
            let images = evaluation.confusionMatrix[digit].reduce(0, +)
            lines.append(padded(className(digit)) + String(format: "  %8.2f%%  %5.2f%%  %6d",
                                100 * evaluation.precision(of: digit), 100 * evaluation.recall(of: digit), images))
        }
        lines += ["", "confusion matrix (rows: true digit, columns: predicted)",
                  "      " + (0..<evaluation.classCount).map { padded(className($0)) }.joined()]
        for (digit, row) in evaluation.confusionMatrix.enumerated() {
            lines.append(padded(className(digit)) + " " + row.map { String(format: "%5d", $0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
