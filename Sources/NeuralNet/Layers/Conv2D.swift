// A 2-D convolution, stride 1, computed image by image as im2col followed by the matrix multiply.
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
/// The work is one matrix product an image. im2col copies the image into its columns `X̂`,
/// `[Q, P]`: row `q = (c, ky, kx)` is channel `c` shifted by `(ky, kx)`, seen at the `P` output
/// positions (`ImageColumns`). Then `y = W · X̂ + b` is `[F, P]`, already channel-major, with
/// the long dimension `Q` as the product's inner one. One image's columns (at most a few
/// hundred KB) stay in the cache between im2col and the product; the batch's would not.
///
/// Threads: the forward pass gives each thread whole images; the backward pass gives each
/// thread whole kernel rows `q` (whole input channels when `dx` is needed), so every output
/// element is summed in the same order whatever the thread count.
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
    /// The copies between an image and its columns.
    let imageColumns: ImageColumns
    /// `Wᵀ`, `[Q, F]`, for the backward pass.
    private var transposedWeight: [Float]
    /// One set of buffers a thread.
    private let workspaces = [Workspace(), Workspace()]

    /// The buffers one thread works in.
    private final class Workspace: Sendable {
        /// `X̂` for some kernel rows of a group of images, `[rows, G·P]`.
        let columns = ScratchBuffer()
        /// `∂L/∂X̂`, `[rows, G·P]`.
        let columnGradient = ScratchBuffer()
        /// A group's `dy` as `[F, G·P]`, and as `[G·P, F]`.
        let outputGradient = ScratchBuffer()
        let transposedOutputGradient = ScratchBuffer()
        /// `dWᵀ` for this thread's kernel rows, `[rows, F]`.
        let transposedWeightGradient = ScratchBuffer()
    }

    /// Images whose columns the backward pass puts side by side (`G`), so that the product for
    /// `dW`, summed over positions, runs over `G·P` of them (about 256) rather than `P`.
    var samplesPerGroup: Int { max(1, 256 / positionCount) }

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
        imageColumns = ImageColumns(
            channels: inputChannels, height: height, width: width, kernelSize: kernelSize,
            border: padding == .same ? (kernelSize - 1) / 2 : 0,
            outputHeight: outputHeight, outputWidth: outputWidth)
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

    /// `y = W · im2col(x) + b`, image by image; the threads split the batch.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Conv2D expects \(inputCount) features, got \(input.columns)")
        let batch = input.rows
        output.resizeRows(batch)
        guard batch > 0 else { return output }
        let (f, q, p) = (outputChannels, patchSize, positionCount)
        let (inputCount, outputCount, imageColumns) = (inputCount, outputCount, imageColumns)
        let threads = min(ComputeThreads.maximum, batch)
        input.values.withUnsafeBufferPointer { x in
            weight.value.withUnsafeBufferPointer { w in
                bias.value.withUnsafeBufferPointer { b in
                    output.values.withUnsafeMutableBufferPointer { y in
                        let shared = UncheckedSendable((x.baseAddress!, w.baseAddress!, b.baseAddress!, y.baseAddress!))
                        let workspaces = UncheckedSendable(workspaces)
                        parallelFor(threads) { part in
                            let (x, w, b, y) = shared.value
                            let columns = workspaces.value[part].columns.floats(q * p)
                            for sample in Self.samples(of: part, threads: threads, batch: batch) {
                                imageColumns.copy(x + sample * inputCount, rows: 0..<q, into: columns, rowStride: p)
                                let ys = y + sample * outputCount
                                for filter in 0..<f { (ys + filter * p).update(repeating: b[filter], count: p) }
                                blockedGEMM(m: f, n: p, k: q, a: w, transposeA: false, b: columns, transposeB: false,
                                            c: ys, accumulate: true, threads: 1)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The images thread `part` of `threads` handles in the forward pass.
    private static func samples(of part: Int, threads: Int, batch: Int) -> Range<Int> {
        let cut = (batch + 1) / 2
        return threads == 1 ? 0..<batch : part == 0 ? 0..<cut : cut..<batch
    }

    /// Backward of `y_s = W · X̂_s + b` for each image `s`, with `X̂_s = im2col(x_s)` `[Q, P]` and
    /// `dy_s` `[F, P]`:
    ///
    /// - `dW = Σ_s dy_s · X̂_sᵀ`              `[F, Q]`, computed as `dWᵀ = Σ_s X̂_s · dy_sᵀ`
    /// - `db[f] = Σ_s Σ_p dy_s[f, p]`          `[F]`
    /// - `dX̂_s = Wᵀ · dy_s`                     `[Q, P]`
    /// - `dx_s = col2im(dX̂_s)`: each input value was copied into several places of `X̂_s` (once
    ///   for every kernel placement that covers it), so its gradient is the sum over those copies.
    ///
    /// The sum over images for `dW` is one product over `G` images' columns side by side
    /// (inner dimension `G·P`), accumulated group by group.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        let batch = input.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == outputCount)
        inputGradient.resizeRows(needsInputGradient ? batch : 0)
        guard batch > 0 else {
            weight.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            bias.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return inputGradient
        }
        let (f, q, p, group) = (outputChannels, patchSize, positionCount, samplesPerGroup)
        let (inputCount, outputCount, imageColumns) = (inputCount, outputCount, imageColumns)
        let planeSize = height * width
        let rowsPerChannel = kernelSize * kernelSize
        weight.value.withUnsafeBufferPointer { w in
            transposedWeight.withUnsafeMutableBufferPointer { wt in
                transpose(w.baseAddress!, rows: f, columns: q, into: wt.baseAddress!)
            }
        }
        let cut = kernelRowCut(needsInputGradient: needsInputGradient)
        input.values.withUnsafeBufferPointer { x in
            outputGradient.values.withUnsafeBufferPointer { dy in
                transposedWeight.withUnsafeBufferPointer { wt in
                    weight.gradient.withUnsafeMutableBufferPointer { dW in
                        inputGradient.values.withUnsafeMutableBufferPointer { dx in
                            let shared = UncheckedSendable((x.baseAddress!, dy.baseAddress!, wt.baseAddress!,
                                                            dW.baseAddress!, needsInputGradient ? dx.baseAddress : nil))
                            let workspaces = UncheckedSendable(workspaces)
                            parallelFor(cut == nil ? 1 : 2) { part in
                                let (x, dy, wt, dW, dx) = shared.value
                                let rows = cut.map { part == 0 ? 0..<$0 : $0..<q } ?? 0..<q
                                let workspace = workspaces.value[part]
                                let columns = workspace.columns.floats(rows.count * group * p)
                                let columnGradient = workspace.columnGradient.floats(rows.count * group * p)
                                let groupGradient = workspace.outputGradient.floats(f * group * p)
                                let transposedGradient = workspace.transposedOutputGradient.floats(group * p * f)
                                let weightGradient = workspace.transposedWeightGradient.floats(rows.count * f)
                                for first in stride(from: 0, to: batch, by: group) {
                                    let samples = first ..< min(first + group, batch)
                                    let span = samples.count * p
                                    for (index, sample) in samples.enumerated() {
                                        imageColumns.copy(x + sample * inputCount, rows: rows,
                                                          into: columns + index * p, rowStride: span)
                                        let dys = dy + sample * outputCount
                                        transpose(dys, rows: f, columns: p, into: transposedGradient + index * p * f)
                                        if dx != nil && samples.count > 1 {
                                            for filter in 0..<f {
                                                (groupGradient + filter * span + index * p).update(from: dys + filter * p, count: p)
                                            }
                                        }
                                    }
                                    // dWᵀ[rows, F] (+)= X̂[rows, G·P] · dyᵀ[G·P, F]
                                    blockedGEMM(m: rows.count, n: f, k: span, a: columns, transposeA: false,
                                                b: transposedGradient, transposeB: false,
                                                c: weightGradient, accumulate: first > 0, threads: 1)
                                    guard let dx else { continue }
                                    // dX̂[rows, G·P] = Wᵀ[rows, F] · dy[F, G·P]
                                    let groupDy = samples.count > 1 ? UnsafePointer(groupGradient) : dy + first * outputCount
                                    blockedGEMM(m: rows.count, n: span, k: f, a: wt + rows.lowerBound * f, transposeA: false,
                                                b: groupDy, transposeB: false,
                                                c: columnGradient, accumulate: false, threads: 1)
                                    let channels = rows.lowerBound / rowsPerChannel ..< rows.upperBound / rowsPerChannel
                                    for (index, sample) in samples.enumerated() {
                                        let dxs = dx + sample * inputCount
                                        (dxs + channels.lowerBound * planeSize).update(repeating: 0, count: channels.count * planeSize)
                                        imageColumns.add(columnGradient + index * p, rows: rows, rowStride: span, into: dxs)
                                    }
                                }
                                for row in rows {
                                    for filter in 0..<f {
                                        dW[filter * q + row] = weightGradient[(row - rows.lowerBound) * f + filter]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        outputGradient.values.withUnsafeBufferPointer { dy in
            bias.gradient.withUnsafeMutableBufferPointer { db in
                db.update(repeating: 0)
                for sample in 0..<batch {
                    for filter in 0..<f {
                        db[filter] += sum(dy.baseAddress! + sample * outputCount + filter * p, count: p)
                    }
                }
            }
        }
        return inputGradient
    }

    /// Where the backward pass splits the kernel rows between two threads, or nil for one
    /// thread. With `dx` the cut falls between input channels, so that each thread writes
    /// whole planes of `dx`; a one-channel input whose `dx` is needed is not split.
    private func kernelRowCut(needsInputGradient: Bool) -> Int? {
        guard ComputeThreads.maximum > 1 else { return nil }
        if inputChannels > 1 { return inputChannels / 2 * kernelSize * kernelSize }
        return needsInputGradient || patchSize < 2 ? nil : patchSize / 2
    }
}

/// `Σ values[0 ..< count]`, sixteen lanes at a time and then the tail, in a fixed order.
func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>()
    var index = 0
    while index + 16 <= count {
        lanes += UnsafeRawPointer(values + index).loadUnaligned(as: SIMD16<Float>.self)
        index += 16
    }
    var total = horizontalSum(lanes)
    while index < count {
        total += values[index]
        index += 1
    }
    return total
}
