// Where the two engines meet: a NeuralNet network copied into ReferenceNet and back (each
// parameter in checkpoint order, `[out, in]` and `[F, C, K, K]`), the reference twin of a
// training configuration, and a network run forward by whichever engine `--engine` chose.

import DigitData
import NeuralNet
import ReferenceNet

extension ReferenceNet.Network {
    /// A reference network with `fast`'s layers and a copy of its parameters.
    convenience init(copying fast: NeuralNet.Network) {
        let layers: [any ReferenceNet.Layer] = fast.layers.map { layer in
            switch layer.layerDescription {
            case let .dense(inputCount, outputCount):
                ReferenceNet.Dense(inputCount: inputCount, outputCount: outputCount)
            case .relu:
                ReferenceNet.ReLU(featureCount: layer.inputCount)
            case let .conv2d(inputChannels, outputChannels, kernelSize, padding, height, width):
                ReferenceNet.Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                    height: height, width: width, padding: ReferenceNet.Padding(rawValue: padding.rawValue)!)
            case let .maxPool(size, channels, height, width):
                ReferenceNet.MaxPool(channels: channels, height: height, width: width, size: size)
            case .flatten:
                ReferenceNet.Flatten(featureCount: layer.inputCount)
            case let .dropout(rate):
                ReferenceNet.Dropout(featureCount: layer.inputCount, rate: rate)
            }
        }
        self.init(layers: layers)
        copyParameters(from: fast, into: self)
    }
}

/// Copies `fast`'s parameters into `reference`, whose layers must have the same shapes.
func copyParameters(from fast: NeuralNet.Network, into reference: ReferenceNet.Network) {
    precondition(reference.parameters.map(\.shape) == fast.parameters.map(\.shape), "the engines' layers do not match")
    for (copy, original) in zip(reference.parameters, fast.parameters) {
        copy.value = original.valuesInShapeOrder
    }
}

/// Copies `reference`'s parameters into `fast`, whose layers must have the same shapes.
func copyParameters(from reference: ReferenceNet.Network, into fast: NeuralNet.Network) {
    precondition(reference.parameters.map(\.shape) == fast.parameters.map(\.shape), "the engines' layers do not match")
    for (copy, original) in zip(fast.parameters, reference.parameters) {
        copy.valuesInShapeOrder = original.value
    }
}

extension TrainingConfiguration {
    /// The reference twin of `makeNetwork`: the same layers and, from the same seed, the same
    /// initial weights bit for bit (and the same dropout masks).
    func makeReferenceNetwork(inputCount: Int, classCount: Int) -> ReferenceNet.Network {
        let initializer = ReferenceNet.WeightInitializer(rawValue: self.initializer.rawValue)!
        switch network ?? .mlp {
        case .mlp:
            return ReferenceNet.Network(inputCount: inputCount, hiddenLayerSizes: hiddenLayerSizes, outputCount: classCount,
                                        initializer: initializer, seed: seed)
        case .cnn:
            return ReferenceNet.Network.leNet(side: Int(Double(inputCount).squareRoot().rounded()), classCount: classCount,
                                              dropout: dropout ?? 0, initializer: initializer, seed: seed)
        }
    }

    /// The reference twin of `makeOptimizer`.
    func makeReferenceOptimizer() -> any ReferenceNet.Optimizer {
        switch optimizer {
        case .sgd: ReferenceNet.SGD(weightDecay: weightDecay)
        case .momentum: ReferenceNet.SGD(momentum: momentum, weightDecay: weightDecay)
        case .nesterov: ReferenceNet.SGD(momentum: momentum, nesterov: true, weightDecay: weightDecay)
        case .adam: ReferenceNet.Adam(weightDecay: weightDecay)
        }
    }

    /// The schedule in the reference's terms.
    var referenceSchedule: ReferenceNet.LearningRateSchedule {
        switch schedule {
        case .constant: .constant
        case .cosine: .cosine
        case let .step(epochs, factor): .step(epochs: epochs, factor: factor)
        }
    }

    /// A reference trainer of `network` with this configuration's optimiser, batch, rate,
    /// schedule, epochs and seed (stream 1 shuffles, as in the fast trainer).
    func makeReferenceTrainer(for network: ReferenceNet.Network) -> ReferenceNet.Trainer {
        ReferenceNet.Trainer(network: network, optimizer: makeReferenceOptimizer(), batchSize: batchSize,
                             learningRate: learningRate, schedule: referenceSchedule, epochs: epochs, seed: seed)
    }
}

extension Dataset {
    /// Every sample as a row of network inputs (`x / 255`), as the reference trainer takes them.
    var referenceSamples: [[Float]] {
        (0..<count).map { index in
            pixels[index * featureCount ..< (index + 1) * featureCount].map { Float($0) / 255 }
        }
    }

    /// Every label, as the reference trainer takes them.
    var referenceLabels: [Int] { (0..<count).map(label(at:)) }
}

/// A checkpoint's network, run forward by the engine `--engine` chose.
struct EngineNetwork {
    let engine: Engine
    /// The network as the checkpoint holds it.
    let network: NeuralNet.Network
    /// Its reference copy, for `--engine reference`.
    private let reference: ReferenceNet.Network?

    init(_ network: NeuralNet.Network, engine: Engine) {
        self.engine = engine
        self.network = network
        reference = engine == .reference ? ReferenceNet.Network(copying: network) : nil
    }

    /// The logits of `inputs`, `[rows, inputCount]` → `[rows, outputCount]`.
    func logits(_ inputs: [Float], rows: Int) -> [Float] {
        if let reference { return reference.forward(inputs) }
        return network.forward(Matrix(rows: rows, columns: network.inputCount, values: inputs)).values
    }

    /// The logits of every sample of `dataset` and their labels, `batchSize` samples a pass.
    func logits(on dataset: Dataset, batchSize: Int = 256) throws -> (logits: [Float], labels: [Int]) {
        guard let reference else { return try network.logits(on: dataset, batchSize: batchSize) }
        return (Self.referenceLogits(reference, on: dataset, batchSize: batchSize), dataset.referenceLabels)
    }

    /// Accuracy, precision, recall and the confusion matrix on `dataset`.
    func evaluate(on dataset: Dataset) throws -> Evaluation {
        guard let reference else { return try network.evaluate(on: dataset) }
        return Self.referenceEvaluation(reference, on: dataset)
    }

    /// The reference network's logits on `dataset`, `batchSize` samples a forward pass.
    static func referenceLogits(_ reference: ReferenceNet.Network, on dataset: Dataset, batchSize: Int = 256) -> [Float] {
        var logits: [Float] = []
        logits.reserveCapacity(dataset.count * reference.outputCount)
        let width = dataset.featureCount
        for first in stride(from: 0, to: dataset.count, by: batchSize) {
            let last = min(first + batchSize, dataset.count)
            logits += reference.forward(dataset.pixels[first * width ..< last * width].map { Float($0) / 255 })
        }
        return logits
    }

    /// The reference network's evaluation on `dataset` (the first class on ties, as the fast engine).
    static func referenceEvaluation(_ reference: ReferenceNet.Network, on dataset: Dataset, batchSize: Int = 256) -> Evaluation {
        let logits = referenceLogits(reference, on: dataset, batchSize: batchSize)
        let classes = reference.outputCount
        let predictions = (0..<dataset.count).map { row in
            var best = 0
            for j in 1..<classes where logits[row * classes + j] > logits[row * classes + best] { best = j }
            return best
        }
        return Evaluation(predictions: predictions, labels: dataset.referenceLabels, classCount: classes)
    }
}
