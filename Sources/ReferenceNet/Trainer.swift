/// Trains a network by mini-batch gradient descent: each epoch shuffles the samples (seeded),
/// cuts them into mini-batches, and for each batch runs forward, the loss, backward and one
/// optimiser step.
public final class Trainer {
    /// What one finished epoch gives.
    public struct EpochSummary: Equatable, Sendable {
        /// The epoch, counted from 1.
        public var epoch: Int
        /// The learning rate of the epoch, after the schedule.
        public var learningRate: Float
        /// The mean loss over the epoch's samples (each batch's loss taken before its step).
        public var loss: Double
        /// The fraction of the epoch's samples whose label was the most probable class.
        public var accuracy: Double
    }

    /// Training stopped because the loss stopped being a number.
    public enum TrainingError: Error, Equatable {
        /// Batch `batch` (from 1) of epoch `epoch` had a NaN or infinite loss; its step was not taken.
        case diverged(epoch: Int, batch: Int, loss: Float)
    }

    public let network: Network
    public let optimizer: any Optimizer
    /// Samples a mini-batch (the last batch of an epoch holds the remainder).
    public let batchSize: Int
    /// The base learning rate, before the schedule.
    public let learningRate: Float
    public let schedule: LearningRateSchedule
    /// The epochs `train` runs (and the length the schedule is computed for).
    public let epochs: Int
    /// Epochs finished so far.
    public private(set) var history: [EpochSummary] = []
    /// The shuffle's generator, stream 1 of the seed.
    private var shuffler: SeededGenerator
    /// The order of the samples: each epoch shuffles the previous epoch's order again.
    private var order: [Int] = []

    /// A trainer of `network` by `optimizer`, shuffling from `seed`.
    public init(network: Network, optimizer: any Optimizer, batchSize: Int, learningRate: Float,
                schedule: LearningRateSchedule = .constant, epochs: Int, seed: UInt64) {
        precondition(batchSize > 0, "the batch size must be positive")
        self.network = network
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.schedule = schedule
        self.epochs = epochs
        shuffler = SeededGenerator(seed: seed, stream: 1)
    }

    /// Runs the epochs not yet in `history` over `samples` (one row of `network.inputCount`
    /// features each) with their `labels`, and returns the history.
    @discardableResult
    public func train(samples: [[Float]], labels: [Int]) throws(TrainingError) -> [EpochSummary] {
        while history.count < epochs {
            try trainEpoch(samples: samples, labels: labels)
        }
        return history
    }

    /// One pass over the samples in a freshly shuffled order: the next epoch (its number and
    /// learning rate follow `history`, to which its summary is added).
    @discardableResult
    public func trainEpoch(samples: [[Float]], labels: [Int]) throws(TrainingError) -> EpochSummary {
        precondition(samples.count == labels.count, "\(samples.count) samples but \(labels.count) labels")
        precondition(samples.allSatisfy { $0.count == network.inputCount },
                     "every sample must have \(network.inputCount) features")
        let epoch = history.count + 1
        if order.count != samples.count { order = Array(samples.indices) }
        shuffler.shuffle(&order)
        let rate = schedule.learningRate(base: learningRate, epoch: epoch - 1, totalEpochs: epochs)
        let parameters = network.parameters
        var lossSum = 0.0
        var correct = 0
        for (index, first) in stride(from: 0, to: samples.count, by: batchSize).enumerated() {
            let batch = order[first ..< min(first + batchSize, samples.count)]
            let input = batch.flatMap { samples[$0] }
            let batchLabels = batch.map { labels[$0] }

            let logits = network.forward(input, isTraining: true)
            let loss = SoftmaxCrossEntropy.evaluate(logits: logits, labels: batchLabels)
            guard loss.loss.isFinite else { throw .diverged(epoch: epoch, batch: index + 1, loss: loss.loss) }
            network.zeroGradients()
            network.backward(outputGradient: loss.gradient)
            optimizer.update(parameters, learningRate: rate)

            lossSum += Double(loss.loss) * Double(batch.count)
            correct += loss.correctCount
        }
        let count = Double(max(samples.count, 1))
        let summary = EpochSummary(epoch: epoch, learningRate: rate, loss: lossSum / count, accuracy: Double(correct) / count)
        history.append(summary)
        return summary
    }
}
