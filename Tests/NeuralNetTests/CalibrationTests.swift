// Calibration: the temperature fit, the expected calibration error, the refusal rule, and the
// calibration's round trip through a checkpoint.

import Foundation
import Testing
@testable import NeuralNet

@Suite("Calibration")
struct CalibrationTests {
    /// Logits of 4 classes and labels drawn from `softmax(logits / trueTemperature)`.
    func samples(count: Int, trueTemperature: Float, seed: UInt64) -> (logits: [Float], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var logits: [Float] = [], labels: [Int] = []
        for _ in 0..<count {
            let row = (0..<4).map { _ in generator.nextUniform(from: -6, to: 6) }
            let probabilities = Calibration.softmax(row, temperature: trueTemperature)
            var draw = generator.nextUniform(from: 0, to: 1)
            var label = 3
            for (index, probability) in probabilities.enumerated() {
                if draw < probability { label = index; break }
                draw -= probability
            }
            logits += row
            labels.append(label)
        }
        return (logits, labels)
    }

    @Test(arguments: [Float(0.5), 1, 2.5])
    func fittedTemperatureRecoversTheOneTheLabelsWereDrawnWith(trueTemperature: Float) {
        let (logits, labels) = samples(count: 20_000, trueTemperature: trueTemperature, seed: 3)
        let fitted = Calibration.fittedTemperature(logits: logits, labels: labels, classCount: 4)
        #expect(abs(fitted / trueTemperature - 1) < 0.06, "fitted \(fitted), true \(trueTemperature)")
        let atFitted = Calibration.negativeLogLikelihood(logits: logits, labels: labels, classCount: 4, temperature: fitted)
        for other in [fitted * 0.8, fitted * 1.25] {
            #expect(atFitted < Calibration.negativeLogLikelihood(logits: logits, labels: labels, classCount: 4,
                                                                 temperature: other))
        }
    }

    @Test func temperatureChangesConfidenceButNoPrediction() {
        let logits: [Float] = [2, -1, 0.5, 3]
        let sharp = Calibration(temperature: 0.5).probabilities(forLogits: logits)
        let soft = Calibration(temperature: 4).probabilities(forLogits: logits)
        #expect(abs(sharp.reduce(0, +) - 1) < 1e-6 && abs(soft.reduce(0, +) - 1) < 1e-6)
        #expect(sharp.firstIndex(of: sharp.max()!) == 3 && soft.firstIndex(of: soft.max()!) == 3)
        #expect(sharp[3] > soft[3])
        #expect(Calibration(temperature: 1).probabilities(forLogits: [1000, 0]) == [1, 0], "no overflow")
    }

    @Test func expectedCalibrationErrorGoldenValues() {
        // Two bins used: 0.9 (3 right of 4: |0.75 − 0.9| = 0.15) and 0.6 (1 right of 2: 0.1).
        let error = Calibration.expectedCalibrationError(
            confidences: [0.9, 0.9, 0.9, 0.9, 0.6, 0.6], correct: [true, true, true, false, true, false], binCount: 10)
        #expect(abs(error - (4.0 / 6 * 0.15 + 2.0 / 6 * 0.1)) < 1e-6)
        #expect(Calibration.expectedCalibrationError(confidences: [1, 1], correct: [true, true]) == 0)
        #expect(Calibration.expectedCalibrationError(confidences: [], correct: []) == 0)
    }

    @Test func decisionRefusesTheRejectClassAndLowConfidence() {
        let calibration = Calibration(temperature: 1, threshold: 0.5, rejectClass: 3)
        let confident = calibration.decision(for: [0.05, 0.8, 0.05, 0.1])
        #expect(confident == .init(answer: 1, guess: 1, confidence: 0.8, reason: nil))
        let rejected = calibration.decision(for: [0.1, 0.3, 0.05, 0.55])
        #expect(rejected == .init(answer: nil, guess: 1, confidence: 0.3, reason: .rejectClass))
        let unsure = calibration.decision(for: [0.3, 0.35, 0.3, 0.05])
        #expect(unsure == .init(answer: nil, guess: 1, confidence: 0.35, reason: .lowConfidence))
        #expect(calibration.decision(for: [0.1, 0.3, 0.05, 0.55], refusing: false).answer == 1,
                "without refusals the best real class answers")
    }

    @Test func theRejectClassMustLeadByTheMargin() {
        let calibration = Calibration(temperature: 1, threshold: 0, rejectClass: 3, rejectMargin: 1)
        // log(0.55 / 0.3) ≈ 0.61 is inside the margin: the best real class answers.
        #expect(calibration.decision(for: [0.1, 0.3, 0.05, 0.55]).answer == 1)
        // log(0.8 / 0.1) ≈ 2.08 is beyond it: refused.
        #expect(calibration.decision(for: [0.05, 0.1, 0.05, 0.8]).reason == .rejectClass)
        #expect(calibration.decision(for: [0, 0, 0, 1]).reason == .rejectClass, "a zero probability stays finite")
    }

    /// Samples of 3 real classes and a reject class 3, where a share of the right real answers
    /// also give the reject class a large logit (the odd handwriting a margin is for).
    func samplesWithDoubtfulRightAnswers(count: Int, seed: UInt64) -> (logits: [Float], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var logits: [Float] = [], labels: [Int] = []
        for index in 0..<count {
            let label = index % 4
            var row = (0..<4).map { _ in generator.nextUniform(from: -1, to: 1) }
            row[label] += 6
            if label != 3, index % 10 == 1 { row[3] += 6 + generator.nextUniform(from: 0, to: 2) }
            logits += row
            labels.append(label)
        }
        return (logits, labels)
    }

    @Test func fittedMarginKeepsTheRightAnswersWithinTheBudget() {
        let (logits, labels) = samplesWithDoubtfulRightAnswers(count: 4000, seed: 9)
        let calibration = Calibration.fitted(logits: logits, labels: labels, classCount: 4, rejectClass: 3,
                                             refusalBudget: 0.001)
        #expect(calibration.rejectMargin > 0, "without a margin a tenth of the right answers would be refused")
        var rightRefused = 0, rejectsCaught = 0
        for (row, label) in labels.enumerated() {
            let decision = calibration.decision(for: calibration.probabilities(forLogits: logits[row * 4 ..< (row + 1) * 4]))
            if label == 3 {
                if decision.answer == nil { rejectsCaught += 1 }
            } else if decision.answer == nil, decision.guess == label {
                rightRefused += 1
            }
        }
        #expect(rightRefused <= 3, "the budget is 0.1% of 3,000 real samples")
        #expect(rejectsCaught == 1000, "the true rejects still lead by far more than the margin")
    }

    @Test func aCalibrationWrittenBeforeTheMarginReadsWithMarginZero() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let old = try decoder.decode(Calibration.self, from: Data(#"{"temperature":1.3,"threshold":0.5,"reject_class":10}"#.utf8))
        #expect(old == Calibration(temperature: 1.3, threshold: 0.5, rejectClass: 10, rejectMargin: 0))
    }

    @Test func fittedThresholdRefusesAtMostTheBudgetOfRightAnswers() {
        let (logits, labels) = samples(count: 4000, trueTemperature: 1, seed: 5)
        let calibration = Calibration.fitted(logits: logits, labels: labels, classCount: 4, rejectClass: nil,
                                             refusalBudget: 0.01)
        var rightRefused = 0
        for (row, label) in labels.enumerated() {
            let probabilities = calibration.probabilities(forLogits: logits[row * 4 ..< (row + 1) * 4])
            let decision = calibration.decision(for: probabilities)
            if decision.answer == nil, decision.guess == label { rightRefused += 1 }
        }
        #expect(rightRefused <= 40)
        #expect(calibration.threshold > 0 && calibration.threshold <= 0.9)
    }

    @Test func calibrationSurvivesACheckpointRoundTrip() throws {
        let network = Network(inputCount: 4, hiddenLayerSizes: [3], outputCount: 3, seed: 2)
        let calibration = Calibration(temperature: 1.37, threshold: 0.45, rejectClass: 2, rejectMargin: 1.75)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint(network: network, calibration: calibration).write(to: url)
        #expect(try Checkpoint.read(from: url).calibration == calibration)
        let bytes = try Data(contentsOf: url)
        #expect(try Checkpoint.decode(bytes, path: "memory").calibration == calibration, "bytes decode as the file does")
    }

    @Test(arguments: [
        #"{"temperature":0,"threshold":0.5}"#, #"{"temperature":1,"threshold":1.5}"#,
        #"{"temperature":1,"threshold":0.5,"reject_class":7}"#, #"not json"#,
        #"{"temperature":1,"threshold":0.5,"reject_class":2,"reject_margin":-1}"#,
    ])
    func invalidCalibrationMetadataIsRefused(value: String) throws {
        let network = Network(inputCount: 4, hiddenLayerSizes: [], outputCount: 3, seed: 2)
        var metadata = try Checkpoint(network: network).metadata
        metadata["calibration"] = value
        let bytes = try SafeTensors.encode(Checkpoint(network: network).tensors, metadata: metadata)
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.decode(bytes, path: "doctored") }
        #expect(error?.reason == .invalidMetadata)
        #expect(error?.description.contains("calibration") == true)
    }
}
