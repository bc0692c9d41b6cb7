/// Everything that decides a training run: with the same configuration and data, training
/// produces the same weights, bit for bit.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The widths of the hidden layers (each `Dense` followed by `ReLU`); empty for a linear model.
    public var hiddenLayerSizes: [Int]
    /// Passes over the training set.
    public var epochs: Int
    /// Samples a mini-batch.
    public var batchSize: Int
    /// The base learning rate, before the schedule.
    public var learningRate: Float
    /// The optimiser.
    public var optimizer: OptimizerChoice
    /// The momentum coefficient for `.momentum` and `.nesterov`.
    public var momentum: Float
    /// The L2 weight-decay coefficient `λ` (0 for none).
    public var weightDecay: Float
    /// How the learning rate changes over the epochs.
    public var schedule: LearningRateSchedule
    /// How the weights start.
    public var initializer: WeightInitializer
    /// The seed for the weights (stream 0) and the shuffling (stream 1).
    public var seed: UInt64
    /// The kind of network; nil (as in records written before convolutional networks) is `.mlp`.
    public var network: NetworkKind?
    /// The dropout rate before the last dense layer of a convolutional network; nil or 0 for none.
    public var dropout: Float?
    /// Whether the training images were augmented (randomly shifted, rotated, scaled and
    /// distorted, on the fly); nil (as in older records) means no.
    public var augmented: Bool?
    /// Where samples beyond the data set's own came from (a folder), when any were added;
    /// they may include a class for "none of these" (see `Calibration.rejectClass`).
    public var extraSamples: String?
    /// How many of the data set's last samples were kept out of training to calibrate the
    /// network's confidence on (see `Calibration`); nil or 0 for none.
    public var heldOut: Int?

    /// A configuration; the defaults train a 784-128-10 network with Adam.
    public init(
        hiddenLayerSizes: [Int] = [128],
        epochs: Int = 10,
        batchSize: Int = 64,
        learningRate: Float = 0.001,
        optimizer: OptimizerChoice = .adam,
        momentum: Float = 0.9,
        weightDecay: Float = 0,
        schedule: LearningRateSchedule = .constant,
        initializer: WeightInitializer = .he,
        seed: UInt64 = 1,
        network: NetworkKind? = nil,
        dropout: Float? = nil,
        augmented: Bool? = nil,
        extraSamples: String? = nil,
        heldOut: Int? = nil
    ) {
        self.hiddenLayerSizes = hiddenLayerSizes
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.initializer = initializer
        self.seed = seed
        self.network = network
        self.dropout = dropout
        self.augmented = augmented
        self.extraSamples = extraSamples
        self.heldOut = heldOut
    }

    /// A fresh optimiser of the chosen kind.
    public func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case .sgd: SGD(weightDecay: weightDecay)
        case .momentum: SGD(momentum: momentum, weightDecay: weightDecay)
        case .nesterov: SGD(momentum: momentum, nesterov: true, weightDecay: weightDecay)
        case .adam: Adam(weightDecay: weightDecay)
        }
    }

    /// A freshly initialised network of this configuration's architecture.
    ///
    /// A convolutional network takes square one-channel images of `inputCount` pixels; its
    /// dense layers ignore `hiddenLayerSizes`.
    public func makeNetwork(inputCount: Int, classCount: Int) -> Network {
        switch network ?? .mlp {
        case .mlp:
            Network(inputCount: inputCount, hiddenLayerSizes: hiddenLayerSizes, outputCount: classCount,
                    initializer: initializer, seed: seed)
        case .cnn:
            Network.leNet(side: Int(Double(inputCount).squareRoot().rounded()), classCount: classCount,
                          dropout: dropout ?? 0, initializer: initializer, seed: seed)
        }
    }
}

/// The kinds of network a training run can build.
public enum NetworkKind: String, Codable, Sendable, CaseIterable {
    /// A multilayer perceptron: dense layers of `hiddenLayerSizes` with ReLU.
    case mlp
    /// The LeNet-style convolutional network of `Network.leNet`.
    case cnn
}
