/// How a dense or convolution layer's weights and biases start.
///
/// The fan-in is the number of inputs one output sees: `I` for a dense layer, `C·K·K` for a
/// convolution. Weights are drawn in the row-major order of their shape.
public enum WeightInitializer: String, Sendable, CaseIterable {
    /// He (Kaiming): `W ~ N(0, 2 / fanIn)`, biases zero; keeps the activations' variance steady
    /// through ReLU layers, which zero half their inputs.
    case he
    /// Xavier/Glorot: `W ~ U(−√(6 / (fanIn + O)), √(6 / (fanIn + O)))`, biases zero.
    case xavier
    /// `U(−0.5, 0.5)` for weights and biases alike (the original program's start).
    case uniform

    /// Fills `weight` (`[O, …]`) and then `bias` (`[O]`) from `generator`.
    public func initialize(_ weight: Parameter, _ bias: Parameter, generator: inout SeededGenerator) {
        let outputCount = weight.shape[0]
        let fanIn = weight.value.count / outputCount
        switch self {
        case .he:
            let deviation = (2 / Float(fanIn)).squareRoot()
            weight.value = weight.value.map { _ in generator.nextNormal(standardDeviation: deviation) }
            bias.value = [Float](repeating: 0, count: outputCount)
        case .xavier:
            let limit = (6 / Float(fanIn + outputCount)).squareRoot()
            weight.value = weight.value.map { _ in generator.nextUniform(from: -limit, to: limit) }
            bias.value = [Float](repeating: 0, count: outputCount)
        case .uniform:
            weight.value = weight.value.map { _ in generator.nextUniform(from: -0.5, to: 0.5) }
            bias.value = bias.value.map { _ in generator.nextUniform(from: -0.5, to: 0.5) }
        }
    }
}
