import Foundation

/// A sequential network: layers applied one after another, the output of each the input
/// of the next. The last layer's outputs are the logits, one a class.
public final class Network {
    /// The layers, input side first.
    public let layers: [any Layer]
    /// Room for the hidden activations of a forward pass in chunks (see `forwardInChunks`).
    let chunkActivations = ScratchBuffer()
    /// Features per input sample.
    public var inputCount: Int { layers.first!.inputCount }
    /// Logits per sample (the number of classes).
    public var outputCount: Int { layers.last!.outputCount }

    /// A network of `layers`, each layer's input count equal to its predecessor's output count.
    public init(layers: [any Layer]) {
        precondition(!layers.isEmpty, "A network needs at least one layer")
        for (previous, next) in zip(layers, layers.dropFirst()) {
            precondition(previous.outputCount == next.inputCount,
                         "Layer sizes do not chain: \(previous.outputCount) outputs feed \(next.inputCount) inputs")
        }
        self.layers = layers
    }

    /// A multilayer perceptron: `Dense → ReLU` for each hidden size, then a final `Dense` to
    /// the logits, weights drawn from `SeededGenerator(seed: seed)`.
    public convenience init(
        inputCount: Int, hiddenLayerSizes: [Int], outputCount: Int,
        initializer: WeightInitializer = .he, seed: UInt64
    ) {
        var generator = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        var width = inputCount
        for size in hiddenLayerSizes {
            layers.append(Dense(inputCount: width, outputCount: size, initializer: initializer, generator: &generator))
            layers.append(ReLU(featureCount: size))
            width = size
        }
        layers.append(Dense(inputCount: width, outputCount: outputCount, initializer: initializer, generator: &generator))
        self.init(layers: layers)
    }

    /// A network with zero parameters built from an architecture list, as a checkpoint stores it.
    /// Returns nil when the list is empty, starts with a layer whose size is unknown, or does not chain.
    public convenience init?(architecture: [LayerDescription]) {
        var layers: [any Layer] = []
        var width: Int?
        for description in architecture {
            switch description {
            case let .dense(inputCount, outputCount):
                guard inputCount > 0, outputCount > 0, width == nil || width == inputCount else { return nil }
                layers.append(Dense(inputCount: inputCount, outputCount: outputCount))
                width = outputCount
            case .relu:
                guard let features = width else { return nil }
                layers.append(ReLU(featureCount: features))
            case let .conv2d(inputChannels, outputChannels, kernelSize, padding, height, width: imageWidth):
                let sizes = [inputChannels, outputChannels, kernelSize, height, imageWidth]
                guard sizes.allSatisfy({ (1...Self.largestImageSize).contains($0) }),
                      padding == .same ? kernelSize % 2 == 1 : kernelSize <= min(height, imageWidth),
                      inputChannels * height * imageWidth <= Self.largestImageSize * Self.largestImageSize,
                      width == nil || width == inputChannels * height * imageWidth
                else { return nil }
                let layer = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                   height: height, width: imageWidth, padding: padding)
                layers.append(layer)
                width = layer.outputCount
            case let .maxPool(size, channels, height, width: imageWidth):
                let sizes = [size, channels, height, imageWidth]
                guard sizes.allSatisfy({ (1...Self.largestImageSize).contains($0) }),
                      size <= min(height, imageWidth),
                      width == nil || width == channels * height * imageWidth
                else { return nil }
                let layer = MaxPool(channels: channels, height: height, width: imageWidth, size: size)
                layers.append(layer)
                width = layer.outputCount
            case .flatten:
                guard let features = width else { return nil }
                layers.append(Flatten(featureCount: features))
            case let .dropout(rate):
                guard let features = width, (0..<1).contains(rate) else { return nil }
                layers.append(Dropout(featureCount: features, rate: rate))
            }
        }
        guard !layers.isEmpty else { return nil }
        self.init(layers: layers)
    }

    /// The largest side, channel count or kernel a stored architecture may give an image layer
    /// (and the largest image is this squared), so a corrupt file cannot ask for gigabytes.
    static let largestImageSize = 4096

    /// The layers' descriptions, as stored in a checkpoint.
    public var architecture: [LayerDescription] { layers.map(\.layerDescription) }

    /// Every trainable parameter, input side first.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The logits for `input` (`[batch, inputCount]` → `[batch, outputCount]`).
    ///
    /// The result is the last layer's own buffer: read it before the next forward pass. A
    /// multilayer perceptron (dense layers and rectifiers) computes an inference pass
    /// (`isTraining` false) a chunk of rows at a time through all its layers, and leaves the
    /// hidden layers' outputs as they were.
    @discardableResult
    public func forward(_ input: Matrix, isTraining: Bool = false) -> Matrix {
        precondition(input.columns == inputCount, "The network expects \(inputCount) features, got \(input.columns)")
        if !isTraining, input.rows > 0, let logits = input.values.withUnsafeBufferPointer({
            forwardInChunks(rows: input.rows, input: .floats($0.baseAddress!))
        }) {
            return logits
        }
        return forward(throughLayersAfter: -1, input, isTraining: isTraining)
    }

    /// Runs `activation` through the layers after `layer` (all of them when it is −1).
    private func forward(throughLayersAfter layer: Int, _ activation: Matrix, isTraining: Bool) -> Matrix {
        layers[(layer + 1)...].reduce(activation) { $1.forward($0, isTraining: isTraining) }
    }

    /// Backpropagation: given the input of the last forward pass and ∂L/∂logits, fills every
    /// parameter's gradient by the chain rule, each layer passing ∂L/∂(its input) to its predecessor.
    public func backward(input: Matrix, outputGradient: Matrix) {
        _ = layers[0].backward(input: input, outputGradient: firstLayerOutputGradient(outputGradient),
                               needsInputGradient: false)
    }

    /// ∂L/∂(the first layer's output), from ∂L/∂logits: backpropagation through every layer
    /// but the first, each filling its parameters' gradients.
    private func firstLayerOutputGradient(_ outputGradient: Matrix) -> Matrix {
        layers.indices.dropFirst().reversed().reduce(outputGradient) { gradient, index in
            layers[index].backward(input: layers[index - 1].output, outputGradient: gradient, needsInputGradient: true)
        }
    }

    /// The logits for a loaded batch: `forward(batch.features)`, except that a batch kept as
    /// bytes goes into the first layer (a `Dense`) as bytes.
    func forward(_ batch: Batch, isTraining: Bool) -> Matrix {
        guard let bytes = batch.featureBytes, let first = layers.first as? Dense else {
            return forward(batch.features, isTraining: isTraining)
        }
        if !isTraining, let logits = bytes.withUnsafeBufferPointer({ bytes in
            batch.withSamples { forwardInChunks(rows: $0.count, input: .bytes(bytes.baseAddress!, samples: $0)) }
        }) {
            return logits
        }
        let firstOutput = batch.withSamples { first.forward(bytes: bytes, samples: $0, isTraining: isTraining) }
        return forward(throughLayersAfter: 0, firstOutput, isTraining: isTraining)
    }

    /// Backpropagation for the batch of the last `forward(_:isTraining:)`. For a batch kept as
    /// bytes, the first `Dense` layer takes its gradients from the nonzero features it listed
    /// in the forward pass (there is no input matrix, and no input gradient is needed), and
    /// takes its weights' step itself where `descentRate` gives one for them (see
    /// `Dense.backwardFromBytes`).
    func backward(_ batch: Batch, outputGradient: Matrix, descentRate: (Parameter) -> Float? = { _ in nil }) {
        guard batch.featureBytes != nil, let first = layers.first as? Dense else {
            return backward(input: batch.features, outputGradient: outputGradient)
        }
        first.backwardFromBytes(outputGradient: firstLayerOutputGradient(outputGradient), descentRate: descentRate)
    }

    /// Has the first layer start listing the nonzero features of the next batch, kept as
    /// bytes like `batch`, on another thread (see `Dense.listAhead`). Returns false (and does
    /// nothing) when `batch` is not kept as bytes or only one thread is allowed.
    func listAhead(like batch: Batch, samples: ArraySlice<Int>) -> Bool {
        guard let bytes = batch.featureBytes, let first = layers.first as? Dense,
              ComputeThreads.maximum > 1, !samples.isEmpty else { return false }
        first.listAhead(bytes: bytes, samples: samples)
        return true
    }

    /// Whether the first layer takes batches kept as bytes (see `Batch`).
    var takesByteBatches: Bool { layers.first is Dense }

    /// The softmax probabilities for each row of `input`, `[batch, outputCount]`.
    public func probabilities(for input: Matrix) -> Matrix {
        var result = forward(input)
        for row in 0..<result.rows {
            let start = row * result.columns
            let logits = result.values[start ..< start + result.columns]
            let maximum = logits.max()!
            var sum: Float = 0
            for j in logits.indices {
                result.values[j] = Foundation.exp(result.values[j] - maximum)
                sum += result.values[j]
            }
            for j in logits.indices {
                result.values[j] /= sum
            }
        }
        return result
    }

    /// The most probable class of each row of `input`.
    public func predict(_ input: Matrix) -> [Int] {
        forward(input).columnsOfRowMaxima()
    }
}

extension Matrix {
    /// The column of each row's largest value (the first one on ties).
    func columnsOfRowMaxima() -> [Int] {
        guard columns > 0 else { return [Int](repeating: 0, count: rows) }
        return values.withUnsafeBufferPointer { values in
            (0..<rows).map { row in
                let first = row * columns
                var (best, largest) = (0, values[first])
                // Selects instead of branching: which value is largest is anybody's guess.
                for column in 1..<columns {
                    let value = values[first + column]
                    best = value > largest ? column : best
                    largest = value > largest ? value : largest
                }
                return best
            }
        }
    }
}

extension Network: CustomStringConvertible {
    /// The widths from input to logits, as in `784-128-10`; a convolution appears as
    /// `conv5x5x32` (kernel and filters) and a pooling layer as `pool2`, as in
    /// `784-conv5x5x32-pool2-conv5x5x64-pool2-128-10`.
    public var description: String {
        var parts = [String(inputCount)]
        for layer in layers {
            switch layer.layerDescription {
            case let .dense(_, outputCount): parts.append(String(outputCount))
            case let .conv2d(_, outputChannels, kernelSize, padding, _, _):
                parts.append("conv\(kernelSize)x\(kernelSize)x\(outputChannels)" + (padding == .same ? "same" : ""))
            case let .maxPool(size, _, _, _): parts.append("pool\(size)")
            case .relu, .flatten, .dropout: break
            }
        }
        return parts.joined(separator: "-")
    }
}
