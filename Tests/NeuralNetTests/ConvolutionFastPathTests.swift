// The fast paths of the image layers against naive references on odd shapes: im2col and its
// adjoint, Conv2D's image-group backward pass, its thread split, and MaxPool's vector windows.

import Testing
@testable import NeuralNet

@Suite("Convolution fast paths")
struct ConvolutionFastPathTests {

    // MARK: im2col

    /// The direct definition: `columns[q, oy·OW + ox] = x[c, oy + ky − pad, ox + kx − pad]`.
    static func naiveColumns(_ geometry: ImageColumns, image: [Float]) -> [Float] {
        let (k, p) = (geometry.kernelSize, geometry.positionCount)
        var columns = [Float](repeating: 0, count: geometry.rowCount * p)
        for q in 0..<geometry.rowCount {
            let (channel, ky, kx) = (q / (k * k), q / k % k, q % k)
            for oy in 0..<geometry.outputHeight {
                for ox in 0..<geometry.outputWidth {
                    let (iy, ix) = (oy + ky - geometry.border, ox + kx - geometry.border)
                    guard (0..<geometry.height).contains(iy), (0..<geometry.width).contains(ix) else { continue }
                    columns[q * p + oy * geometry.outputWidth + ox] =
                        image[(channel * geometry.height + iy) * geometry.width + ix]
                }
            }
        }
        return columns
    }

    static func geometry(channels: Int, height: Int, width: Int, kernelSize: Int, padding: Padding) -> ImageColumns {
        Conv2D(inputChannels: channels, outputChannels: 1, kernelSize: kernelSize,
               height: height, width: width, padding: padding).imageColumns
    }

    @Test("im2col of a row range, rows spaced wider than P, equals the definition",
          arguments: [(3, 7, 11, 3, Padding.same), (2, 13, 9, 5, .valid), (1, 19, 21, 5, .same), (2, 6, 6, 5, .same)])
    func columnsCopy(shape: (Int, Int, Int, Int, Padding)) {
        let g = Self.geometry(channels: shape.0, height: shape.1, width: shape.2, kernelSize: shape.3, padding: shape.4)
        let image = randomValues(count: g.channels * g.height * g.width, seed: 51)
        let expected = Self.naiveColumns(g, image: image)
        let p = g.positionCount
        let stride = p + 3
        for rows in [0..<g.rowCount, 1..<g.rowCount - 2] {
            var columns = [Float](repeating: .nan, count: rows.count * stride)
            image.withUnsafeBufferPointer { x in
                columns.withUnsafeMutableBufferPointer { c in
                    g.copy(x.baseAddress!, rows: rows, into: c.baseAddress!, rowStride: stride)
                }
            }
            for q in rows {
                let row = q - rows.lowerBound
                let written = Array(columns[row * stride ..< row * stride + p])
                let untouched = columns[row * stride + p ..< (row + 1) * stride].allSatisfy { $0.isNaN }
                #expect(written == Array(expected[q * p ..< (q + 1) * p]), "row \(q)")
                #expect(untouched, "row \(q) wrote past P")
            }
        }
    }

    @Test("col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩, and adds to the image",
          arguments: [(3, 7, 11, 3, Padding.same), (2, 13, 9, 5, .valid), (1, 19, 21, 5, .same)])
    func columnsAdd(shape: (Int, Int, Int, Int, Padding)) {
        let g = Self.geometry(channels: shape.0, height: shape.1, width: shape.2, kernelSize: shape.3, padding: shape.4)
        let image = randomValues(count: g.channels * g.height * g.width, seed: 52)
        let columns = randomValues(count: g.rowCount * g.positionCount, seed: 53)
        let start = randomValues(count: image.count, seed: 54)
        var sum = start
        columns.withUnsafeBufferPointer { c in
            sum.withUnsafeMutableBufferPointer { x in
                g.add(c.baseAddress!, rows: 0..<g.rowCount, rowStride: g.positionCount, into: x.baseAddress!)
            }
        }
        let added = zip(sum, start).map { Double($0) - Double($1) }
        let left = zip(Self.naiveColumns(g, image: image), columns).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(image, added).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        #expect(abs(left - right) < 1e-4 * max(1, abs(left)))
    }

    // MARK: Conv2D backward

    /// dW, db and dx by the definition, in Double.
    static func naiveBackward(_ layer: Conv2D, input: Matrix, outputGradient dy: Matrix)
        -> (weight: [Double], bias: [Double], input: [Double]) {
        let (c, f, k, h, w) = (layer.inputChannels, layer.outputChannels, layer.kernelSize, layer.height, layer.width)
        let (oh, ow, pad) = (layer.outputHeight, layer.outputWidth, layer.border)
        var dW = [Double](repeating: 0, count: f * c * k * k)
        var db = [Double](repeating: 0, count: f)
        var dx = [Double](repeating: 0, count: input.values.count)
        for sample in 0..<input.rows {
            for filter in 0..<f {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let g = Double(dy[sample, (filter * oh + oy) * ow + ox])
                        db[filter] += g
                        for channel in 0..<c {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let (iy, ix) = (oy + ky - pad, ox + kx - pad)
                                    guard (0..<h).contains(iy), (0..<w).contains(ix) else { continue }
                                    let xIndex = (channel * h + iy) * w + ix
                                    let wIndex = ((filter * c + channel) * k + ky) * k + kx
                                    dW[wIndex] += g * Double(input[sample, xIndex])
                                    dx[sample * c * h * w + xIndex] += g * Double(layer.weight.value[wIndex])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dW, db, dx)
    }

    @Test("Conv2D backward over groups of images (10×10 outputs: two a group, batch 5) equals the definition",
          arguments: [Padding.same, .valid])
    func groupedBackward(padding: Padding) {
        let size = padding == .same ? 10 : 12
        let layer = Conv2D(inputChannels: 3, outputChannels: 5, kernelSize: 3, height: size, width: size, padding: padding)
        #expect(layer.samplesPerGroup == 2)
        layer.weight.value = randomValues(count: layer.weight.value.count, seed: 61)
        layer.bias.value = randomValues(count: 5, seed: 62)
        let input = randomMatrix(rows: 5, columns: layer.inputCount, seed: 63)
        let dy = randomMatrix(rows: 5, columns: layer.outputCount, seed: 64)
        _ = layer.forward(input, isTraining: true)
        let dx = layer.backward(input: input, outputGradient: dy, needsInputGradient: true).values
        let expected = Self.naiveBackward(layer, input: input, outputGradient: dy)
        for (name, actual, reference) in [("dW", layer.weight.gradient, expected.weight),
                                          ("db", layer.bias.gradient, expected.bias), ("dx", dx, expected.input)] {
            let worst = zip(actual, reference).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-4, "\(name): largest difference \(worst)")
        }
    }

    @Test("Conv2D gives the same bits on one thread and two (image split forward, kernel-row split backward)",
          arguments: [(1, false), (3, true), (4, true), (1, true)])
    func threadCounts(channels: Int, needsInputGradient: Bool) {
        func run(threads: Int) -> [[Float]] {
            let previous = ComputeThreads.maximum
            defer { ComputeThreads.maximum = previous }
            ComputeThreads.maximum = threads
            let layer = Conv2D(inputChannels: channels, outputChannels: 6, kernelSize: 5, height: 13, width: 11, padding: .valid)
            layer.weight.value = randomValues(count: layer.weight.value.count, seed: 71)
            layer.bias.value = randomValues(count: 6, seed: 72)
            let input = randomMatrix(rows: 7, columns: layer.inputCount, seed: 73)
            let output = layer.forward(input, isTraining: true).values
            let dy = randomMatrix(rows: 7, columns: layer.outputCount, seed: 74)
            let dx = layer.backward(input: input, outputGradient: dy, needsInputGradient: needsInputGradient).values
            return [output, dx, layer.weight.gradient, layer.bias.gradient]
        }
        #expect(run(threads: 1) == run(threads: 2))
    }

    // MARK: MaxPool

    @Test("MaxPool's four-window vector path picks the scalar path's winners, ties included",
          arguments: [(3, 10, 11), (2, 8, 8), (1, 24, 24), (2, 5, 19)])
    func maxPoolVectorPath(shape: (Int, Int, Int)) {
        let (channels, height, width) = shape
        let layer = MaxPool(channels: channels, height: height, width: width)
        // Few distinct values, so that most windows hold ties.
        let input = Matrix(rows: 2, columns: layer.inputCount,
                           values: randomValues(count: 2 * layer.inputCount, seed: 81).map { ($0 * 2).rounded() })
        let output = layer.forward(input, isTraining: true)
        let dy = randomMatrix(rows: 2, columns: layer.outputCount, seed: 82)
        let dx = layer.backward(input: input, outputGradient: dy, needsInputGradient: true)
        var expectedDx = [Float](repeating: 0, count: input.values.count)
        let (oh, ow) = (layer.outputHeight, layer.outputWidth)
        for sample in 0..<2 {
            for channel in 0..<channels {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let topLeft = sample * layer.inputCount + (channel * height + 2 * oy) * width + 2 * ox
                        var best = topLeft
                        for offset in [topLeft + 1, topLeft + width, topLeft + width + 1]
                        where input.values[offset] > input.values[best] {
                            best = offset
                        }
                        let out = (channel * oh + oy) * ow + ox
                        #expect(output[sample, out] == input.values[best])
                        expectedDx[best] += dy[sample, out]
                    }
                }
            }
        }
        #expect(dx.values == expectedDx)
    }
}
