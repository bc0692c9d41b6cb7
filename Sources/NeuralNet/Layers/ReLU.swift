/// The rectifier, elementwise: `y = max(0, x)`.
public final class ReLU: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    public private(set) var output: Matrix
    private var inputGradient: Matrix

    /// A rectifier over `featureCount` features per sample.
    public init(featureCount: Int) {
        inputCount = featureCount
        output = Matrix(rows: 0, columns: featureCount)
        inputGradient = Matrix(rows: 0, columns: featureCount)
    }

    public var parameters: [Parameter] { [] }

    public var layerDescription: LayerDescription { .relu }

    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "ReLU expects \(inputCount) features, got \(input.columns)")
        output.resizeRows(input.rows)
        output.values.withUnsafeMutableBufferPointer { y in
            input.values.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                Self.rectify(x, into: y, count: input.values.count)
            }
        }
        return output
    }

    /// `y[i] = max(0, x[i])` for `count` values; `y` may be `x` itself.
    static func rectify(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            y[i] = max(0, x[i])
        }
    }

    /// Backward of `y = max(0, x)`: `∂y/∂x` is 1 where `x > 0` and 0 elsewhere
    /// (0 at the kink, by convention), so `dx = dy` where `x > 0`, else 0.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        featurewiseBackward(input: input, outputGradient: outputGradient, needsInputGradient: needsInputGradient,
                            into: &inputGradient) { dx, dy in
            input.values.withUnsafeBufferPointer { x in
                for i in x.indices {
                    dx[i] = x[i] > 0 ? dy[i] : 0
                }
            }
        }
    }
}
