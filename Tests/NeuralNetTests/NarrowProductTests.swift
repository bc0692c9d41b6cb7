// Inference through a layer with few outputs (`NarrowProduct`): dot products in another order
// than `gemm`'s, so not its bits, but the sums to float precision, on odd shapes; the same
// bits from bytes as from their floats; and each image's logits its own, whatever the batch
// and the number of threads.

import Testing
@testable import NeuralNet

@Suite("Narrow-layer inference")
struct NarrowProductTests {
    /// (inputs, outputs, rows): inputs that are not a multiple of 8 or 32, outputs that fill
    /// no tile of ten, one, or several.
    static let shapes: [(inputs: Int, outputs: Int, rows: Int)] = [
        (1, 1, 1), (7, 10, 3), (8, 1, 2), (33, 20, 4), (61, 11, 9), (100, 31, 5), (784, 10, 37), (65, 9, 130),
    ]

    /// The narrow products of `x` (`[rows, inputs]`) with `V = Wᵀ` (`[inputs, outputs]`), added to `start`.
    static func narrowProducts(x: [Float], v: [Float], start: [Float], inputs: Int, outputs: Int) -> [Float] {
        var product = NarrowProduct()
        v.withUnsafeBufferPointer { product.pack(transposedWeights: $0.baseAddress!, inputCount: inputs, outputCount: outputs) }
        var y = start
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                product.addProducts(x: x.baseAddress!, rows: 0..<(start.count / outputs), into: y.baseAddress!)
            }
        }
        return y
    }

    @Test("Each output is its dot product to float precision, on odd shapes")
    func againstDoublePrecision() {
        for (index, (inputs, outputs, rows)) in Self.shapes.enumerated() {
            var x = sparseMatrix(rows: rows, columns: inputs, density: 0.3, seed: UInt64(index))
            x[0] = -0.0
            let v = randomValues(count: inputs * outputs, seed: UInt64(50 + index))
            let start = randomValues(count: rows * outputs, seed: UInt64(90 + index))
            let y = Self.narrowProducts(x: x, v: v, start: start, inputs: inputs, outputs: outputs)
            for r in 0..<rows {
                for o in 0..<outputs {
                    var exact = Double(start[r * outputs + o]), magnitude = abs(exact)
                    for k in 0..<inputs {
                        let term = Double(x[r * inputs + k]) * Double(v[k * outputs + o])
                        exact += term
                        magnitude += abs(term)
                    }
                    let error = abs(Double(y[r * outputs + o]) - exact)
                    #expect(error <= 1e-6 * magnitude + 1e-12, "shape \(inputs)×\(outputs), row \(r), output \(o)")
                }
            }
        }
    }

    @Test("Bytes give the bits of their features b / 255, samples taken in any order")
    func bytesEqualFloats() {
        let (inputs, outputs) = (61, 13)
        let source = ByteSamples(count: 50, featureCount: inputs, density: 0.25, seed: 2).featureBytes
        let samples = (0..<40).map { ($0 * 11) % 50 }
        let floats = samples.flatMap { sample in source[(sample * inputs)..<((sample + 1) * inputs)].map { Float($0) / 255 } }
        let v = randomValues(count: inputs * outputs, seed: 4)
        let start = randomValues(count: samples.count * outputs, seed: 5)
        var product = NarrowProduct()
        v.withUnsafeBufferPointer { product.pack(transposedWeights: $0.baseAddress!, inputCount: inputs, outputCount: outputs) }
        var fromBytes = start
        source.withUnsafeBufferPointer { bytes in
            samples.withUnsafeBufferPointer { samples in
                fromBytes.withUnsafeMutableBufferPointer { y in
                    product.addProducts(bytes: bytes.baseAddress!, samples: samples, rows: 0..<samples.count, into: y.baseAddress!)
                }
            }
        }
        let fromFloats = Self.narrowProducts(x: floats, v: v, start: start, inputs: inputs, outputs: outputs)
        #expect(fromBytes.map(\.bitPattern) == fromFloats.map(\.bitPattern))
    }

    @Test("A dense layer's inference gives each row the same bits alone or in a batch, on one thread or two",
          arguments: [1, 2])
    func rowsAreIndependent(threads: Int) {
        let previous = ComputeThreads.maximum
        defer { ComputeThreads.maximum = previous }
        ComputeThreads.maximum = threads
        let (inputs, outputs, rows) = (90, 10, 300)
        var generator = SeededGenerator(seed: 7)
        let layer = Dense(inputCount: inputs, outputCount: outputs, initializer: .he, generator: &generator)
        let x = Matrix(rows: rows, columns: inputs, values: sparseMatrix(rows: rows, columns: inputs, density: 0.2, seed: 8))
        let batch = layer.forward(x, isTraining: false).values
        for r in [0, 1, 149, 150, 299] {
            let alone = layer.forward(Matrix(rows: 1, columns: inputs, values: Array(x.row(r))), isTraining: false)
            #expect(alone.values.map(\.bitPattern) == batch[(r * outputs)..<((r + 1) * outputs)].map(\.bitPattern))
        }
        // The training pass sums in another order: the same logits to float precision.
        let training = layer.forward(x, isTraining: true).values
        for (a, b) in zip(batch, training) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }
}
