// One user picture through the pipeline: find the ink, normalise it as MNIST was made, run the
// network once, and decide: a digit, or "not a digit".

import DigitData
import NeuralNet
import PNG

/// A network with what decides its answers: the calibration stored with it, or, for a model
/// without one, the plain softmax (and its eleventh class, if it has one, as "not a digit").
struct DigitClassifier {
    let network: Network
    /// `network`, run forward by the chosen engine.
    let engineNetwork: EngineNetwork
    let calibration: Calibration
    /// How output names the model: `built-in (…)` or the checkpoint's path.
    let name: String
    /// Whether a picture may be called "not a digit" (`--no-reject` turns it off).
    let isRejecting: Bool

    /// The model at `path` (`builtin` for the one in the executable).
    init(model path: String, rejecting: Bool = true, engine: Engine = .fast) throws {
        let checkpoint = try ModelFile.load(path)
        self.init(checkpoint, name: ModelFile.describe(checkpoint, source: path), rejecting: rejecting, engine: engine)
    }

    /// `checkpoint`'s network and calibration; with `rejecting` false, every picture with ink
    /// gets a digit (the calibrated probabilities are the same).
    init(_ checkpoint: Checkpoint, name: String, rejecting: Bool = true, engine: Engine = .fast) {
        network = checkpoint.network
        engineNetwork = EngineNetwork(checkpoint.network, engine: engine)
        let rejectClass = checkpoint.network.outputCount > 10 ? 10 : nil
        calibration = checkpoint.calibration ?? Calibration(rejectClass: rejectClass)
        self.name = name
        isRejecting = rejecting
    }

    /// The calibrated probability of each class for one normalised 28×28 picture.
    func probabilities(for pixels: [UInt8]) -> [Float] {
        calibration.probabilities(forLogits: engineNetwork.logits(DigitNormalizer.inputs(pixels), rows: 1))
    }
}

/// A person's picture read from a file, and where page analysis found its ink.
struct PictureInk {
    /// The picture, grey and upright (a large JPEG decoded at a reduced scale).
    let picture: Image
    /// Its background, polarity, ink mask and components.
    let analysis: PageAnalysis

    /// The decoded side that a large JPEG is reduced towards: its longer side stays at least
    /// this long (a digit filling a tenth of a 4000×3000 photo keeps some 75 pixels' height).
    static let workingSide = 1000

    /// Reads the PNG or JPEG at `path` and analyses its page.
    init(file path: String) throws {
        picture = try PictureFile.read(path, layout: .gray, minimumSide: Self.workingSide)
        analysis = PageAnalysis.analyze(picture)
    }
}

/// What the network made of one picture.
struct DigitReading {
    /// The 28×28 input the network saw (0 background, 255 ink); nil when the picture has no ink.
    let pixels: [UInt8]?
    /// The calibrated probability of each digit 0…9 (all 0 when there was no ink).
    let probabilities: [Float]
    /// The probability that the picture is no digit, for a model with that class.
    let notADigitProbability: Float?
    /// The digit, or nil when the picture holds none.
    let digit: Int?
    /// The most probable digit (nil when there was no ink) and its probability.
    let guess: Prediction?
    /// Why the picture is not a digit; nil when it is one.
    let reason: String?

    /// Classifies the ink found on a picture with one forward pass, all its components taken
    /// as one digit.
    init(_ ink: PictureInk, classifier: DigitClassifier) {
        let components = ink.analysis.components
        guard !components.isEmpty else {
            self.init(blank: ())
            return
        }
        self.init(pixels: DigitNormalizer.normalize(ink.analysis, components: Array(components.indices)),
                  classifier: classifier)
    }

    /// The reading of normalised pixels.
    init(pixels: [UInt8], classifier: DigitClassifier) {
        let all = classifier.probabilities(for: pixels)
        let decision = classifier.calibration.decision(for: all, refusing: classifier.isRejecting)
        self.pixels = pixels
        probabilities = Array(all.prefix(10))
        notADigitProbability = all.count > 10 ? all[10] : nil
        digit = decision.answer
        guess = Prediction(label: decision.guess, probability: decision.confidence)
        reason = decision.reason.map { $0 == .rejectClass ? "it looks like no digit" : "the network is too unsure" }
    }

    /// The reading of a picture with no ink on it.
    private init(blank: ()) {
        pixels = nil
        probabilities = [Float](repeating: 0, count: 10)
        notADigitProbability = nil
        digit = nil
        guess = nil
        reason = "no ink found"
    }

    /// The `count` most probable digits, most probable first (ties in digit order).
    func ranked(top count: Int) -> [Prediction] {
        probabilities.indices
            .sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
            .prefix(count)
            .map { Prediction(label: $0, probability: probabilities[$0]) }
    }

    /// `7 (98.2%)`, `7 (98.2%), 1 (1.0%)` for more than one, or
    /// `not a digit (best guess 4, 31.0%)` / `not a digit (no ink found)`.
    func verdict(top count: Int) -> String {
        if digit != nil {
            return ranked(top: count).map { "\($0.label) (\(percent(Double($0.probability), digits: 1)))" }
                .joined(separator: ", ")
        }
        guard let guess else { return "not a digit (\(reason ?? "no ink found"))" }
        return "not a digit (best guess \(guess.label), \(percent(Double(guess.probability), digits: 1)))"
    }
}
