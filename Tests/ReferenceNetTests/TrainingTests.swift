// The reference Trainer on tiny synthetic problems: its loss goes down, and it follows the
// fast engine's Trainer epoch for epoch. Both draw the same initial weights, the same shuffles
// and the same dropout masks from a seed, so their runs differ only by rounding, which the
// steps carry forward: each epoch's mean loss and the final weights are held to 1e-5 relative
// (measured over these runs: at most 7e-7 for a loss, 2e-7 for the weights).

import Testing
import NeuralNet
import ReferenceNet

/// The relative error allowed between two engines' training runs.
let trajectoryTolerance = 1e-5

/// Labelled samples, as rows of floats and as the fast engine's source.
struct Samples {
    var rows: [[Float]]
    var labels: [Int]

    var source: InMemoryBatchSource {
        InMemoryBatchSource(features: Matrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 }),
                            labels: labels)
    }

    /// `count` samples of 7 features around three seeded centres, label `i % 3`.
    static func clusters(count: Int, seed: UInt64) -> Samples {
        var generator = ReferenceNet.SeededGenerator(seed: seed)
        let centres = (0..<3).map { _ in (0..<7).map { _ in generator.nextUniform(from: -1.5, to: 1.5) } }
        let rows = (0..<count).map { i in centres[i % 3].map { $0 + generator.nextNormal(standardDeviation: 0.5) } }
        return Samples(rows: rows, labels: (0..<count).map { $0 % 3 })
    }

    /// `count` noisy 9×9 images of a horizontal bar, a vertical bar or a diagonal (label `i % 3`),
    /// each at a seeded offset.
    static func bars(count: Int, seed: UInt64) -> Samples {
        var generator = ReferenceNet.SeededGenerator(seed: seed)
        let rows = (0..<count).map { i -> [Float] in
            let offset = generator.nextInt(below: 5) + 2
            return (0..<81).map { pixel in
                let (y, x) = pixel.quotientAndRemainder(dividingBy: 9)
                let isInk = [y == offset, x == offset, x == y][i % 3]
                return (isInk ? 1 : 0) + generator.nextUniform(from: -0.2, to: 0.2)
            }
        }
        return Samples(rows: rows, labels: (0..<count).map { $0 % 3 })
    }
}

/// Samples kept as bytes (`b` standing for `b / 255`) for the fast engine, about a fifth of
/// them nonzero: the class's ten features are inked with probability 0.6, the others 0.05.
struct ByteClusters: ByteFeatureSource {
    let featureBytes: [UInt8]
    let labels: [Int]
    let featureCount = 30
    var sampleCount: Int { labels.count }

    init(count: Int, seed: UInt64) {
        var generator = ReferenceNet.SeededGenerator(seed: seed)
        labels = (0..<count).map { $0 % 3 }
        featureBytes = labels.flatMap { label in
            (0..<30).map { feature -> UInt8 in
                let chance: Float = feature / 10 == label ? 0.6 : 0.05
                return generator.nextUniform() < chance ? UInt8(1 + generator.nextInt(below: 255)) : 0
            }
        }
    }

    func copySamples(at indices: ArraySlice<Int>, into features: UnsafeMutableBufferPointer<Float>,
                     labels: UnsafeMutableBufferPointer<Int>) {
        for (row, sample) in indices.enumerated() {
            for column in 0..<featureCount {
                features[row * featureCount + column] = Float(featureBytes[sample * featureCount + column]) / 255
            }
            labels[row] = self.labels[sample]
        }
    }

    func copyLabels(at indices: ArraySlice<Int>, into labels: UnsafeMutableBufferPointer<Int>) {
        for (row, sample) in indices.enumerated() { labels[row] = self.labels[sample] }
    }

    /// The same samples as the reference reads them.
    var samples: Samples {
        Samples(rows: (0..<sampleCount).map { s in featureBytes[s * 30 ..< (s + 1) * 30].map { Float($0) / 255 } },
                labels: labels)
    }
}

/// The reference optimiser matching a configuration's choice.
func referenceOptimizer(_ configuration: TrainingConfiguration) -> any ReferenceNet.Optimizer {
    switch configuration.optimizer {
    case .sgd: ReferenceNet.SGD(weightDecay: configuration.weightDecay)
    case .momentum: ReferenceNet.SGD(momentum: configuration.momentum, weightDecay: configuration.weightDecay)
    case .nesterov: ReferenceNet.SGD(momentum: configuration.momentum, nesterov: true, weightDecay: configuration.weightDecay)
    case .adam: ReferenceNet.Adam(weightDecay: configuration.weightDecay)
    }
}

/// The reference schedule matching a configuration's.
func referenceSchedule(_ schedule: NeuralNet.LearningRateSchedule) -> ReferenceNet.LearningRateSchedule {
    switch schedule {
    case .constant: .constant
    case .cosine: .cosine
    case let .step(epochs, factor): .step(epochs: epochs, factor: factor)
    }
}

/// Trains `fast` with NeuralNet's Trainer on `source`, and a reference copy of it (made before
/// training) with ReferenceNet's on `samples`, both as `configuration` says. Returns both
/// histories and both networks' final parameters.
func trainBoth(
    _ fast: NeuralNet.Network, dropoutSeed: UInt64 = 0, configuration: TrainingConfiguration,
    source: some BatchSource, samples: Samples
) throws -> (fast: [NeuralNet.EpochSummary], reference: [ReferenceNet.Trainer.EpochSummary],
             fastValues: [[Float]], referenceValues: [[Float]]) {
    let reference = referenceCopy(of: fast, dropoutSeed: dropoutSeed)
    let fastHistory = try NeuralNet.Trainer(network: fast, configuration: configuration).train(on: source)
    let trainer = ReferenceNet.Trainer(
        network: reference, optimizer: referenceOptimizer(configuration), batchSize: configuration.batchSize,
        learningRate: configuration.learningRate, schedule: referenceSchedule(configuration.schedule),
        epochs: configuration.epochs, seed: configuration.seed)
    let referenceHistory = try trainer.train(samples: samples.rows, labels: samples.labels)
    return (fastHistory, referenceHistory, values(of: fast), reference.parameters.map(\.value))
}

@Suite("Training the reference", .serialized)
struct TrainingTests {
    /// Checks that the reference's loss fell to below `fraction` of its first epoch's and that
    /// both runs agree epoch by epoch and in their final weights.
    func expectAgreement(
        _ run: (fast: [NeuralNet.EpochSummary], reference: [ReferenceNet.Trainer.EpochSummary],
                fastValues: [[Float]], referenceValues: [[Float]]),
        lossFallsBelow fraction: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let losses = run.reference.map(\.loss)
        #expect(losses.last! < fraction * losses.first!, "losses \(losses)", sourceLocation: sourceLocation)
        for (fast, reference) in zip(run.fast, run.reference) {
            #expect(fast.learningRate == reference.learningRate, sourceLocation: sourceLocation)
            #expect(abs(fast.trainLoss - reference.loss) <= trajectoryTolerance * reference.loss,
                    "epoch \(reference.epoch): \(fast.trainLoss) against \(reference.loss)", sourceLocation: sourceLocation)
            #expect(abs(fast.trainAccuracy - reference.accuracy) <= 1.0 / 90, sourceLocation: sourceLocation)
        }
        for (index, (fast, reference)) in zip(run.fastValues, run.referenceValues).enumerated() {
            #expect(relativeError(fast, reference) < trajectoryTolerance, "parameter \(index)", sourceLocation: sourceLocation)
        }
    }

    @Test("A 7-8-3 perceptron with Adam and a cosine schedule: the loss falls, as the fast engine's does")
    func perceptronWithAdam() throws {
        let configuration = TrainingConfiguration(
            hiddenLayerSizes: [8], epochs: 8, batchSize: 16, learningRate: 0.01, optimizer: .adam,
            schedule: .cosine, seed: 5)
        let data = Samples.clusters(count: 90, seed: 3)
        let fast = configuration.makeNetwork(inputCount: 7, classCount: 3)
        let run = try trainBoth(fast, configuration: configuration, source: data.source, samples: data)
        expectAgreement(run, lossFallsBelow: 0.5)
        #expect(run.reference.last!.accuracy > 0.9)
    }

    @Test("Byte samples and plain SGD (the fast engine's sparse listing and fused descent step) with momentum too",
          arguments: [OptimizerChoice.sgd, .nesterov])
    func bytesWithSGD(optimizer: OptimizerChoice) throws {
        let configuration = TrainingConfiguration(
            hiddenLayerSizes: [20], epochs: 6, batchSize: 8, learningRate: 0.1, optimizer: optimizer,
            schedule: .step(epochs: 2, factor: 0.5), seed: 9)
        let data = ByteClusters(count: 90, seed: 4)
        let fast = configuration.makeNetwork(inputCount: 30, classCount: 3)
        let run = try trainBoth(fast, configuration: configuration, source: data, samples: data.samples)
        expectAgreement(run, lossFallsBelow: 0.5)
    }

    @Test("The small CNN with dropout on 9×9 bars, momentum and weight decay")
    func convolutionalNetwork() throws {
        let configuration = TrainingConfiguration(
            epochs: 4, batchSize: 8, learningRate: 0.02, optimizer: .momentum, weightDecay: 1e-3, seed: 6)
        let data = Samples.bars(count: 45, seed: 7)
        let run = try trainBoth(fastSmallCNN(seed: 2, dropoutSeed: 8), dropoutSeed: 8, configuration: configuration,
                                source: data.source, samples: data)
        expectAgreement(run, lossFallsBelow: 0.7)
    }

    @Test("A loss that overflows stops training with the epoch and batch")
    func divergence() {
        let network = ReferenceNet.Network(inputCount: 7, hiddenLayerSizes: [8], outputCount: 3, seed: 1)
        let data = Samples.clusters(count: 30, seed: 3)
        let trainer = ReferenceNet.Trainer(network: network, optimizer: ReferenceNet.SGD(), batchSize: 10,
                                           learningRate: 1e30, epochs: 3, seed: 1)
        #expect {
            try trainer.train(samples: data.rows, labels: data.labels)
        } throws: { error in
            guard case let .diverged(epoch, batch, loss) = error as? ReferenceNet.Trainer.TrainingError else { return false }
            return epoch == 1 && batch > 1 && !loss.isFinite
        }
    }
}
