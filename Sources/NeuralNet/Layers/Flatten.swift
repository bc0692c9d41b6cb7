/// The bridge from images to dense layers: `y = x`.
///
/// Rows are already flat, so nothing moves; the layer says in the architecture that the
/// channel-major `[C, H, W]` features of a convolution or pooling layer are read as one vector
/// of `C·H·W` features from here on.
public final class Flatten: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    public private(set) var output: Matrix
    private var inputGradient: Matrix

    /// A flatten over `featureCount` features per sample.
    public init(featureCount: Int) {
        inputCount = featureCount
        output = Matrix(rows: 0, columns: featureCount)
        inputGradient = Matrix(rows: 0, columns: featureCount)
    }

    public var parameters: [Parameter] { [] }

    public var layerDescription: LayerDescription { .flatten }

    /// Copies the input into the layer's own buffer (sharing the predecessor's would make its
    /// next forward pass copy on write).
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Flatten expects \(inputCount) features, got \(input.columns)")
        output.resizeRows(input.rows)
        output.values.withUnsafeMutableBufferPointer { y in
            input.values.withUnsafeBufferPointer { x in _ = y.update(fromContentsOf: x) }
        }
        return output
    }

    /// Backward of `y = x`: `dx = dy`.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        featurewiseBackward(input: input, outputGradient: outputGradient, needsInputGradient: needsInputGradient,
                            into: &inputGradient) { dx, dy in _ = dx.update(fromContentsOf: dy) }
    }
}
