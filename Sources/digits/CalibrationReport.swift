// Fitting a trained network's confidence on held-out samples, and saying how well its
// probabilities match how often it is right.

import DigitData
import NeuralNet

enum CalibrationReport {
    /// Fits the temperature and the refusal threshold on `heldOut` and prints what they are
    /// and the calibration error before and after.
    static func fit(_ network: Network, on heldOut: Dataset, rejectClass: Int?) -> Calibration {
        let classCount = network.outputCount
        guard let (logits, labels) = try? network.logits(on: heldOut) else { return Calibration(rejectClass: rejectClass) }
        let calibration = Calibration.fitted(logits: logits, labels: labels, classCount: classCount, rejectClass: rejectClass)
        let before = expectedCalibrationError(Calibration(rejectClass: rejectClass), logits: logits, labels: labels,
                                              classCount: classCount)
        let after = expectedCalibrationError(calibration, logits: logits, labels: labels, classCount: classCount)
        print("calibrated on \(labels.count) held-out samples: \(describe(calibration)); expected calibration error "
              + "\(percent(before)) → \(percent(after))")
        return calibration
    }

    /// The fitted numbers in words: `temperature 1.304, refusal below 40%, "not a digit" when
    /// that class leads by e^2.25`.
    static func describe(_ calibration: Calibration) -> String {
        var words = "temperature \(String(format: "%.3f", calibration.temperature)), "
            + "refusal below \(percent(Double(calibration.threshold), digits: 0))"
        if calibration.rejectClass != nil {
            words += ", \"not a digit\" when that class leads by e^\(String(format: "%.2f", calibration.rejectMargin))"
        }
        return words
    }

    /// The expected calibration error of `calibration`'s probabilities: each sample's
    /// confidence is the probability of its most probable class (the reject class included),
    /// right when that class is its label.
    static func expectedCalibrationError(_ calibration: Calibration, logits: [Float], labels: [Int], classCount: Int) -> Double {
        var confidences: [Float] = [], correct: [Bool] = []
        for (row, label) in labels.enumerated() {
            let probabilities = calibration.probabilities(forLogits: logits[row * classCount ..< (row + 1) * classCount])
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
            confidences.append(probabilities[best])
            correct.append(best == label)
        }
        return Calibration.expectedCalibrationError(confidences: confidences, correct: correct)
    }
}
