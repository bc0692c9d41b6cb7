// A fully connected layer. Shapes: x [batch, in], W [out, in], b [out], y [batch, out].

/// A fully connected layer: `y = x · Wᵀ + b`.
public final class Dense: Layer {
    public let inputCount: Int
    public let outputCount: Int
    /// The weights, `[out, in]`: row `o` holds the incoming weights of output unit `o`.
    public let weight: Parameter
    /// The biases, `[out]`.
    public let bias: Parameter
    public private(set) var output: Matrix
    private var inputGradient: Matrix

    /// A layer with zero weights and biases.
    public init(inputCount: Int, outputCount: Int) {
        precondition(inputCount > 0 && outputCount > 0, "A dense layer needs at least one input and one output")
        self.inputCount = inputCount
        self.outputCount = outputCount
        weight = Parameter(shape: [outputCount, inputCount], isDecayed: true)
        bias = Parameter(shape: [outputCount], isDecayed: false)
        output = Matrix(rows: 0, columns: outputCount)
        inputGradient = Matrix(rows: 0, columns: inputCount)
    }

    /// A layer initialised by `initializer` from `generator`.
    public convenience init(
        inputCount: Int, outputCount: Int,
        initializer: WeightInitializer, generator: inout SeededGenerator
    ) {
        self.init(inputCount: inputCount, outputCount: outputCount)
        initializer.initialize(weight: weight, bias: bias, generator: &generator)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var layerDescription: LayerDescription {
        .dense(inputCount: inputCount, outputCount: outputCount)
    }

    /// `y = x · Wᵀ + b`: each row of `y` starts as `b`, then the product is added onto it.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Dense expects \(inputCount) features, got \(input.columns)")
        let batch = input.rows
        output.resizeRows(batch)
        guard batch > 0 else { return output }
        let (inputCount, outputCount) = (self.inputCount, self.outputCount)
        output.values.withUnsafeMutableBufferPointer { y in
            bias.value.withUnsafeBufferPointer { b in
                for row in 0..<batch {
                    (y.baseAddress! + row * outputCount).update(from: b.baseAddress!, count: outputCount)
                }
            }
            input.values.withUnsafeBufferPointer { x in
                weight.value.withUnsafeBufferPointer { w in
                    gemm(m: batch, n: outputCount, k: inputCount,
                         a: x.baseAddress!, transposeA: false,
                         b: w.baseAddress!, transposeB: true,
                         c: y.baseAddress!, accumulate: true)
                }
            }
        }
        return output
    }

    /// Backward of `y = x · Wᵀ + b`, i.e. `y[n, o] = Σᵢ x[n, i] · W[o, i] + b[o]`:
    ///
    /// - `∂L/∂W[o, i] = Σₙ dy[n, o] · x[n, i]`, so `dW = dyᵀ · x`   `[out, in]`
    /// - `∂L/∂b[o]    = Σₙ dy[n, o]`, the column sums of `dy`      `[out]`
    /// - `∂L/∂x[n, i] = Σₒ dy[n, o] · W[o, i]`, so `dx = dy · W`    `[batch, in]`
    ///
    /// `affineBackward` computes the three; `Conv2D` calls it too, on its im2col rows.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        let batch = input.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == outputCount)
        inputGradient.resizeRows(needsInputGradient ? batch : 0)
        guard batch > 0 else {
            weight.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            bias.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return inputGradient
        }
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                inputGradient.values.withUnsafeMutableBufferPointer { dx in
                    affineBackward(rows: batch, outputGradient: dy.baseAddress!, input: x.baseAddress!,
                                   weight: weight, bias: bias,
                                   inputGradient: needsInputGradient ? dx.baseAddress! : nil)
                }
            }
        }
        return inputGradient
    }
}
