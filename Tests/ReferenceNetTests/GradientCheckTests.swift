// Every backward pass against the oracle: central differences of the forward pass, on small
// odd shapes. A layer is checked on `L = Σ upstream ⊙ layer.forward(x)` (so ∂L/∂y = upstream),
// the loss on its own value.
//
// Dense, Conv2D, Flatten and Dropout are linear in what is probed, and ReLU and MaxPool are
// where no probe crosses a kink or a tie, so there the differences are exact but for Float
// rounding: with a step of 1e-2 the relative error is about 1e-5, and the tolerance is 1e-3.
// The loss and whole networks are curved: step 1e-3, tolerance 1e-2 (as in NeuralNet's own
// gradient checks). A flipped sign gives about 2.

import Testing
import ReferenceNet

/// Relative errors of `layer`'s backward pass against central differences of
/// `Σ upstream ⊙ forward(x)`: of ∂L/∂x, and of each parameter's gradient.
/// `forward` defaults to the layer's own training forward pass.
func gradientCheck(
    _ layer: some Layer, input: [Float], step: Float = 1e-2, upstreamSeed: UInt64 = 99,
    forward: (([Float]) -> [Float])? = nil
) -> (input: Double, parameters: [Double]) {
    let forward = forward ?? { layer.forward($0, isTraining: true) }
    let output = layer.forward(input, isTraining: true)
    let upstream = randomValues(count: output.count, seed: upstreamSeed)
    for parameter in layer.parameters { parameter.zeroGradient() }
    let inputGradient = layer.backward(input: input, outputGradient: upstream)
    let parameterGradients = layer.parameters.map(\.gradient)

    let numericInput = centralDifferences(at: input, step: step) { weightedSum(forward($0), upstream) }
    let numericParameters = numericGradients(of: layer.parameters, step: step) { weightedSum(forward(input), upstream) }
    return (relativeError(inputGradient, numericInput), zip(parameterGradients, numericParameters).map(relativeError))
}

@Suite("Gradient checks")
struct GradientCheckTests {
    static let linearTolerance = 1e-3
    static let curvedTolerance = 1e-2

    // MARK: Layers

    @Test("Dense 7 → 5 on a batch of 3: dW, db and dx match, and a flipped dW would not")
    func dense() {
        let layer = Dense(inputCount: 7, outputCount: 5)
        layer.weight.value = randomValues(count: 35, seed: 1)
        layer.bias.value = randomValues(count: 5, seed: 2)
        let input = randomValues(count: 21, seed: 3)
        let errors = gradientCheck(layer, input: input)
        #expect(errors.input < Self.linearTolerance)
        #expect(errors.parameters.allSatisfy { $0 < Self.linearTolerance }, "\(errors.parameters)")

        let upstream = randomValues(count: 15, seed: 99)
        let numeric = numericGradients(of: [layer.weight], step: 1e-2) {
            weightedSum(layer.forward(input, isTraining: true), upstream)
        }[0]
        #expect(relativeError(layer.weight.gradient.map { -$0 }, numeric) > 1, "the check has teeth")
    }

    @Test("Gradients accumulate: two backward passes add up")
    func accumulation() {
        let layer = Dense(inputCount: 3, outputCount: 2)
        layer.weight.value = randomValues(count: 6, seed: 4)
        let input = randomValues(count: 6, seed: 5), upstream = randomValues(count: 4, seed: 6)
        _ = layer.backward(input: input, outputGradient: upstream)
        let once = layer.weight.gradient
        _ = layer.backward(input: input, outputGradient: upstream)
        #expect(layer.weight.gradient == once.map { 2 * $0 })
    }

    @Test("ReLU on 3 × 6: dx matches away from the kink")
    func relu() {
        let errors = gradientCheck(ReLU(featureCount: 6), input: valuesAwayFromZero(count: 18, margin: 0.05, seed: 7))
        #expect(errors.input < Self.linearTolerance)
    }

    @Test("Conv2D, 2 → 3 channels, 3×3 kernel, 5×6 images, batch 2, both paddings", arguments: Padding.allCases)
    func conv2D(padding: Padding) {
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, height: 5, width: 6, padding: padding)
        layer.weight.value = randomValues(count: 54, seed: 8)
        layer.bias.value = randomValues(count: 3, seed: 9)
        #expect(layer.outputCount == (padding == .same ? 3 * 5 * 6 : 3 * 3 * 4))
        let errors = gradientCheck(layer, input: randomValues(count: 2 * layer.inputCount, seed: 10))
        #expect(errors.input < Self.linearTolerance)
        #expect(errors.parameters.allSatisfy { $0 < Self.linearTolerance }, "\(errors.parameters)")
    }

    @Test("Conv2D with an even 2×2 kernel (valid) on one channel of 4×3")
    func conv2DEvenKernel() {
        let layer = Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 2, height: 4, width: 3, padding: .valid)
        layer.weight.value = randomValues(count: 8, seed: 11)
        let errors = gradientCheck(layer, input: randomValues(count: 3 * 12, seed: 12))
        #expect(errors.input < Self.linearTolerance)
        #expect(errors.parameters.allSatisfy { $0 < Self.linearTolerance }, "\(errors.parameters)")
    }

    @Test("MaxPool over 2 channels of 5×7, windows of 2 and 3 (ragged edges dropped)", arguments: [2, 3])
    func maxPool(size: Int) {
        let layer = MaxPool(channels: 2, height: 5, width: 7, size: size)
        let input = distinctValues(count: 3 * layer.inputCount, gap: 0.05, seed: 13)
        let errors = gradientCheck(layer, input: input)
        #expect(errors.input < Self.linearTolerance)
    }

    @Test("MaxPool on ties: the first input in reading order wins, forward and backward")
    func maxPoolTies() {
        let layer = MaxPool(channels: 1, height: 2, width: 2)
        #expect(layer.forward([1, 1, 1, 0], isTraining: true) == [1])
        #expect(layer.backward(input: [1, 1, 1, 0], outputGradient: [5]) == [5, 0, 0, 0])
    }

    @Test("Flatten passes values and gradients through")
    func flatten() {
        let errors = gradientCheck(Flatten(featureCount: 5), input: randomValues(count: 10, seed: 14))
        #expect(errors.input < Self.linearTolerance)
    }

    @Test("Dropout: dx matches for a fixed mask; about rate of the features are dropped; evaluation is identity")
    func dropout() {
        let input = randomValues(count: 3 * 11, seed: 15)
        // Each fresh layer of the same seed draws the same first mask.
        let errors = gradientCheck(Dropout(featureCount: 11, rate: 0.4, seed: 5), input: input) { probe in
            Dropout(featureCount: 11, rate: 0.4, seed: 5).forward(probe, isTraining: true)
        }
        #expect(errors.input < Self.linearTolerance)

        let layer = Dropout(featureCount: 1000, rate: 0.4, seed: 5)
        let ones = [Float](repeating: 1, count: 1000)
        let first = layer.forward(ones, isTraining: true)
        let dropped = first.filter { $0 == 0 }.count
        #expect((340...460).contains(dropped))
        #expect(first.allSatisfy { $0 == 0 || abs($0 - 1 / 0.6) < 1e-6 })
        #expect(layer.forward(ones, isTraining: true) != first, "each training pass draws a new mask")
        #expect(layer.forward(ones, isTraining: false) == ones)
    }

    // MARK: The loss

    @Test("Softmax cross-entropy over 4 samples of 5 classes: ∂L/∂z = (p − onehot) / B")
    func softmaxCrossEntropy() {
        let logits = randomValues(count: 20, seed: 16).map { 3 * $0 }
        let labels = [0, 3, 4, 3]
        let result = SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels)
        #expect(abs(Double(result.loss) - meanCrossEntropy(logits, labels: labels)) < 1e-6)
        let numeric = centralDifferences(at: logits, step: 1e-3) { meanCrossEntropy($0, labels: labels) }
        #expect(relativeError(result.gradient, numeric) < Self.curvedTolerance)
        for b in 0..<4 {
            #expect(abs(result.probabilities[b * 5 ..< b * 5 + 5].reduce(0, +) - 1) < 1e-6)
        }
    }

    @Test("Softmax cross-entropy stays finite for logits in the thousands")
    func softmaxCrossEntropyIsStable() {
        let result = SoftmaxCrossEntropy.evaluate(logits: [1000, 0, -1000, 2000, 2000, 0], labels: [0, 2])
        #expect(result.loss.isFinite)
        #expect(abs(result.loss - (2000 + 0.6931472) / 2) < 1e-2)
        #expect(result.correctCount == 1)
    }

    // MARK: Whole networks

    @Test("A 7-5-4-3 perceptron: every parameter's gradient through the loss")
    func perceptron() {
        let network = Network(inputCount: 7, hiddenLayerSizes: [5, 4], outputCount: 3, seed: 3)
        let input = randomValues(count: 5 * 7, seed: 17), labels = [0, 2, 1, 2, 0]
        #expect(networkGradientErrors(network, input: input, labels: labels).allSatisfy { $0 < Self.curvedTolerance })
    }

    @Test("A small CNN on 9×9 images: conv valid → pool → ReLU → conv same → ReLU → flatten → dense")
    func convolutionalNetwork() {
        // Seeds for which no probe moves a pre-activation across a rectifier's kink or a
        // pool's winner (some seeds do, and then the numeric gradient is off by the jump).
        let network = smallCNN(seed: 1)
        let input = randomValues(count: 3 * 81, seed: 19), labels = [1, 0, 2]
        let errors = networkGradientErrors(network, input: input, labels: labels)
        #expect(errors.allSatisfy { $0 < Self.curvedTolerance }, "\(errors)")
    }
}

/// conv 3×3 (1 → 3, valid) 9×9 → 7×7, pool 2 → 3×3, ReLU, conv 3×3 (3 → 4, same), ReLU,
/// flatten 36, dense 5, ReLU, dense 3; He weights from `seed`, and biases set nonzero too.
func smallCNN(seed: UInt64) -> Network {
    let conv1 = Conv2D(inputChannels: 1, outputChannels: 3, kernelSize: 3, height: 9, width: 9, padding: .valid)
    let pool = MaxPool(channels: 3, height: 7, width: 7)
    let conv2 = Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, height: 3, width: 3, padding: .same)
    let hidden = Dense(inputCount: 36, outputCount: 5), last = Dense(inputCount: 5, outputCount: 3)
    var generator = SeededGenerator(seed: seed)
    for (index, (weight, bias)) in [(conv1.weight, conv1.bias), (conv2.weight, conv2.bias),
                                    (hidden.weight, hidden.bias), (last.weight, last.bias)].enumerated() {
        WeightInitializer.he.initialize(weight, bias, generator: &generator)
        bias.value = randomValues(count: bias.value.count, seed: seed + UInt64(index)).map { $0 / 10 }
    }
    return Network(layers: [conv1, pool, ReLU(featureCount: 27), conv2, ReLU(featureCount: 36),
                            Flatten(featureCount: 36), hidden, ReLU(featureCount: 5), last])
}

/// For each parameter of `network`, the relative error of its backpropagated gradient of the
/// mean cross-entropy against central differences.
func networkGradientErrors(_ network: Network, input: [Float], labels: [Int], step: Float = 1e-3) -> [Double] {
    let loss = SoftmaxCrossEntropy.evaluate(logits: network.forward(input, isTraining: true), labels: labels)
    network.zeroGradients()
    network.backward(outputGradient: loss.gradient)
    let analytic = network.parameters.map(\.gradient)
    let numeric = numericGradients(of: network.parameters, step: step) {
        meanCrossEntropy(network.forward(input, isTraining: true), labels: labels)
    }
    return zip(analytic, numeric).map(relativeError)
}
