// ReferenceNet: a small neural-network engine written to be read, not to be fast.
//
// It is the oracle the fast engine (`NeuralNet`) is tested against: the same layers, the
// same formulas and the same seeded randomness, written as plain loops over `[Float]`.
// It has no SIMD types, no threads, no unsafe pointers and no caches; it knows nothing of
// images on disk or of any data set.
//
// Reading order: Parameter, Layer (this file), Dense, ReLU, Conv2D, MaxPool, Flatten,
// Dropout, SoftmaxCrossEntropy, Network, Optimizer, SGD, Adam, LearningRateSchedule,
// SeededGenerator, WeightInitializer, Trainer.
//
// One convention everywhere: a batch is a flat row-major `[Float]` whose rows are samples,
// `[B, features]`, element (b, i) at `b * features + i`. Dimension names used in every file:
//   B batch, I inputs, O outputs (per sample), C input channels, F output channels (filters),
//   H × W an input image, K the kernel side, OH × OW an output image, S a pooling window's side.
// An image sample is channel-major, `[C, H, W]`: pixel (c, y, x) at `(c * H + y) * W + x`.

/// One step of a network: a function of a batch, and the backward pass that differentiates it.
///
/// The network sees every layer only through this protocol.
public protocol Layer: AnyObject {
    /// Features per input sample, `I`.
    var inputCount: Int { get }
    /// Features per output sample, `O`.
    var outputCount: Int { get }
    /// The trainable parameters, in the order a checkpoint lists them (empty if none).
    var parameters: [Parameter] { get }

    /// `y = layer(x)` for a batch: `input` is `[B, I]`, the result `[B, O]`.
    /// `isTraining` is true while training (dropout behaves differently then).
    func forward(_ input: [Float], isTraining: Bool) -> [Float]

    /// Given the `input` of the last forward pass and `outputGradient` = ∂L/∂y `[B, O]`,
    /// adds ∂L/∂θ to each parameter's `gradient` and returns ∂L/∂x `[B, I]`.
    func backward(input: [Float], outputGradient: [Float]) -> [Float]
}

extension Layer {
    /// The number of samples in `values`, a batch of this layer's inputs.
    func batchSize(ofInput values: [Float]) -> Int {
        precondition(values.count % inputCount == 0,
                     "\(Self.self) takes \(inputCount) features a sample; \(values.count) values is no whole batch")
        return values.count / inputCount
    }
}
