// The fast engine (NeuralNet) held to the reference, as llm.c holds its CUDA kernels to
// train_gpt2.c: the same network with the same parameters must give the same logits, loss,
// gradients and optimiser steps, on odd shapes, on one thread and on two.
//
// The engines sum in different orders (blocked and SIMD products, sparse listings), so they
// agree to rounding, not bit for bit. Every comparison is a relative error over a whole
// tensor, `‖a − b‖ / max(‖a‖, ‖b‖)`, held below 1e-4: of the logits, of each parameter's
// gradient, of each parameter after a step and of the step itself (measured: at most 4e-7 for
// logits and gradients, 4e-6 for a step). The loss is held to 1e-5 relative (measured: 1e-7).

import Testing
import NeuralNet
import ReferenceNet

/// The relative error allowed between the engines.
let engineTolerance = 1e-4

/// A reference network with `fast`'s layers and a copy of its parameters, each tensor in its
/// checkpoint order (`[out, in]`, `[F, C, K, K]`); dropout layers draw their masks from `dropoutSeed`.
func referenceCopy(of fast: NeuralNet.Network, dropoutSeed: UInt64 = 0) -> ReferenceNet.Network {
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
            ReferenceNet.Dropout(featureCount: layer.inputCount, rate: rate, seed: dropoutSeed)
        }
    }
    let reference = ReferenceNet.Network(layers: layers)
    precondition(reference.parameters.map(\.shape) == fast.parameters.map(\.shape), "the layers do not match")
    for (copy, original) in zip(reference.parameters, fast.parameters) {
        copy.value = original.valuesInShapeOrder
    }
    return reference
}

/// The fast engine's parameter values and gradients in checkpoint order.
func values(of fast: NeuralNet.Network) -> [[Float]] { fast.parameters.map(\.valuesInShapeOrder) }
func gradients(of fast: NeuralNet.Network) -> [[Float]] { fast.parameters.map { $0.shapeOrder(of: $0.gradient) } }

/// One training step in each engine on the same batch: forward, loss, backward (and an
/// update, when optimisers are given). Returns the logits and losses.
func step(
    fast: NeuralNet.Network, reference: ReferenceNet.Network, input: [Float], labels: [Int],
    optimizers: (fast: any NeuralNet.Optimizer, reference: any ReferenceNet.Optimizer)? = nil, learningRate: Float = 0
) -> (fastLogits: [Float], referenceLogits: [Float], fastLoss: Float, referenceLoss: Float) {
    let matrix = Matrix(rows: labels.count, columns: fast.inputCount, values: input)
    let fastLogits = fast.forward(matrix, isTraining: true)
    let fastLoss = NeuralNet.SoftmaxCrossEntropy(classCount: fast.outputCount)
    let fastValue = fastLoss.loss(logits: fastLogits, labels: labels[...])
    fast.backward(input: matrix, outputGradient: fastLoss.gradient)

    let referenceLogits = reference.forward(input, isTraining: true)
    let referenceLoss = ReferenceNet.SoftmaxCrossEntropy.evaluate(logits: referenceLogits, labels: labels)
    reference.zeroGradients()
    reference.backward(outputGradient: referenceLoss.gradient)

    if let optimizers {
        optimizers.fast.update(fast.parameters, learningRate: learningRate)
        optimizers.reference.update(reference.parameters, learningRate: learningRate)
    }
    return (fastLogits.values, referenceLogits, fastValue, referenceLoss.loss)
}

/// A network of each kind the engines share, on odd shapes, with the batch it is tested on.
enum Architecture: String, CaseIterable, CustomTestStringConvertible {
    /// 7-5-3, dense inputs in [−1, 1).
    case perceptron
    /// 23-19-6-3 on inputs four in five of which are zero, so the fast engine's first layer
    /// takes its sparse products (and its 19 outputs the wide, by-column listing).
    case sparsePerceptron
    /// The small CNN on 9×9 images of `ConvolutionalCase`, with dropout.
    case convolutional
    /// The CLI's LeNet (`--arch cnn`) on 16×16 images, 4 classes, with dropout.
    case leNet

    var testDescription: String { rawValue }

    static let seed: UInt64 = 21

    /// The fast network (weights from `seed`), and the seed its dropout masks come from.
    func makeFast() -> (NeuralNet.Network, dropoutSeed: UInt64) {
        switch self {
        case .perceptron:
            (NeuralNet.Network(inputCount: 7, hiddenLayerSizes: [5], outputCount: 3, seed: Self.seed), 0)
        case .sparsePerceptron:
            (NeuralNet.Network(inputCount: 23, hiddenLayerSizes: [19, 6], outputCount: 3, seed: Self.seed), 0)
        case .convolutional:
            (fastSmallCNN(seed: Self.seed, dropoutSeed: 5), 5)
        case .leNet:
            (NeuralNet.Network.leNet(side: 16, classCount: 4, dropout: 0.25, seed: Self.seed), Self.seed)
        }
    }

    /// A batch of 5 samples (3 for LeNet) and its labels.
    func batch(inputCount: Int) -> (input: [Float], labels: [Int]) {
        let count = self == .leNet ? 3 : 5
        var input = randomValues(count: count * inputCount, seed: 31)
        if self == .sparsePerceptron {
            let keep = randomValues(count: input.count, seed: 32)
            input = zip(input, keep).map { $1 < 0.6 ? 0 : abs($0) }
        }
        return (input, Array([2, 0, 1, 1, 0].prefix(count)))
    }
}

/// The fast twin of the gradient checks' `smallCNN`, plus dropout before the last layer:
/// conv 3×3 (1 → 3, valid) on 9×9, pool 2, ReLU, conv 3×3 (3 → 4, same), ReLU, flatten 36,
/// dense 5, ReLU, dropout 0.3, dense 3.
func fastSmallCNN(seed: UInt64, dropoutSeed: UInt64) -> NeuralNet.Network {
    var generator = NeuralNet.SeededGenerator(seed: seed)
    return NeuralNet.Network(layers: [
        NeuralNet.Conv2D(inputChannels: 1, outputChannels: 3, kernelSize: 3, height: 9, width: 9, padding: .valid,
                         initializer: .xavier, generator: &generator),
        NeuralNet.MaxPool(channels: 3, height: 7, width: 7),
        NeuralNet.ReLU(featureCount: 27),
        NeuralNet.Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, height: 3, width: 3, padding: .same,
                         initializer: .uniform, generator: &generator),
        NeuralNet.ReLU(featureCount: 36),
        NeuralNet.Flatten(featureCount: 36),
        NeuralNet.Dense(inputCount: 36, outputCount: 5, initializer: .uniform, generator: &generator),
        NeuralNet.ReLU(featureCount: 5),
        NeuralNet.Dropout(featureCount: 5, rate: 0.3, seed: dropoutSeed),
        NeuralNet.Dense(inputCount: 5, outputCount: 3, initializer: .he, generator: &generator),
    ])
}

/// Runs `body` with the fast engine limited to `threads` threads.
func withThreads<Result>(_ threads: Int, _ body: () throws -> Result) rethrows -> Result {
    let previous = ComputeThreads.maximum
    defer { ComputeThreads.maximum = previous }
    ComputeThreads.maximum = threads
    return try body()
}

@Suite("The fast engine equals the reference", .serialized)
struct EngineEqualityTests {
    // MARK: Forward and backward

    @Test("Logits, loss and every parameter gradient agree", arguments: Architecture.allCases, [1, 2])
    func forwardAndBackward(architecture: Architecture, threads: Int) {
        withThreads(threads) {
            let (fast, dropoutSeed) = architecture.makeFast()
            let reference = referenceCopy(of: fast, dropoutSeed: dropoutSeed)
            let (input, labels) = architecture.batch(inputCount: fast.inputCount)
            let result = step(fast: fast, reference: reference, input: input, labels: labels)

            #expect(relativeError(result.fastLogits, result.referenceLogits) < engineTolerance)
            #expect(abs(result.fastLoss - result.referenceLoss) <= 1e-5 * abs(result.referenceLoss))
            for (index, (fastGradient, referenceGradient)) in zip(gradients(of: fast), reference.parameters.map(\.gradient)).enumerated() {
                #expect(relativeError(fastGradient, referenceGradient) < engineTolerance, "parameter \(index)")
                #expect(referenceGradient.contains { $0 != 0 }, "parameter \(index) has a gradient to compare")
            }
        }
    }

    @Test("Inference (no dropout, the fast engine's chunked path) agrees", arguments: Architecture.allCases, [1, 2])
    func inference(architecture: Architecture, threads: Int) {
        withThreads(threads) {
            let (fast, dropoutSeed) = architecture.makeFast()
            let reference = referenceCopy(of: fast, dropoutSeed: dropoutSeed)
            let (input, labels) = architecture.batch(inputCount: fast.inputCount)
            let logits = fast.forward(Matrix(rows: labels.count, columns: fast.inputCount, values: input)).values
            #expect(relativeError(logits, reference.forward(input)) < engineTolerance)
            #expect(fast.predict(Matrix(rows: labels.count, columns: fast.inputCount, values: input)) == reference.predict(input))
        }
    }

    // MARK: Optimiser steps

    /// The optimisers compared: each engine's, with the same settings, and the rate to step at.
    static let optimizers: [(name: String, fast: @Sendable () -> any NeuralNet.Optimizer,
                             reference: @Sendable () -> any ReferenceNet.Optimizer, rate: Float)] = [
        ("SGD", { NeuralNet.SGD() }, { ReferenceNet.SGD() }, 0.1),
        ("momentum with weight decay", { NeuralNet.SGD(momentum: 0.9, weightDecay: 0.01) },
         { ReferenceNet.SGD(momentum: 0.9, weightDecay: 0.01) }, 0.05),
        ("Nesterov", { NeuralNet.SGD(momentum: 0.8, nesterov: true) }, { ReferenceNet.SGD(momentum: 0.8, nesterov: true) }, 0.05),
        ("Adam", { NeuralNet.Adam() }, { ReferenceNet.Adam() }, 0.001),
        ("Adam with weight decay", { NeuralNet.Adam(weightDecay: 0.05) }, { ReferenceNet.Adam(weightDecay: 0.05) }, 0.001),
    ]

    /// (LeNet's steps are left out to keep the tests fast: its layers are those of the small CNN.)
    @Test("Parameters after two steps of each optimiser agree",
          arguments: [Architecture.perceptron, .sparsePerceptron, .convolutional], [1, 2])
    func optimizerSteps(architecture: Architecture, threads: Int) {
        withThreads(threads) {
            for optimizer in Self.optimizers {
                let (fast, dropoutSeed) = architecture.makeFast()
                let reference = referenceCopy(of: fast, dropoutSeed: dropoutSeed)
                let before = values(of: fast)
                let (input, labels) = architecture.batch(inputCount: fast.inputCount)
                let pair = (fast: optimizer.fast(), reference: optimizer.reference())
                for stepNumber in 1...2 {
                    _ = step(fast: fast, reference: reference, input: input, labels: labels,
                             optimizers: pair, learningRate: optimizer.rate)
                    for (index, (fastValue, referenceValue)) in zip(values(of: fast), reference.parameters.map(\.value)).enumerated() {
                        #expect(relativeError(fastValue, referenceValue) < engineTolerance,
                                "\(optimizer.name), step \(stepNumber), parameter \(index)")
                        // The change itself agrees, not only the parameters (which hardly move).
                        let fastChange = zip(fastValue, before[index]).map { $0 - $1 }
                        let referenceChange = zip(referenceValue, before[index]).map { $0 - $1 }
                        #expect(relativeError(fastChange, referenceChange) < engineTolerance,
                                "\(optimizer.name), step \(stepNumber), parameter \(index): the step")
                    }
                }
            }
        }
    }

    // MARK: Set-up

    @Test("A seed gives both engines the same initial weights, bit for bit", arguments: ReferenceNet.WeightInitializer.allCases)
    func initialization(initializer: ReferenceNet.WeightInitializer) {
        let fastInitializer = NeuralNet.WeightInitializer(rawValue: initializer.rawValue)!
        let fast = NeuralNet.Network(inputCount: 7, hiddenLayerSizes: [5, 4], outputCount: 3,
                                     initializer: fastInitializer, seed: 8)
        let reference = ReferenceNet.Network(inputCount: 7, hiddenLayerSizes: [5, 4], outputCount: 3,
                                             initializer: initializer, seed: 8)
        #expect(reference.parameters.map(\.value) == values(of: fast))
        let fastLeNet = NeuralNet.Network.leNet(side: 16, classCount: 4, initializer: fastInitializer, seed: 8)
        let referenceLeNet = ReferenceNet.Network.leNet(side: 16, classCount: 4, initializer: initializer, seed: 8)
        #expect(referenceLeNet.parameters.map(\.value) == values(of: fastLeNet))
        #expect(referenceLeNet.parameters.map(\.shape) == fastLeNet.parameters.map(\.shape))
    }

    @Test("Both engines' generators give the same draws, shuffles and schedules")
    func randomnessAndSchedules() {
        var fast = NeuralNet.SeededGenerator(seed: 77, stream: 3)
        var reference = ReferenceNet.SeededGenerator(seed: 77, stream: 3)
        #expect((0..<100).map { _ in fast.next() } == (0..<100).map { _ in reference.next() })
        #expect((0..<50).map { _ in fast.nextNormal() } == (0..<50).map { _ in reference.nextNormal() })
        var (fastOrder, referenceOrder) = (Array(0..<37), Array(0..<37))
        fast.shuffle(&fastOrder)
        reference.shuffle(&referenceOrder)
        #expect(fastOrder == referenceOrder)

        let schedules: [(NeuralNet.LearningRateSchedule, ReferenceNet.LearningRateSchedule)] =
            [(.constant, .constant), (.cosine, .cosine), (.step(epochs: 3, factor: 0.5), .step(epochs: 3, factor: 0.5))]
        for (fastSchedule, referenceSchedule) in schedules {
            for epoch in 0..<10 {
                #expect(fastSchedule.learningRate(base: 0.01, epoch: epoch, totalEpochs: 10)
                        == referenceSchedule.learningRate(base: 0.01, epoch: epoch, totalEpochs: 10))
            }
        }
    }
}
