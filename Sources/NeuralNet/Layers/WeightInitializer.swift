/// How a dense or convolution layer's weights (and biases) start.
public enum WeightInitializer: String, Codable, Sendable, CaseIterable {
    /// He (Kaiming): `W ~ N(0, 2 / in)`, biases zero. Keeps the activations' variance
    /// steady through ReLU layers, which zero half their inputs.
    case he
    /// Xavier/Glorot: `W ~ U(−√(6 / (in + out)), √(6 / (in + out)))`, biases zero.
    case xavier
    /// The seed program's `uniform(−0.5, 0.5)` for weights and biases alike, kept for a
    /// faithful reproduction.
    case uniform

    /// Fills `weight` (`[out, in]`, or `[out, C, K, K]` for a convolution, whose fan-in is
    /// `C·K·K`) and `bias` (`[out]`) from `generator`. The weights are drawn in the order of
    /// `shape` whatever the parameter's memory layout, so a seed gives the same network either way.
    public func initialize(weight: Parameter, bias: Parameter, generator: inout SeededGenerator) {
        let outputCount = weight.shape[0]
        let inputCount = weight.shape.dropFirst().reduce(1, *)
        var weights = [Float](repeating: 0, count: weight.value.count)
        switch self {
        case .he:
            let deviation = (2 / Float(inputCount)).squareRoot()
            for i in weights.indices {
                weights[i] = generator.nextNormal(standardDeviation: deviation)
            }
            weight.valuesInShapeOrder = weights
            bias.value = [Float](repeating: 0, count: outputCount)
        case .xavier:
            let limit = (6 / Float(inputCount + outputCount)).squareRoot()
            for i in weights.indices {
                weights[i] = generator.nextUniform(from: -limit, to: limit)
            }
            weight.valuesInShapeOrder = weights
            bias.value = [Float](repeating: 0, count: outputCount)
        case .uniform:
            for i in weights.indices {
                weights[i] = generator.nextUniform(from: -0.5, to: 0.5)
            }
            weight.valuesInShapeOrder = weights
            for i in bias.value.indices {
                bias.value[i] = generator.nextUniform(from: -0.5, to: 0.5)
            }
        }
    }
}
