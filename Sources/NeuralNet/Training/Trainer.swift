// The training loop: epochs of mini-batches from a seeded shuffle, each batch a forward
// pass, the loss, a backward pass and an optimiser step.

/// Trains a network by mini-batch gradient descent.
///
/// Training does not allocate per batch: the batch buffer, the layers' activations and
/// gradients and the optimiser's moments are allocated once and reused.
public final class Trainer {
    /// The network being trained.
    public let network: Network
    /// The settings of the run.
    public let configuration: TrainingConfiguration
    /// The optimiser; its `state` can be saved and restored to resume.
    public let optimizer: any Optimizer
    /// One summary a finished epoch; training resumes after the last one.
    public private(set) var history: [EpochSummary] = []

    private let parameters: [Parameter]
    private let loss: SoftmaxCrossEntropy
    private var shuffleGenerator: SeededGenerator
    private var order: [Int] = []
    private var batch: Batch

    /// A trainer for `network` with the optimiser and seed of `configuration`.
    public init(network: Network, configuration: TrainingConfiguration) {
        precondition(configuration.batchSize > 0, "The batch size must be positive")
        self.network = network
        self.configuration = configuration
        optimizer = configuration.makeOptimizer()
        parameters = network.parameters
        loss = SoftmaxCrossEntropy(classCount: network.outputCount)
        shuffleGenerator = SeededGenerator(seed: configuration.seed, stream: 1)
        batch = Batch(capacity: configuration.batchSize, featureCount: network.inputCount)
    }

    /// Trains for the configured epochs (those not yet in `history`), evaluating `testSet`
    /// after each, and returns the history.
    ///
    /// - Parameters:
    ///   - shouldStop: asked before every batch; returning true stops with `TrainingError.cancelled`.
    ///   - progress: told of every finished batch and epoch.
    /// - Throws: `TrainingError.diverged` on a NaN or infinite loss or `TrainingError.cancelled`
    ///   (either way the network and the optimiser are restored to the end of the last complete
    ///   epoch, the one `history` ends with), or `BatchSourceError`.
    @discardableResult
    public func train(
        on trainingSet: some BatchSource,
        testSet: (any BatchSource)? = nil,
        shouldStop: () -> Bool = { false },
        progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> [EpochSummary] {
        while history.count < configuration.epochs {
            var summary = try trainEpoch(history.count + 1, on: trainingSet, shouldStop: shouldStop, progress: progress)
            if let testSet {
                summary.testAccuracy = try network.evaluate(on: testSet, batchSize: max(configuration.batchSize, 256)).accuracy
            }
            history.append(summary)
            progress(.epochFinished(summary))
        }
        return history
    }

    /// One pass over `trainingSet` in a freshly shuffled order (Fisher–Yates from the seeded
    /// generator's stream 1); the last batch holds the remainder.
    public func trainEpoch(
        _ epoch: Int,
        on trainingSet: some BatchSource,
        shouldStop: () -> Bool = { false },
        progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> EpochSummary {
        guard trainingSet.featureCount == network.inputCount else {
            throw BatchSourceError.featureCountMismatch(expected: network.inputCount, actual: trainingSet.featureCount)
        }
        let start = ContinuousClock.now
        let sampleCount = trainingSet.sampleCount
        if order.count != sampleCount {
            order = Array(0..<sampleCount)
        }
        shuffleGenerator.shuffle(&order)

        let learningRate = configuration.schedule.learningRate(
            base: configuration.learningRate, epoch: epoch - 1, totalEpochs: configuration.epochs)
        let batchSize = configuration.batchSize
        let batchCount = (sampleCount + batchSize - 1) / batchSize
        let lastGoodWeights = parameters.map(\.value)
        let lastGoodOptimizerState = optimizer.state
        var lossSum: Double = 0
        var correctCount = 0

        for batchIndex in 0..<batchCount {
            if shouldStop() {
                restore(lastGoodWeights, lastGoodOptimizerState)
                throw TrainingError.cancelled(epoch: epoch, batch: batchIndex + 1)
            }
            let first = batchIndex * batchSize
            let indices = order[first ..< min(first + batchSize, sampleCount)]
            try batch.load(indices, from: trainingSet, classCount: network.outputCount,
                           listsBytes: network.takesByteBatches)
            let next = min(first + batchSize, sampleCount)
            let nextIndices = order[next ..< min(next + batchSize, sampleCount)]

            // While this batch trains, the other core lists the next one's inputs (which also
            // brings its images into cache), from a point in the first layer's forward pass
            // (`Dense.listAhead`), or at least the images are prefetched.
            if !network.listAhead(like: batch, samples: nextIndices) {
                trainingSet.prefetchSamples(at: nextIndices)
            }

            let logits = network.forward(batch, isTraining: true)
            let batchLoss = loss.loss(logits: logits, labels: batch.loadedLabels)
            guard batchLoss.isFinite else {
                restore(lastGoodWeights, lastGoodOptimizerState)
                throw TrainingError.diverged(epoch: epoch, batch: batchIndex + 1, loss: batchLoss)
            }
            // Plain SGD's step for the first layer's weights is taken in the backward pass, each
            // row as its gradient is made (see `DescentStep`); the optimiser takes the rest.
            network.backward(batch, outputGradient: loss.gradient) { [optimizer] parameter in
                optimizer.plainDescentRate(for: parameter, learningRate: learningRate)
            }
            optimizer.update(parameters, learningRate: learningRate)

            lossSum += Double(batchLoss) * Double(indices.count)
            correctCount += loss.correctCount
            progress(.batchFinished(BatchProgress(
                epoch: epoch, batch: batchIndex + 1, batchCount: batchCount, loss: batchLoss,
                accuracy: Float(loss.correctCount) / Float(indices.count),
                samplesDone: first + indices.count, sampleCount: sampleCount)))
        }
        let elapsed = ContinuousClock.now - start
        return EpochSummary(
            epoch: epoch,
            learningRate: learningRate,
            trainLoss: lossSum / Double(max(sampleCount, 1)),
            trainAccuracy: Double(correctCount) / Double(max(sampleCount, 1)),
            testAccuracy: nil,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Puts back the weights and the optimiser's memory saved at the start of an epoch.
    private func restore(_ weights: [[Float]], _ optimizerState: OptimizerState) {
        for (parameter, values) in zip(parameters, weights) {
            parameter.value = values
        }
        optimizer.state = optimizerState
    }

    /// Continues a run that stopped after `history.count` epochs, so that it ends with the
    /// weights an uninterrupted run would have, bit for bit. The network must hold the weights
    /// of the end of the last epoch in `history`, and `optimizerState` the optimiser's memory then.
    ///
    /// The shuffles of the finished epochs are replayed (each epoch reshuffles the previous
    /// epoch's order with the running stream-1 generator), so the next epoch sees the order
    /// that the uninterrupted run saw, and dropout layers draw the masks it drew (one a batch);
    /// `sampleCount` must be the training set's size.
    ///
    /// - Throws: `TrainingError.cannotResume` when the state does not fit this network and
    ///   optimiser (another architecture, another optimiser, more epochs than configured).
    public func resume(after history: [EpochSummary], optimizerState: OptimizerState, sampleCount: Int) throws(TrainingError) {
        guard stateFits(optimizerState) else {
            throw .cannotResume(reason: "the saved optimiser state does not fit \(configuration.optimizer) on this network")
        }
        guard history.count <= configuration.epochs, history.enumerated().allSatisfy({ $0.element.epoch == $0.offset + 1 }) else {
            throw .cannotResume(reason: "the saved history does not list epochs 1 to \(history.count) of \(configuration.epochs)")
        }
        guard sampleCount >= 0 else { throw .cannotResume(reason: "a negative sample count") }
        optimizer.state = optimizerState
        let batchesPerEpoch = (sampleCount + configuration.batchSize - 1) / configuration.batchSize
        network.resumeDropout(seed: configuration.seed, afterTrainingPasses: history.count * batchesPerEpoch)
        self.history = history
        order = Array(0..<sampleCount)
        for _ in history {
            shuffleGenerator.shuffle(&order)
        }
    }

    /// Whether `state` could have come from this trainer's optimiser: a step count from zero,
    /// and moment buffers that are either absent (before the first step, or not used by the
    /// optimiser) or one a parameter, each of the parameter's size.
    private func stateFits(_ state: OptimizerState) -> Bool {
        func fits(_ moments: [[Float]]) -> Bool {
            moments.isEmpty || moments.map(\.count) == parameters.map(\.value.count)
        }
        guard state.stepCount >= 0, fits(state.firstMoments), fits(state.secondMoments) else { return false }
        switch configuration.optimizer {
        case .sgd: return state.firstMoments.isEmpty && state.secondMoments.isEmpty
        case .momentum, .nesterov: return state.secondMoments.isEmpty
        case .adam: return state.firstMoments.isEmpty == state.secondMoments.isEmpty
        }
    }
}
