/// A trainable tensor and the gradient of the loss with respect to it.
///
/// A class, so that the layer that uses it and the optimiser that updates it share one copy.
/// `value` and `gradient` are row-major in `shape`, exactly as a checkpoint stores the tensor.
public final class Parameter {
    /// Outermost first: `[O, I]` for a dense weight, `[F, C, K, K]` for a convolution's, `[O]` for a bias.
    public let shape: [Int]
    /// The elements, row-major in `shape`.
    public var value: [Float]
    /// ∂L/∂value, accumulated by backward passes since the last `zeroGradient()`.
    public var gradient: [Float]
    /// Whether L2 weight decay applies to it: true for weights, false for biases.
    public let isDecayed: Bool

    /// A parameter of zeros.
    public init(shape: [Int], isDecayed: Bool) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.value = [Float](repeating: 0, count: count)
        self.gradient = [Float](repeating: 0, count: count)
        self.isDecayed = isDecayed
    }

    /// Sets the gradient to zero, before a backward pass.
    public func zeroGradient() {
        gradient = [Float](repeating: 0, count: value.count)
    }
}
