/// The bridge from images to dense layers: `y = x`.
///
/// A batch is already flat, `[B, C·H·W]`, so nothing moves; the layer says that from here
/// on the channel-major `[C, H, W]` features of a sample are read as one vector.
public final class Flatten: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    public var parameters: [Parameter] { [] }

    /// A flatten over `featureCount` features a sample.
    public init(featureCount: Int) {
        inputCount = featureCount
    }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        _ = batchSize(ofInput: input)
        return input
    }

    /// Backward of `y = x`: `dx = dy`.
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        precondition(dy.count == input.count, "Flatten: ∂L/∂y must have the input's shape")
        return dy
    }
}
