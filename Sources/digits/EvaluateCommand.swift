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

    @Option(help: ArgumentHelp("Evaluate on the first N test images only (default: all).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(common.model)
        let testSet = try MNISTLoading.load(.test, from: common.data, limit: limit)
        let evaluation = try checkpoint.network.evaluate(on: testSet)
        print(Report.evaluation(evaluation, model: checkpoint.network.shapeDescription))
        try OutputFolder.create(common.output)
        let path = (common.output as NSString).appendingPathComponent("confusion.png")
        try Pictures.confusionChart(evaluation, model: checkpoint.network.shapeDescription).writePNG(to: path)
        print("wrote \(path)")
    }
}

/// Text reports for the terminal.
enum Report {
    /// Accuracy, a per-digit table and the confusion matrix as text.
    static func evaluation(_ evaluation: Evaluation, model: String) -> String {
        var lines = ["\(model): \(evaluation.correctCount) of \(evaluation.sampleCount) test images correct, "
                     + "accuracy \(percent(evaluation.accuracy))",
                     "",
                     "digit  precision  recall  images"]
        for digit in 0..<evaluation.classCount {
            let images = evaluation.confusionMatrix[digit].reduce(0, +)
            lines.append(String(format: "%5d  %8.2f%%  %5.2f%%  %6d", digit,
                                100 * evaluation.precision(of: digit), 100 * evaluation.recall(of: digit), images))
        }
        lines += ["", "confusion matrix (rows: true digit, columns: predicted)",
                  "      " + (0..<evaluation.classCount).map { String(format: "%5d", $0) }.joined()]
        for (digit, row) in evaluation.confusionMatrix.enumerated() {
            lines.append(String(format: "%5d ", digit) + row.map { String(format: "%5d", $0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
