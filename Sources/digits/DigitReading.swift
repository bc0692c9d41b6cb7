// One user picture through the pipeline: normalise it as MNIST was made, run the network once.

import DigitData
import NeuralNet

/// What the network made of one picture.
struct DigitReading {
    /// The 28×28 input the network saw (0 background, 255 ink).
    let pixels: [UInt8]
    /// The probability of each digit, 0…9.
    let probabilities: [Float]

    /// Normalises the PNG at `path` and classifies it with one forward pass.
    init(file path: String, network: Network) throws {
        pixels = try DigitNormalizer.normalizeFile(path)
        let input = Matrix(rows: 1, columns: pixels.count, values: DigitNormalizer.inputs(pixels))
        probabilities = Array(network.probabilities(for: input).row(0))
    }

    /// The `count` most probable digits, most probable first (ties in digit order).
    func ranked(top count: Int) -> [Prediction] {
        probabilities.indices
            .sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
            .prefix(count)
            .map { Prediction(label: $0, probability: probabilities[$0]) }
    }
}
