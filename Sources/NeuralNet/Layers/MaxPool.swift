// Max pooling over non-overlapping windows. Shapes: x [batch, C·H·W] and y [batch, C·OH·OW],
// channel-major, with OH = H / S and OW = W / S (a last row or column that does not fill a
// window is dropped, as in PyTorch).

/// Max pooling, `S × S` windows with stride `S`:
/// `y[c, oy, ox] = max_{0 ≤ i, j < S} x[c, S·oy + i, S·ox + j]`.
public final class MaxPool: Layer {
    public let channels: Int
    /// The input image's height and width.
    public let height: Int
    public let width: Int
    /// The window's side `S` (and the stride).
    public let size: Int
    public var outputHeight: Int { height / size }
    public var outputWidth: Int { width / size }
    public var inputCount: Int { channels * height * width }
    public var outputCount: Int { channels * outputHeight * outputWidth }
    public private(set) var output: Matrix
    private var inputGradient: Matrix
    /// For every output value, the offset within its sample's row of the input that won.
    private var winners: [Int32] = []

    /// Pooling of `channels` planes of `height × width` with `size × size` windows.
    public init(channels: Int, height: Int, width: Int, size: Int = 2) {
        precondition(channels > 0 && size > 0 && height >= size && width >= size,
                     "a \(size)×\(size) window does not fit \(channels) planes of \(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.size = size
        output = Matrix(rows: 0, columns: channels * (height / size) * (width / size))
        inputGradient = Matrix(rows: 0, columns: channels * height * width)
    }

    public var parameters: [Parameter] { [] }

    public var layerDescription: LayerDescription {
        .maxPool(size: size, channels: channels, height: height, width: width)
    }

    /// Each output is the largest input of its window (the first one on ties); the winner's
    /// position is remembered for the backward pass.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "MaxPool expects \(inputCount) features, got \(input.columns)")
        let batch = input.rows
        output.resizeRows(batch)
        let count = batch * outputCount
        if winners.count > count {
            winners.removeLast(winners.count - count)
        } else if winners.count < count {
            winners.append(contentsOf: repeatElement(0, count: count - winners.count))
        }
        let (s, w, oh, ow) = (size, width, outputHeight, outputWidth)
        input.values.withUnsafeBufferPointer { x in
            output.values.withUnsafeMutableBufferPointer { y in
                winners.withUnsafeMutableBufferPointer { winners in
                    var out = 0
                    for sample in 0..<batch {
                        let row = x.baseAddress! + sample * inputCount
                        for channel in 0..<channels {
                            let plane = channel * height * w
                            for oy in 0..<oh {
                                if s == 2 {
                                    // The common 2×2 window: four windows at a time, then the rest.
                                    let top = plane + 2 * oy * w
                                    let vectorCount = ow / 4 * 4
                                    for ox in stride(from: 0, to: vectorCount, by: 4) {
                                        Self.poolFourWindows(row, topLeft: top + 2 * ox, width: w,
                                                             into: y.baseAddress! + out, winners: winners.baseAddress! + out)
                                        out += 4
                                    }
                                    for ox in vectorCount..<ow {
                                        let topLeft = plane + 2 * oy * w + 2 * ox
                                        var best = topLeft
                                        if row[topLeft + 1] > row[best] { best = topLeft + 1 }
                                        if row[topLeft + w] > row[best] { best = topLeft + w }
                                        if row[topLeft + w + 1] > row[best] { best = topLeft + w + 1 }
                                        y[out] = row[best]
                                        winners[out] = Int32(best)
                                        out += 1
                                    }
                                    continue
                                }
                                for ox in 0..<ow {
                                    var best = plane + s * oy * w + s * ox
                                    for i in 0..<s {
                                        for j in 0..<s {
                                            let offset = plane + (s * oy + i) * w + s * ox + j
                                            if row[offset] > row[best] { best = offset }
                                        }
                                    }
                                    y[out] = row[best]
                                    winners[out] = Int32(best)
                                    out += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Four neighbouring 2×2 windows, whose top rows start at `row[topLeft]`: their maxima and
    /// winners, chosen exactly as the scalar loop does (the first of the four in reading order
    /// on ties).
    @inline(__always)
    private static func poolFourWindows(
        _ row: UnsafePointer<Float>, topLeft: Int, width: Int,
        into y: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>
    ) {
        let upper = UnsafeRawPointer(row + topLeft).loadUnaligned(as: SIMD8<Float>.self)
        let lower = UnsafeRawPointer(row + topLeft + width).loadUnaligned(as: SIMD8<Float>.self)
        let leftColumns = SIMD4<Int32>(0, 2, 4, 6) &+ Int32(topLeft)
        var best = upper.evenHalf
        var winner = leftColumns
        func challenge(_ candidate: SIMD4<Float>, offset: Int) {
            let isLarger = candidate .> best
            best.replace(with: candidate, where: isLarger)
            winner.replace(with: leftColumns &+ Int32(offset), where: isLarger)
        }
        challenge(upper.oddHalf, offset: 1)
        challenge(lower.evenHalf, offset: width)
        challenge(lower.oddHalf, offset: width + 1)
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(winners).storeBytes(of: winner, as: SIMD4<Int32>.self)
    }

    /// Backward of `y = x[winner]`: `∂y/∂x` is 1 at the window's winner and 0 at the other
    /// inputs, so each `dy` flows to its winner only and every other `dx` is zero.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        let batch = input.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == outputCount)
        inputGradient.resizeRows(needsInputGradient ? batch : 0)
        guard needsInputGradient else { return inputGradient }
        let perSample = outputCount
        inputGradient.values.withUnsafeMutableBufferPointer { dx in
            dx.update(repeating: 0)
            outputGradient.values.withUnsafeBufferPointer { dy in
                winners.withUnsafeBufferPointer { winners in
                    for sample in 0..<batch {
                        let row = dx.baseAddress! + sample * inputCount
                        for index in sample * perSample ..< (sample + 1) * perSample {
                            row[Int(winners[index])] += dy[index]
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
