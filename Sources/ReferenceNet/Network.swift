/// A sequential network: layers applied one after another, each one's output the next one's
/// input. The last layer's outputs are the logits, one a class.
///
/// Backpropagation is the chain rule run backwards through the same list: each layer turns
/// ∂L/∂(its output) into ∂L/∂(its input), which is ∂L/∂(the previous layer's output).
public final class Network {
    /// The layers, input side first.
    public let layers: [any Layer]
    /// The inputs of each layer in the last forward pass, kept for the backward pass.
    private var layerInputs: [[Float]] = []

    /// A network of `layers`; each layer's input count must be its predecessor's output count.
    public init(layers: [any Layer]) {
        precondition(!layers.isEmpty, "a network needs at least one layer")
        for (previous, next) in zip(layers, layers.dropFirst()) {
            precondition(previous.outputCount == next.inputCount,
                         "layer sizes do not chain: \(previous.outputCount) outputs feed \(next.inputCount) inputs")
        }
        self.layers = layers
    }

    /// Features a sample.
    public var inputCount: Int { layers[0].inputCount }
    /// Logits a sample (the number of classes).
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    /// Every trainable parameter, input side first (the checkpoint's order).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The logits for a batch: `input` [B, inputCount] → [B, outputCount].
    public func forward(_ input: [Float], isTraining: Bool = false) -> [Float] {
        layerInputs = []
        var activation = input
        for layer in layers {
            layerInputs.append(activation)
            activation = layer.forward(activation, isTraining: isTraining)
        }
        return activation
    }

    /// Backpropagation for the last forward pass, given ∂L/∂logits: adds every parameter's
    /// gradient (call `zeroGradients()` first) and returns ∂L/∂input.
    @discardableResult
    public func backward(outputGradient: [Float]) -> [Float] {
        precondition(layerInputs.count == layers.count, "backward needs a forward pass first")
        var gradient = outputGradient
        for index in layers.indices.reversed() {
            gradient = layers[index].backward(input: layerInputs[index], outputGradient: gradient)
        }
        return gradient
    }

    /// Sets every parameter's gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    /// The most probable class of each sample in `input` (the first on ties).
    public func predict(_ input: [Float]) -> [Int] {
        let logits = forward(input)
        let classes = outputCount
        return (0..<logits.count / classes).map { b in
            var best = 0
            for j in 1..<classes where logits[b * classes + j] > logits[b * classes + best] { best = j }
            return best
        }
    }
}

extension Network {
    /// A multilayer perceptron: `Dense → ReLU` for each hidden width, then a `Dense` to the
    /// logits, the weights drawn by `initializer` from `SeededGenerator(seed: seed)`.
    public convenience init(inputCount: Int, hiddenLayerSizes: [Int], outputCount: Int,
                            initializer: WeightInitializer = .he, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        var width = inputCount
        for size in hiddenLayerSizes {
            let dense = Dense(inputCount: width, outputCount: size)
            initializer.initialize(dense.weight, dense.bias, generator: &generator)
            layers += [dense, ReLU(featureCount: size)]
            width = size
        }
        let last = Dense(inputCount: width, outputCount: outputCount)
        initializer.initialize(last.weight, last.bias, generator: &generator)
        self.init(layers: layers + [last])
    }

    /// A LeNet-style network for square one-channel images of `side × side`:
    ///
    ///     conv 5×5, 32 filters (valid) → max-pool 2 → ReLU
    ///     conv 5×5, 64 filters (valid) → max-pool 2 → ReLU
    ///     flatten → dense 128 → ReLU → [dropout] → dense classCount
    ///
    /// ReLU after pooling computes the same function as before it (`max` and the rectifier
    /// commute) with a quarter of the work. Weights are drawn from `SeededGenerator(seed: seed)`
    /// in layer order, the dropout masks from `seed`.
    public static func leNet(side: Int, classCount: Int, dropout: Float = 0,
                             initializer: WeightInitializer = .he, seed: UInt64) -> Network {
        var generator = SeededGenerator(seed: seed)
        let conv1 = Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 5, height: side, width: side, padding: .valid)
        let pool1 = MaxPool(channels: 32, height: conv1.outputHeight, width: conv1.outputWidth)
        let conv2 = Conv2D(inputChannels: 32, outputChannels: 64, kernelSize: 5,
                           height: pool1.outputHeight, width: pool1.outputWidth, padding: .valid)
        let pool2 = MaxPool(channels: 64, height: conv2.outputHeight, width: conv2.outputWidth)
        let hidden = Dense(inputCount: pool2.outputCount, outputCount: 128)
        let last = Dense(inputCount: 128, outputCount: classCount)
        for (weight, bias) in [(conv1.weight, conv1.bias), (conv2.weight, conv2.bias),
                               (hidden.weight, hidden.bias), (last.weight, last.bias)] {
            initializer.initialize(weight, bias, generator: &generator)
        }
        var layers: [any Layer] = [
            conv1, pool1, ReLU(featureCount: pool1.outputCount),
            conv2, pool2, ReLU(featureCount: pool2.outputCount),
            Flatten(featureCount: pool2.outputCount), hidden, ReLU(featureCount: 128),
        ]
        if dropout > 0 { layers.append(Dropout(featureCount: 128, rate: dropout, seed: seed)) }
        return Network(layers: layers + [last])
    }
}
