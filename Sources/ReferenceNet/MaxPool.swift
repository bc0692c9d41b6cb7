/// Max pooling over non-overlapping `S × S` windows (stride `S`):
///
///     y[b, c, oy, ox] = max_{0 ≤ i, j < S} x[b, c, S·oy + i, S·ox + j]
///
/// Shapes: `x` [B, C, H, W], `y` [B, C, OH, OW] with `OH = ⌊H / S⌋`, `OW = ⌊W / S⌋` (a last row
/// or column that does not fill a window is dropped, as in PyTorch).
public final class MaxPool: Layer {
    public let channels: Int
    /// The input image's height `H` and width `W`.
    public let height: Int
    public let width: Int
    /// The window's side `S`, which is also the stride.
    public let size: Int

    /// Pooling of `channels` planes of `height × width` with `size × size` windows.
    public init(channels: Int, height: Int, width: Int, size: Int = 2) {
        precondition(channels > 0 && size > 0 && height >= size && width >= size,
                     "a \(size)×\(size) window does not fit \(channels) planes of \(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.size = size
    }

    public var outputHeight: Int { height / size }
    public var outputWidth: Int { width / size }
    public var inputCount: Int { channels * height * width }
    public var outputCount: Int { channels * outputHeight * outputWidth }
    public var parameters: [Parameter] { [] }

    /// The index in the batch `x` of the largest value in window (oy, ox) of plane (b, c): the
    /// first in reading order on ties.
    private func winner(in x: [Float], _ b: Int, _ c: Int, _ oy: Int, _ ox: Int) -> Int {
        let plane = (b * channels + c) * height * width
        var best = plane + (size * oy) * width + size * ox
        for i in 0..<size {
            for j in 0..<size {
                let index = plane + (size * oy + i) * width + size * ox + j
                if x[index] > x[best] { best = index }
            }
        }
        return best
    }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        let batch = batchSize(ofInput: input)
        var y: [Float] = []
        y.reserveCapacity(batch * outputCount)
        for b in 0..<batch {
            for c in 0..<channels {
                for oy in 0..<outputHeight {
                    for ox in 0..<outputWidth {
                        y.append(input[winner(in: input, b, c, oy, ox)])
                    }
                }
            }
        }
        return y
    }

    /// Backward of `y = x[winner]`: `∂y/∂x` is 1 at the window's winner and 0 at its other
    /// inputs, so each `dy` flows to its window's winner and every other `dx` is zero.
    /// (The winner is found again from the input rather than remembered.)
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        let batch = batchSize(ofInput: input)
        precondition(dy.count == batch * outputCount, "MaxPool: ∂L/∂y must be [\(batch), \(outputCount)]")
        var dx = [Float](repeating: 0, count: input.count)
        var out = 0
        for b in 0..<batch {
            for c in 0..<channels {
                for oy in 0..<outputHeight {
                    for ox in 0..<outputWidth {
                        dx[winner(in: input, b, c, oy, ox)] += dy[out]
                        out += 1
                    }
                }
            }
        }
        return dx
    }
}
