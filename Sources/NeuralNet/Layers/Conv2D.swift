// A 2-D convolution, stride 1, computed as im2col followed by the matrix multiply.
// Names: B batch, C input channels, H×W input, K kernel side, F output channels (filters),
// OH×OW output, P = OH·OW output positions, Q = C·K·K values under one kernel placement.
// Shapes: x [B, C·H·W] and y [B, F·OH·OW], both channel-major (channel, then row, then
// column); W [F, C, K, K] (stored as the matrix [F, Q]); b [F].

/// How a convolution treats the border.
public enum Padding: String, Codable, Sendable, CaseIterable {
    /// No padding: the kernel stays inside the image, so the output is `(H − K + 1) × (W − K + 1)`.
    case valid
    /// Zero padding of `(K − 1) / 2` on every side (odd `K`), so the output is `H × W`.
    case same
}

/// A convolution layer (a cross-correlation, as in every framework):
/// `y[f, oy, ox] = b[f] + Σ_{c, ky, kx} W[f, c, ky, kx] · x[c, oy + ky − pad, ox + kx − pad]`,
/// with `x` taken as zero outside the image.
///
/// Each sample's row is read as `[C, H, W]` and written as `[F, OH, OW]`, channel-major, so a
/// following pooling layer, or a dense layer after `Flatten`, sees the usual layout.
///
/// The work is two matrix products. im2col copies, for every sample and output position,
/// the `Q = C·K·K` input values under the kernel into one row of `columns` `[B·P, Q]`; then
/// `columns · Wᵀ` is `[B·P, F]`, exactly the dense layer's `x · Wᵀ`. That product is laid out
/// positions × channels; it is transposed into the channel-major output while the bias is added.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    /// The kernel's side `K`.
    public let kernelSize: Int
    /// The input image's height `H` and width `W`.
    public let height: Int
    public let width: Int
    public let padding: Padding
    /// The output image's height `OH` and width `OW`.
    public let outputHeight: Int
    public let outputWidth: Int
    /// The filters, `[F, C, K, K]`: row `f` of the `[F, Q]` matrix holds filter `f`.
    public let weight: Parameter
    /// One bias a filter, `[F]`.
    public let bias: Parameter
    public private(set) var output: Matrix
    private var inputGradient: Matrix
    /// im2col of the last forward input, `[B·P, Q]`; backward reads it for `dW`.
    private var columns: [Float] = []
    /// `columns · Wᵀ` in forward, then `dy` as `[B·P, F]` in backward.
    private var product: [Float] = []
    /// `∂L/∂columns`, `[B·P, Q]`.
    private var columnGradient: [Float] = []
    /// `Wᵀ`, `[Q, F]`.
    private var transposedWeight: [Float]

    /// The zero padding on each side.
    public var border: Int { padding == .same ? (kernelSize - 1) / 2 : 0 }
    public var inputCount: Int { inputChannels * height * width }
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    /// Output positions a sample, `P = OH·OW`.
    var positionCount: Int { outputHeight * outputWidth }
    /// Values under one kernel placement, `Q = C·K·K`.
    var patchSize: Int { inputChannels * kernelSize * kernelSize }

    /// A layer with zero filters and biases.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int,
                height: Int, width: Int, padding: Padding) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0, "A convolution needs channels and a kernel")
        precondition(padding == .valid || kernelSize % 2 == 1, "same padding needs an odd kernel")
        precondition(height >= kernelSize && width >= kernelSize || padding == .same,
                     "a \(kernelSize)×\(kernelSize) kernel does not fit a \(height)×\(width) image")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.height = height
        self.width = width
        self.padding = padding
        outputHeight = padding == .same ? height : height - kernelSize + 1
        outputWidth = padding == .same ? width : width - kernelSize + 1
        weight = Parameter(shape: [outputChannels, inputChannels, kernelSize, kernelSize], isDecayed: true)
        bias = Parameter(shape: [outputChannels], isDecayed: false)
        output = Matrix(rows: 0, columns: outputChannels * outputHeight * outputWidth)
        inputGradient = Matrix(rows: 0, columns: inputChannels * height * width)
        transposedWeight = [Float](repeating: 0, count: outputChannels * inputChannels * kernelSize * kernelSize)
    }

    /// A layer initialised by `initializer` from `generator` (fan-in `C·K·K`).
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, height: Int, width: Int, padding: Padding,
        initializer: WeightInitializer, generator: inout SeededGenerator
    ) {
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                  height: height, width: width, padding: padding)
        initializer.initialize(weight: weight, bias: bias, generator: &generator)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var layerDescription: LayerDescription {
        .conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                padding: padding, height: height, width: width)
    }

    /// `y = transpose(im2col(x) · Wᵀ) + b`.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Conv2D expects \(inputCount) features, got \(input.columns)")
        let batch = input.rows
        let (rows, q, f, p) = (batch * positionCount, patchSize, outputChannels, positionCount)
        output.resizeRows(batch)
        resize(&columns, to: rows * q)
        resize(&product, to: rows * f)
        guard batch > 0 else { return output }
        input.values.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { cols in
                imageToColumns(x.baseAddress!, batch: batch, into: cols.baseAddress!)
            }
        }
        // Wᵀ [Q, F] copied once a batch: gemm's outer-product path (B stored [k, n]) measured
        // several times faster on these shapes than its dot-product path for B stored [n, k].
        weight.value.withUnsafeBufferPointer { w in
            transposedWeight.withUnsafeMutableBufferPointer { wt in
                for filter in 0..<f {
                    for index in 0..<q { wt[index * f + filter] = w[filter * q + index] }
                }
            }
        }
        columns.withUnsafeBufferPointer { cols in
            transposedWeight.withUnsafeBufferPointer { wt in
                product.withUnsafeMutableBufferPointer { z in
                    gemm(m: rows, n: f, k: q,
                         a: cols.baseAddress!, transposeA: false,
                         b: wt.baseAddress!, transposeB: false,
                         c: z.baseAddress!, accumulate: false)
                }
            }
        }
        // z [B, P, F] → y [B, F, P], adding b[f].
        product.withUnsafeBufferPointer { z in
            bias.value.withUnsafeBufferPointer { b in
                output.values.withUnsafeMutableBufferPointer { y in
                    for sample in 0..<batch {
                        let zs = z.baseAddress! + sample * p * f
                        let ys = y.baseAddress! + sample * f * p
                        for channel in 0..<f {
                            let bias = b[channel]
                            for position in 0..<p {
                                ys[channel * p + position] = zs[position * f + channel] + bias
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Backward of `Y = X̂ · Wᵀ + b`, where `X̂ = im2col(x)` is `[B·P, Q]` and `Y` is the output
    /// as `[B·P, F]` (the transpose of the channel-major layout):
    ///
    /// - `dW = dYᵀ · X̂`                       `[F, Q]`, as for a dense layer
    /// - `db[f] = Σ_{rows} dY[row, f]`        `[F]`
    /// - `dX̂ = dY · W`                         `[B·P, Q]`
    /// - `dx = col2im(dX̂)`: each input value was copied into several rows of `X̂` (once for
    ///   every kernel placement that covers it), so its gradient is the sum over those copies.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        let batch = input.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == outputCount)
        let (rows, q, f, p) = (batch * positionCount, patchSize, outputChannels, positionCount)
        precondition(columns.count == rows * q, "backward needs the forward pass of the same batch")
        inputGradient.resizeRows(needsInputGradient ? batch : 0)
        guard batch > 0 else {
            weight.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            bias.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return inputGradient
        }
        // dy [B, F, P] → dY [B, P, F], reusing the forward product's buffer.
        outputGradient.values.withUnsafeBufferPointer { dy in
            product.withUnsafeMutableBufferPointer { dz in
                for sample in 0..<batch {
                    let dys = dy.baseAddress! + sample * f * p
                    let dzs = dz.baseAddress! + sample * p * f
                    for channel in 0..<f {
                        for position in 0..<p {
                            dzs[position * f + channel] = dys[channel * p + position]
                        }
                    }
                }
            }
        }
        if needsInputGradient { resize(&columnGradient, to: rows * q) }
        product.withUnsafeBufferPointer { dz in
            columns.withUnsafeBufferPointer { cols in
                columnGradient.withUnsafeMutableBufferPointer { dcols in
                    affineBackward(rows: rows, outputGradient: dz.baseAddress!, input: cols.baseAddress!,
                                   weight: weight, bias: bias,
                                   inputGradient: needsInputGradient ? dcols.baseAddress! : nil)
                }
            }
        }
        guard needsInputGradient else { return inputGradient }
        columnGradient.withUnsafeBufferPointer { dcols in
            inputGradient.values.withUnsafeMutableBufferPointer { dx in
                columnsToImage(dcols.baseAddress!, batch: batch, into: dx.baseAddress!)
            }
        }
        return inputGradient
    }

    // MARK: im2col and its adjoint

    /// Row `s·P + oy·OW + ox` of `columns` gets, in `(c, ky, kx)` order, the input values
    /// `x[s, c, oy + ky − pad, ox + kx − pad]` (zero outside the image).
    func imageToColumns(_ x: UnsafePointer<Float>, batch: Int, into columns: UnsafeMutablePointer<Float>) {
        let (k, pad, h, w) = (kernelSize, border, height, width)
        var row = columns
        for sample in 0..<batch {
            let image = x + sample * inputCount
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    let x0 = ox - pad
                    let isInsideAcross = x0 >= 0 && x0 + k <= w
                    for channel in 0..<inputChannels {
                        let plane = image + channel * h * w
                        for ky in 0..<k {
                            let iy = oy + ky - pad
                            if iy < 0 || iy >= h {
                                row.update(repeating: 0, count: k)
                            } else if isInsideAcross {
                                row.update(from: plane + iy * w + x0, count: k)
                            } else {
                                for kx in 0..<k {
                                    let ix = x0 + kx
                                    row[kx] = ix >= 0 && ix < w ? plane[iy * w + ix] : 0
                                }
                            }
                            row += k
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `imageToColumns`: `dx` starts at zero and every element of `dcolumns`
    /// is added to the input value it was copied from (padding positions are dropped).
    func columnsToImage(_ dcolumns: UnsafePointer<Float>, batch: Int, into dx: UnsafeMutablePointer<Float>) {
        let (k, pad, h, w) = (kernelSize, border, height, width)
        dx.update(repeating: 0, count: batch * inputCount)
        var row = dcolumns
        for sample in 0..<batch {
            let image = dx + sample * inputCount
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    let x0 = ox - pad
                    for channel in 0..<inputChannels {
                        let plane = image + channel * h * w
                        for ky in 0..<k {
                            let iy = oy + ky - pad
                            if iy >= 0 && iy < h {
                                for kx in 0..<k {
                                    let ix = x0 + kx
                                    if ix >= 0 && ix < w { plane[iy * w + ix] += row[kx] }
                                }
                            }
                            row += k
                        }
                    }
                }
            }
        }
    }
}

/// Grows or shrinks a scratch buffer to `count` elements, keeping its capacity.
func resize(_ buffer: inout [Float], to count: Int) {
    if buffer.count > count {
        buffer.removeLast(buffer.count - count)
    } else if buffer.count < count {
        buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    }
}
