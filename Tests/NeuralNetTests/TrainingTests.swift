// The trainer end to end on tiny problems: it learns, it is deterministic, it stops cleanly.

import Testing
@testable import NeuralNet

/// Three well-separated 2-D clusters, 30 points each, labels 0, 1, 2.
func clusters(seed: UInt64, count: Int = 90) -> InMemoryBatchSource {
    var generator = SeededGenerator(seed: seed)
    let centres: [(Float, Float)] = [(-2, 0), (2, 0), (0, 2.5)]
    var values: [Float] = []
    var labels: [Int] = []
    for index in 0..<count {
        let label = index % 3
        values.append(centres[label].0 + generator.nextNormal(standardDeviation: 0.4))
        values.append(centres[label].1 + generator.nextNormal(standardDeviation: 0.4))
        labels.append(label)
    }
    return InMemoryBatchSource(features: Matrix(rows: count, columns: 2, values: values), labels: labels)
}

@Suite("Training")
struct TrainingTests {
    let configuration = TrainingConfiguration(
        hiddenLayerSizes: [8], epochs: 30, batchSize: 16, learningRate: 0.05, optimizer: .momentum, seed: 11)

    func train(_ configuration: TrainingConfiguration, on data: InMemoryBatchSource) throws -> (Network, [EpochSummary]) {
        let network = configuration.makeNetwork(inputCount: 2, classCount: 3)
        let history = try Trainer(network: network, configuration: configuration).train(on: data, testSet: data)
        return (network, history)
    }

    @Test("A small network learns three clusters, with every optimiser")
    func learnsTinyProblem() throws {
        let data = clusters(seed: 1)
        for choice in OptimizerChoice.allCases {
            var settings = configuration
            settings.optimizer = choice
            settings.learningRate = choice == .adam ? 0.01 : 0.05
            let (network, history) = try train(settings, on: data)
            #expect(history.count == 30)
            #expect(history.last!.trainLoss < history.first!.trainLoss / 4, "\(choice)")
            #expect(history.last!.testAccuracy == 1, "\(choice)")
            #expect(try network.evaluate(on: clusters(seed: 2)).accuracy > 0.95, "\(choice)")
        }
    }

    @Test("The same seed and settings give the same weights, bit for bit; another seed does not")
    func determinism() throws {
        let data = clusters(seed: 1)
        let (first, _) = try train(configuration, on: data)
        let (second, _) = try train(configuration, on: data)
        var other = configuration
        other.seed = 12
        let (third, _) = try train(other, on: data)
        #expect(first.parameters.map(\.value) == second.parameters.map(\.value))
        #expect(first.parameters.map(\.value) != third.parameters.map(\.value))
    }

    @Test("One thread and two give the same weights, bit for bit, on products big enough to split")
    func threadCountDoesNotChangeResults() throws {
        // 64×96×784 forward products are above the two-thread threshold of `gemm`.
        let inputs = randomMatrix(rows: 256, columns: 784, seed: 5)
        let data = InMemoryBatchSource(features: inputs, labels: (0..<256).map { $0 % 10 })
        let settings = TrainingConfiguration(
            hiddenLayerSizes: [96, 32], epochs: 2, batchSize: 64, learningRate: 0.01, optimizer: .adam, seed: 3)
        let previous = ComputeThreads.maximum
        defer { ComputeThreads.maximum = previous }
        var weights: [[[Float]]] = []
        for threads in [1, 2] {
            ComputeThreads.maximum = threads
            let network = settings.makeNetwork(inputCount: 784, classCount: 10)
            try Trainer(network: network, configuration: settings).train(on: data)
            weights.append(network.parameters.map(\.value))
        }
        #expect(weights[0] == weights[1])
    }

    @Test("Progress reports every batch, the last one partial, and every epoch")
    func progressEvents() throws {
        let data = clusters(seed: 1)  // 90 samples: batches of 16 ×5 and one of 10
        var settings = configuration
        settings.epochs = 2
        let network = settings.makeNetwork(inputCount: 2, classCount: 3)
        var batches: [BatchProgress] = []
        var epochs: [EpochSummary] = []
        try Trainer(network: network, configuration: settings).train(on: data, testSet: data, progress: { event in
            switch event {
            case .batchFinished(let progress): batches.append(progress)
            case .epochFinished(let summary): epochs.append(summary)
            }
        })
        #expect(batches.count == 12)
        #expect(batches.prefix(6).map(\.samplesDone) == [16, 32, 48, 64, 80, 90])
        #expect(batches.allSatisfy { $0.batchCount == 6 && $0.sampleCount == 90 && $0.loss.isFinite })
        #expect(epochs.map(\.epoch) == [1, 2])
        #expect(epochs.allSatisfy { $0.testAccuracy != nil && $0.seconds >= 0 })
    }

    @Test("A diverging run stops with the epoch and batch, keeping the last complete epoch's weights")
    func divergence() throws {
        let data = clusters(seed: 1)
        var settings = configuration
        settings.learningRate = 1e30
        settings.optimizer = .sgd
        let network = settings.makeNetwork(inputCount: 2, classCount: 3)
        let initial = network.parameters.map(\.value)
        let error = #expect(throws: TrainingError.self) {
            try Trainer(network: network, configuration: settings).train(on: data)
        }
        guard case let .diverged(epoch, batch, loss) = error else {
            Issue.record("expected divergence, got \(String(describing: error))")
            return
        }
        #expect(epoch == 1 && batch > 1 && !loss.isFinite)
        #expect(network.parameters.map(\.value) == initial)
        #expect(error!.description.contains("epoch 1"))
    }

    @Test("A cancellation check stops training between batches")
    func cancellation() throws {
        let data = clusters(seed: 1)
        let network = configuration.makeNetwork(inputCount: 2, classCount: 3)
        var calls = 0
        let error = #expect(throws: TrainingError.self) {
            try Trainer(network: network, configuration: configuration).train(on: data, shouldStop: {
                calls += 1
                return calls > 8
            })
        }
        #expect(error == .cancelled(epoch: 2, batch: 3))
    }

    @Test("Bad data is rejected with an error, not a crash")
    func badData() throws {
        let network = configuration.makeNetwork(inputCount: 2, classCount: 3)
        let trainer = Trainer(network: network, configuration: configuration)
        let wrongWidth = InMemoryBatchSource(features: Matrix(rows: 2, columns: 3), labels: [0, 1])
        #expect(throws: BatchSourceError.featureCountMismatch(expected: 2, actual: 3)) {
            try trainer.train(on: wrongWidth)
        }
        let badLabel = InMemoryBatchSource(features: Matrix(rows: 2, columns: 2), labels: [0, 7])
        #expect(throws: BatchSourceError.labelOutOfRange(label: 7, sample: 1, classCount: 3)) {
            try network.evaluate(on: badLabel)
        }
    }

    @Test("Training reuses the layers' buffers from batch to batch")
    func buffersAreReused() throws {
        let data = clusters(seed: 1)
        var settings = configuration
        settings.epochs = 1
        let network = settings.makeNetwork(inputCount: 2, classCount: 3)
        let trainer = Trainer(network: network, configuration: settings)
        func addresses() -> [UnsafeRawPointer?] {
            network.layers.map { layer in layer.output.values.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        }
        _ = try trainer.trainEpoch(1, on: data)
        let before = addresses()
        _ = try trainer.trainEpoch(2, on: data)
        #expect(addresses() == before)
    }
}
