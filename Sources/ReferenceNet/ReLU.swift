/// The rectifier, feature by feature: `y = max(0, x)`. Shapes: `x` and `y` [B, I].
public final class ReLU: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    public var parameters: [Parameter] { [] }

    /// A rectifier over `featureCount` features a sample.
    public init(featureCount: Int) {
        inputCount = featureCount
    }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        _ = batchSize(ofInput: input)
        return input.map { max(0, $0) }
    }

    /// Backward of `y = max(0, x)`: `∂y/∂x` is 1 where `x > 0` and 0 elsewhere (0 at the kink,
    /// by convention), so `dx = dy` where `x > 0`, else 0.
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        precondition(dy.count == input.count, "ReLU: ∂L/∂y must have the input's shape")
        return (0..<input.count).map { input[$0] > 0 ? dy[$0] : 0 }
    }
}
