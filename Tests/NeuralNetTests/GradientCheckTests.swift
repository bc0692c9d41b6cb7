// Each backward pass against the oracle: central differences of the forward pass.
// Tolerance 1e-2 relative with step 1e-3 in Float; a flipped sign gives about 2 and a
// transposed weight gradient well above 0.1, as the tests show.

import Testing
@testable import NeuralNet

@Suite("Gradient checks")
struct GradientCheckTests {
    static let tolerance = 1e-2

    @Test("Dense: dW, db and dx match central differences, and a wrong gradient would not")
    func dense() {
        let layer = Dense(inputCount: 4, outputCount: 4)
        layer.weight.value = randomValues(count: 16, seed: 1)
        layer.bias.value = randomValues(count: 4, seed: 2)
        let input = randomMatrix(rows: 5, columns: 4, seed: 3)
        let upstream = randomMatrix(rows: 5, columns: 4, seed: 4)

        _ = layer.forward(input, isTraining: true)
        let inputGradient = layer.backward(input: input, outputGradient: upstream, needsInputGradient: true).values
        let (weightGradient, biasGradient) = (layer.weight.gradient, layer.bias.gradient)

        let numeric = numericParameterGradients(of: layer, input: input, upstream: upstream)
        let (numericWeight, numericBias) = (numeric[0], numeric[1])
        let numericInput = centralDifferences(at: input.values) { values in
            weightedSum(layer.forward(Matrix(rows: 5, columns: 4, values: values), isTraining: true), upstream)
        }

        #expect(relativeError(weightGradient, numericWeight) < Self.tolerance)
        #expect(relativeError(biasGradient, numericBias) < Self.tolerance)
        #expect(relativeError(inputGradient, numericInput) < Self.tolerance)
        // The check has teeth: a flipped sign or a transposed dW fails it.
        #expect(relativeError(weightGradient.map { -$0 }, numericWeight) > 1)
        #expect(relativeError(transposed(weightGradient, rows: 4, columns: 4), numericWeight) > 0.1)
    }

    @Test("ReLU: dx matches central differences away from the kink")
    func relu() {
        let layer = ReLU(featureCount: 6)
        // Keep inputs at least 0.1 from zero so that a step of 1e-3 never crosses the kink.
        let values = randomValues(count: 18, seed: 5).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 }
        let input = Matrix(rows: 3, columns: 6, values: values)
        let upstream = randomMatrix(rows: 3, columns: 6, seed: 6)

        _ = layer.forward(input, isTraining: true)
        let analytic = layer.backward(input: input, outputGradient: upstream, needsInputGradient: true).values
        let numeric = centralDifferences(at: values) { probe in
            weightedSum(layer.forward(Matrix(rows: 3, columns: 6, values: probe), isTraining: true), upstream)
        }
        #expect(relativeError(analytic, numeric) < Self.tolerance)
        #expect(relativeError(upstream.values, numeric) > 0.1, "the gradient is not simply passed through")
    }

    @Test("Softmax cross-entropy: ∂L/∂logits = (p − onehot) / batch matches central differences")
    func softmaxCrossEntropy() {
        let loss = SoftmaxCrossEntropy(classCount: 5)
        let logits = Matrix(rows: 4, columns: 5, values: randomValues(count: 20, seed: 7).map { 3 * $0 })
        let labels = [0, 3, 4, 3][...]

        _ = loss.loss(logits: logits, labels: labels)
        let analytic = loss.gradient.values
        let numeric = centralDifferences(at: logits.values) { probe in
            Double(loss.loss(logits: Matrix(rows: 4, columns: 5, values: probe), labels: labels))
        }
        #expect(relativeError(analytic, numeric) < Self.tolerance)
        #expect(relativeError(analytic.map { -$0 }, numeric) > 1)
    }

    @Test("A network with two hidden layers: every parameter's gradient matches central differences")
    func twoHiddenLayerNetwork() {
        let network = Network(inputCount: 6, hiddenLayerSizes: [5, 4], outputCount: 3, seed: 8)
        for layer in network.layers {
            (layer as? Dense)?.bias.value = randomValues(count: layer.outputCount, seed: 9).map { 0.1 * $0 }
        }
        let input = randomMatrix(rows: 4, columns: 6, seed: 10)
        let labels = [2, 0, 1, 2][...]
        let loss = SoftmaxCrossEntropy(classCount: 3)
        func lossValue() -> Double {
            Double(loss.loss(logits: network.forward(input, isTraining: true), labels: labels))
        }

        _ = lossValue()
        network.backward(input: input, outputGradient: loss.gradient)
        let parameters = network.parameters
        #expect(parameters.count == 6)
        let numeric = numericGradients(of: parameters, loss: lossValue)
        for (parameter, numeric) in zip(parameters, numeric) {
            #expect(relativeError(parameter.gradient, numeric) < Self.tolerance, "parameter of shape \(parameter.shape)")
        }
    }
}
