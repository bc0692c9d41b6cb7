/// A trainable tensor and the gradient of the loss with respect to it.
///
/// A class, so that a layer and the optimiser share one copy: the layer reads `value` and
/// writes `gradient` in its backward pass, the optimiser updates `value` in place.
public final class Parameter {
    /// The tensor's shape, outermost first: `[out, in]` for a dense weight, `[out]` for a bias.
    public let shape: [Int]
    /// The elements, row-major.
    public var value: [Float]
    /// ∂L/∂value from the last backward pass (overwritten, not accumulated).
    public var gradient: [Float]
    /// Whether L2 weight decay applies: true for weights, false for biases.
    public let isDecayed: Bool

    /// A zero parameter of the given shape.
    public init(shape: [Int], isDecayed: Bool) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.value = [Float](repeating: 0, count: count)
        self.gradient = [Float](repeating: 0, count: count)
        self.isDecayed = isDecayed
    }
}
