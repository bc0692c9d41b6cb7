/// One step of a network: a forward pass over a batch and the backward pass that
/// differentiates it.
///
/// Shapes are flat per-sample feature vectors: the input is `[batch, inputCount]` and the
/// output `[batch, outputCount]` (a convolution sees its image as `channels × height × width`
/// features). A layer owns its output and input-gradient buffers and reuses them from batch
/// to batch, so training does not allocate.
public protocol Layer: AnyObject {
    /// Features per input sample.
    var inputCount: Int { get }
    /// Features per output sample.
    var outputCount: Int { get }
    /// The trainable parameters (empty for a layer without any), in checkpoint order.
    var parameters: [Parameter] { get }
    /// The output of the last forward pass, `[batch, outputCount]`.
    var output: Matrix { get }
    /// How the layer appears in the checkpoint's architecture list.
    var layerDescription: LayerDescription { get }

    /// Computes the output for `input` (`[batch, inputCount]`), keeps it in `output` and returns it.
    /// `isTraining` is true during training (for layers such as dropout that behave differently).
    func forward(_ input: Matrix, isTraining: Bool) -> Matrix

    /// Given the forward pass's `input` and ∂L/∂output, stores ∂L/∂parameter in each
    /// parameter's gradient and returns ∂L/∂input (`[batch, inputCount]`).
    ///
    /// When `needsInputGradient` is false (the first layer) the layer may skip ∂L/∂input and
    /// return an empty matrix.
    func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix
}

/// The frame of the backward pass of a layer that treats each feature on its own (ReLU,
/// Dropout, Flatten): checks that `outputGradient` matches `input`, sizes `inputGradient` to
/// the batch (to no rows when it is not needed) and, when it is needed, lets `fill` write
/// `dx` from `dy`, element for element. Returns `inputGradient`.
func featurewiseBackward(
    input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, into inputGradient: inout Matrix,
    _ fill: (_ dx: UnsafeMutableBufferPointer<Float>, _ dy: UnsafeBufferPointer<Float>) -> Void
) -> Matrix {
    precondition(outputGradient.rows == input.rows && outputGradient.columns == input.columns)
    inputGradient.resizeRows(needsInputGradient ? input.rows : 0)
    guard needsInputGradient else { return inputGradient }
    inputGradient.values.withUnsafeMutableBufferPointer { dx in
        outputGradient.values.withUnsafeBufferPointer { dy in fill(dx, dy) }
    }
    return inputGradient
}
