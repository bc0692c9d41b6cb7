/// A fully connected layer: `y = x · Wᵀ + b`.
///
/// Shapes: `x` [B, I], `W` [O, I] (row `o` holds the incoming weights of output `o`), `b` [O],
/// `y` [B, O]. Written out: `y[b, o] = b[o] + Σᵢ x[b, i] · W[o, i]`.
public final class Dense: Layer {
    public let inputCount: Int
    public let outputCount: Int
    /// `W`, `[O, I]`.
    public let weight: Parameter
    /// `b`, `[O]`.
    public let bias: Parameter

    /// A layer of zero weights and biases (see `WeightInitializer` to start it otherwise).
    public init(inputCount: Int, outputCount: Int) {
        precondition(inputCount > 0 && outputCount > 0, "a dense layer needs inputs and outputs")
        self.inputCount = inputCount
        self.outputCount = outputCount
        weight = Parameter(shape: [outputCount, inputCount], isDecayed: true)
        bias = Parameter(shape: [outputCount], isDecayed: false)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        let batch = batchSize(ofInput: input)
        let (I, O) = (inputCount, outputCount)
        var y = [Float](repeating: 0, count: batch * O)
        for b in 0..<batch {
            for o in 0..<O {
                var sum = bias.value[o]
                for i in 0..<I {
                    sum += input[b * I + i] * weight.value[o * I + i]
                }
                y[b * O + o] = sum
            }
        }
        return y
    }

    /// Backward of `y[b, o] = b[o] + Σᵢ x[b, i] · W[o, i]`, with `dy` = ∂L/∂y:
    ///
    /// - `∂y[b, o]/∂W[o, i] = x[b, i]`, summed over the batch: `dW[o, i] = Σ_b dy[b, o] · x[b, i]` (dW = dyᵀ · x)
    /// - `∂y[b, o]/∂b[o] = 1`:                                 `db[o] = Σ_b dy[b, o]`
    /// - `∂y[b, o]/∂x[b, i] = W[o, i]`, summed over outputs:   `dx[b, i] = Σ_o dy[b, o] · W[o, i]` (dx = dy · W)
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        let batch = batchSize(ofInput: input)
        let (I, O) = (inputCount, outputCount)
        precondition(dy.count == batch * O, "Dense: ∂L/∂y must be [\(batch), \(O)]")
        var dx = [Float](repeating: 0, count: batch * I)
        for b in 0..<batch {
            for o in 0..<O {
                let g = dy[b * O + o]
                bias.gradient[o] += g
                for i in 0..<I {
                    weight.gradient[o * I + i] += g * input[b * I + i]
                    dx[b * I + i] += g * weight.value[o * I + i]
                }
            }
        }
        return dx
    }
}
