/// How a convolution treats the image's border.
public enum Padding: String, Sendable, CaseIterable {
    /// No padding: the kernel stays inside the image, `OH = H − K + 1`, `OW = W − K + 1`.
    case valid
    /// Zeros of width `P = (K − 1) / 2` around the image (odd `K`), so `OH = H`, `OW = W`.
    case same
}

/// A 2-D convolution with stride 1 (a cross-correlation, as in every framework):
///
///     y[b, f, oy, ox] = bias[f] + Σ_{c, ky, kx} W[f, c, ky, kx] · x[b, c, oy + ky − P, ox + kx − P]
///
/// with `x` taken as zero outside the image (`P` the padding, 0 for `.valid`).
/// Shapes: `x` [B, C, H, W], `W` [F, C, K, K], `bias` [F], `y` [B, F, OH, OW], all row-major,
/// so a sample's row is its channel-major image.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    /// The kernel's side `K`.
    public let kernelSize: Int
    /// The input image's height `H` and width `W`.
    public let height: Int
    public let width: Int
    public let padding: Padding
    /// The filters, `[F, C, K, K]`.
    public let weight: Parameter
    /// One bias a filter, `[F]`.
    public let bias: Parameter

    /// A layer with zero filters and biases.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, height: Int, width: Int, padding: Padding) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0, "a convolution needs channels and a kernel")
        precondition(padding == .valid || kernelSize % 2 == 1, "same padding needs an odd kernel")
        precondition(padding == .same || (height >= kernelSize && width >= kernelSize),
                     "a \(kernelSize)×\(kernelSize) kernel does not fit a \(height)×\(width) image")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.height = height
        self.width = width
        self.padding = padding
        weight = Parameter(shape: [outputChannels, inputChannels, kernelSize, kernelSize], isDecayed: true)
        bias = Parameter(shape: [outputChannels], isDecayed: false)
    }

    /// The zeros added on each side, `P`.
    public var border: Int { padding == .same ? (kernelSize - 1) / 2 : 0 }
    /// `OH` and `OW`.
    public var outputHeight: Int { height + 2 * border - kernelSize + 1 }
    public var outputWidth: Int { width + 2 * border - kernelSize + 1 }
    public var inputCount: Int { inputChannels * height * width }
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    public var parameters: [Parameter] { [weight, bias] }

    /// Index of `W[f, c, ky, kx]`.
    private func weightIndex(_ f: Int, _ c: Int, _ ky: Int, _ kx: Int) -> Int {
        ((f * inputChannels + c) * kernelSize + ky) * kernelSize + kx
    }

    /// Index of `x[b, c, iy, ix]`.
    private func inputIndex(_ b: Int, _ c: Int, _ iy: Int, _ ix: Int) -> Int {
        ((b * inputChannels + c) * height + iy) * width + ix
    }

    /// Index of `y[b, f, oy, ox]`.
    private func outputIndex(_ b: Int, _ f: Int, _ oy: Int, _ ox: Int) -> Int {
        ((b * outputChannels + f) * outputHeight + oy) * outputWidth + ox
    }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        let batch = batchSize(ofInput: input)
        var y = [Float](repeating: 0, count: batch * outputCount)
        for b in 0..<batch {
            for f in 0..<outputChannels {
                for oy in 0..<outputHeight {
                    for ox in 0..<outputWidth {
                        var sum = bias.value[f]
                        for c in 0..<inputChannels {
                            for ky in 0..<kernelSize {
                                let iy = oy + ky - border
                                guard iy >= 0 && iy < height else { continue }
                                for kx in 0..<kernelSize {
                                    let ix = ox + kx - border
                                    guard ix >= 0 && ix < width else { continue }
                                    sum += weight.value[weightIndex(f, c, ky, kx)] * input[inputIndex(b, c, iy, ix)]
                                }
                            }
                        }
                        y[outputIndex(b, f, oy, ox)] = sum
                    }
                }
            }
        }
        return y
    }

    /// Backward of `y[b, f, oy, ox] = bias[f] + Σ W[f, c, ky, kx] · x[b, c, iy, ix]`
    /// (`iy = oy + ky − P`, `ix = ox + kx − P`, terms outside the image left out), with `g = dy[b, f, oy, ox]`:
    ///
    /// - `∂y/∂bias[f] = 1`:              `dbias[f] += g`
    /// - `∂y/∂W[f, c, ky, kx] = x[b, c, iy, ix]`: `dW[f, c, ky, kx] += g · x[b, c, iy, ix]`
    /// - `∂y/∂x[b, c, iy, ix] = W[f, c, ky, kx]`: `dx[b, c, iy, ix] += g · W[f, c, ky, kx]`
    ///
    /// Every weight and every input pixel takes part in many outputs, so each gradient is the
    /// sum of those contributions: the same loops as the forward pass, run with `+=`.
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        let batch = batchSize(ofInput: input)
        precondition(dy.count == batch * outputCount, "Conv2D: ∂L/∂y must be [\(batch), \(outputCount)]")
        var dx = [Float](repeating: 0, count: input.count)
        for b in 0..<batch {
            for f in 0..<outputChannels {
                for oy in 0..<outputHeight {
                    for ox in 0..<outputWidth {
                        let g = dy[outputIndex(b, f, oy, ox)]
                        bias.gradient[f] += g
                        for c in 0..<inputChannels {
                            for ky in 0..<kernelSize {
                                let iy = oy + ky - border
                                guard iy >= 0 && iy < height else { continue }
                                for kx in 0..<kernelSize {
                                    let ix = ox + kx - border
                                    guard ix >= 0 && ix < width else { continue }
                                    let w = weightIndex(f, c, ky, kx), x = inputIndex(b, c, iy, ix)
                                    weight.gradient[w] += g * input[x]
                                    dx[x] += g * weight.value[w]
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
