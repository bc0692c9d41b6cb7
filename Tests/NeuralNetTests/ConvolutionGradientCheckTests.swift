// The image layers against their oracles: a direct (loop-nest) convolution for Conv2D's
// forward pass, and central differences for every backward pass, on tiny shapes.

import Testing
@testable import NeuralNet

@Suite("Convolution layers")
struct ConvolutionLayerTests {
    static let tolerance = GradientCheckTests.tolerance

    // MARK: Conv2D

    @Test("Conv2D forward equals the direct convolution", arguments: Padding.allCases)
    func convolutionForward(padding: Padding) {
        let (c, f, k, h, w) = (2, 3, 3, 5, 4)
        let layer = Conv2D(inputChannels: c, outputChannels: f, kernelSize: k, height: h, width: w, padding: padding)
        layer.weight.value = randomValues(count: f * c * k * k, seed: 11)
        layer.bias.value = randomValues(count: f, seed: 12)
        let input = randomMatrix(rows: 2, columns: c * h * w, seed: 13)
        let output = layer.forward(input, isTraining: false)

        let pad = padding == .same ? 1 : 0
        let (oh, ow) = (layer.outputHeight, layer.outputWidth)
        #expect((oh, ow) == (padding == .same ? (5, 4) : (3, 2)))
        for sample in 0..<2 {
            for filter in 0..<f {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = layer.bias.value[filter]
                        for channel in 0..<c {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let (iy, ix) = (oy + ky - pad, ox + kx - pad)
                                    guard (0..<h).contains(iy), (0..<w).contains(ix) else { continue }
                                    sum += layer.weight.value[((filter * c + channel) * k + ky) * k + kx]
                                        * input[sample, (channel * h + iy) * w + ix]
                                }
                            }
                        }
                        let actual = output[sample, (filter * oh + oy) * ow + ox]
                        #expect(abs(actual - sum) < 1e-5, "sample \(sample) filter \(filter) at (\(oy), \(ox))")
                    }
                }
            }
        }
    }

    @Test("Conv2D: dW, db and dx match central differences", arguments: Padding.allCases)
    func convolutionGradients(padding: Padding) {
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, height: 5, width: 4, padding: padding)
        layer.weight.value = randomValues(count: 54, seed: 21)
        layer.bias.value = randomValues(count: 3, seed: 22)
        let analytic = checkGradients(of: layer, batch: 2, seed: 23)
        // The check has teeth: a flipped filter gradient fails it.
        #expect(relativeError(analytic.parameters[0].map { -$0 }, analytic.numericParameters[0]) > 1)
    }

    @Test("Conv2D with one input channel, as the first layer")
    func convolutionFirstLayer() {
        let layer = Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, height: 4, width: 4, padding: .valid)
        layer.weight.value = randomValues(count: 18, seed: 24)
        _ = checkGradients(of: layer, batch: 3, seed: 25)
    }

    // MARK: Pooling, flatten, dropout

    @Test("MaxPool: each output is its window's largest input, and dy flows to that input")
    func maxPool() {
        let layer = MaxPool(channels: 2, height: 4, width: 5)  // the fifth column is dropped
        #expect(layer.outputCount == 2 * 2 * 2)
        let input = Matrix(rows: 1, columns: 40, values: (0..<40).map { Float(($0 * 7) % 40) / 8 })
        let output = layer.forward(input, isTraining: true)
        let planes = input.values
        for channel in 0..<2 {
            for oy in 0..<2 {
                for ox in 0..<2 {
                    let window = [0, 1, 5, 6].map { planes[channel * 20 + 2 * oy * 5 + 2 * ox + $0] }
                    #expect(output[0, (channel * 2 + oy) * 2 + ox] == window.max()!)
                }
            }
        }
        // Distinct inputs, so a step of 1e-3 never changes a window's winner.
        _ = checkGradients(of: layer, input: Matrix(rows: 2, columns: 40, values: (0..<80).map { Float(($0 * 37) % 80) / 10 }), seed: 31)
    }

    @Test("Flatten: y = x and dx = dy")
    func flatten() {
        let layer = Flatten(featureCount: 6)
        let input = randomMatrix(rows: 2, columns: 6, seed: 41)
        #expect(layer.forward(input, isTraining: true) == input)
        _ = checkGradients(of: layer, batch: 2, seed: 42)
    }

    @Test("Dropout: with a seeded mask dx matches central differences; at evaluation it passes x through")
    func dropout() {
        let input = randomMatrix(rows: 4, columns: 10, seed: 51)
        let upstream = randomMatrix(rows: 4, columns: 10, seed: 52)
        // A fresh layer from the same seed draws the same mask for every probe.
        func freshLayer() -> Dropout { Dropout(featureCount: 10, rate: 0.5, seed: 9) }
        let layer = freshLayer()
        let output = layer.forward(input, isTraining: true)
        let analytic = layer.backward(input: input, outputGradient: upstream, needsInputGradient: true).values
        let numeric = centralDifferences(at: input.values) { probe in
            weightedSum(freshLayer().forward(Matrix(rows: 4, columns: 10, values: probe), isTraining: true), upstream)
        }
        #expect(relativeError(analytic, numeric) < Self.tolerance)
        let dropped = output.values.filter { $0 == 0 }.count
        #expect(dropped > 5 && dropped < 35, "about half of 40 features dropped, got \(dropped)")
        let kept = zip(output.values, input.values).filter { $0.0 != 0 }
        #expect(kept.allSatisfy { abs($0.0 - 2 * $0.1) < 1e-6 }, "kept features are scaled by 1 / (1 − rate)")
        #expect(layer.forward(input, isTraining: false) == input)
    }

    // MARK: A small network end to end

    @Test("A small conv network with a loss: every parameter's gradient matches central differences")
    func convolutionalNetwork() {
        var generator = SeededGenerator(seed: 61)
        let conv = Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, height: 6, width: 6, padding: .same,
                          initializer: .he, generator: &generator)
        let pool = MaxPool(channels: 2, height: 6, width: 6)
        let conv2 = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 2, height: 3, width: 3, padding: .valid,
                           initializer: .he, generator: &generator)
        let dense = Dense(inputCount: 12, outputCount: 4, initializer: .he, generator: &generator)
        let network = Network(layers: [conv, pool, ReLU(featureCount: 18), conv2, Flatten(featureCount: 12), dense])
        for parameter in network.parameters where !parameter.isDecayed {
            parameter.value = randomValues(count: parameter.value.count, seed: 62).map { 0.1 * $0 }
        }
        let input = randomMatrix(rows: 3, columns: 36, seed: 63)
        let labels = [1, 3, 0][...]
        let loss = SoftmaxCrossEntropy(classCount: 4)
        func lossValue() -> Double {
            Double(loss.loss(logits: network.forward(input, isTraining: true), labels: labels))
        }
        _ = lossValue()
        network.backward(input: input, outputGradient: loss.gradient)
        let numeric = numericGradients(of: network.parameters, loss: lossValue)
        for (index, parameter) in network.parameters.enumerated() {
            #expect(relativeError(parameter.gradient, numeric[index]) < Self.tolerance, "parameter \(index)")
        }
    }

    @Test("The LeNet network maps 28×28 images to 10 logits through 1,024 features")
    func leNetShapes() {
        let network = Network.leNet(seed: 1)
        #expect(network.inputCount == 784 && network.outputCount == 10)
        #expect(network.description == "784-conv5x5x32-pool2-conv5x5x64-pool2-128-10")
        #expect(network.layers.compactMap { $0 as? Flatten }.first?.inputCount == 1024)
        #expect(network.parameters.map(\.shape) == [[32, 1, 5, 5], [32], [64, 32, 5, 5], [64], [128, 1024], [128], [10, 128], [10]])
        let output = network.forward(randomMatrix(rows: 2, columns: 784, seed: 2))
        #expect(output.rows == 2 && output.columns == 10)
    }
}

/// Gradients from `layer.backward` and from central differences of `Σ upstream ⊙ forward(x)`.
struct GradientComparison {
    var input: [Float]
    var numericInput: [Float]
    var parameters: [[Float]]
    var numericParameters: [[Float]]
}

/// Checks dx and every parameter gradient of `layer` against central differences on a random
/// input of `batch` rows, and returns both for further checks.
func checkGradients(of layer: any Layer, batch: Int, seed: UInt64) -> GradientComparison {
    checkGradients(of: layer, input: randomMatrix(rows: batch, columns: layer.inputCount, seed: seed), seed: seed + 1)
}

func checkGradients(of layer: any Layer, input: Matrix, seed: UInt64) -> GradientComparison {
    let upstream = randomMatrix(rows: input.rows, columns: layer.outputCount, seed: seed)
    _ = layer.forward(input, isTraining: true)
    let inputGradient = layer.backward(input: input, outputGradient: upstream, needsInputGradient: true).values
    let parameterGradients = layer.parameters.map(\.gradient)
    let numericInput = centralDifferences(at: input.values) { probe in
        weightedSum(layer.forward(Matrix(rows: input.rows, columns: input.columns, values: probe), isTraining: true), upstream)
    }
    let numericParameters = layer.parameters.map { parameter in
        let original = parameter.value
        defer { parameter.value = original }
        return centralDifferences(at: original) { probe in
            parameter.value = probe
            return weightedSum(layer.forward(input, isTraining: true), upstream)
        }
    }
    #expect(relativeError(inputGradient, numericInput) < GradientCheckTests.tolerance, "dx")
    for (index, (analytic, numeric)) in zip(parameterGradients, numericParameters).enumerated() {
        #expect(relativeError(analytic, numeric) < GradientCheckTests.tolerance, "parameter \(index)")
    }
    return GradientComparison(input: inputGradient, numericInput: numericInput,
                              parameters: parameterGradients, numericParameters: numericParameters)
}
