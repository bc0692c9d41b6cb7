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
        (20, 8, 3), (50, 18, 4),
    ]

    /// `NarrowProduct` packed from `V = Wᵀ` (`[inputs, outputs]`) and the biases `b`.
    static func packed(v: [Float], b: [Float], inputs: Int, outputs: Int) -> NarrowProduct {
        var product = NarrowProduct()
        v.withUnsafeBufferPointer { v in
            b.withUnsafeBufferPointer { b in
                product.pack(transposedWeights: v.baseAddress!, bias: b.baseAddress!, inputCount: inputs, outputCount: outputs)
            }
        }
        return product
    }

    /// `b + x · V` for `x` `[rows, inputs]`, through `NarrowProduct`.
    static func narrowOutputs(x: [Float], v: [Float], b: [Float], rows: Int) -> [Float] {
        let product = packed(v: v, b: b, inputs: v.count / b.count, outputs: b.count)
        var y = [Float](repeating: .nan, count: rows * b.count)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                product.writeOutputs(x: x.baseAddress!, rows: 0..<rows, into: y.baseAddress!)
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
            let b = randomValues(count: outputs, seed: UInt64(90 + index))
            let y = Self.narrowOutputs(x: x, v: v, b: b, rows: rows)
            for r in 0..<rows {
                for o in 0..<outputs {
                    var exact = Double(b[o]), magnitude = abs(exact)
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
        let b = randomValues(count: outputs, seed: 5)
        let product = Self.packed(v: v, b: b, inputs: inputs, outputs: outputs)
        var fromBytes = [Float](repeating: .nan, count: samples.count * outputs)
        source.withUnsafeBufferPointer { bytes in
            samples.withUnsafeBufferPointer { samples in
                fromBytes.withUnsafeMutableBufferPointer { y in
                    product.writeOutputs(bytes: bytes.baseAddress!, samples: samples, rows: 0..<samples.count, into: y.baseAddress!)
                }
            }
        }
        let fromFloats = Self.narrowOutputs(x: floats, v: v, b: b, rows: samples.count)
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

    @Test("Inference sees every change to the weights and biases (the rearranged copies are remade)")
    func inferenceFollowsTheWeights() {
        var generator = SeededGenerator(seed: 9)
        let layer = Dense(inputCount: 40, outputCount: 10, initializer: .he, generator: &generator)
        let x = Matrix(rows: 3, columns: 40, values: sparseMatrix(rows: 3, columns: 40, density: 0.2, seed: 10))
        let before = layer.forward(x, isTraining: false).values
        #expect(layer.forward(x, isTraining: false).values == before)
        let version = layer.weight.version
        layer.weight.value.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        #expect(layer.weight.version != version)
        let zeroWeights = layer.forward(x, isTraining: false).values
        #expect(zeroWeights == (0..<3).flatMap { _ in layer.bias.value })
        layer.bias.value[2] += 1
        #expect(layer.forward(x, isTraining: false).values[2] == zeroWeights[2] + 1)
    }

    @Test("Evaluating from bytes after more training still equals evaluating from floats (wide and narrow layers)")
    func evaluationAfterTraining() throws {
        let samples = ByteSamples(count: 300, featureCount: 50, density: 0.2, seed: 11)
        let configuration = TrainingConfiguration(
            hiddenLayerSizes: [64], epochs: 1, batchSize: 32, learningRate: 0.05, optimizer: .sgd, seed: 5)
        let network = configuration.makeNetwork(inputCount: 50, classCount: 3)
        let trainer = Trainer(network: network, configuration: configuration)
        for epoch in 1...2 {
            _ = try trainer.trainEpoch(epoch, on: samples)
            let fromBytes = try network.evaluate(on: samples, batchSize: 300)
            let fromFloats = try network.evaluate(on: samples.asFloats, batchSize: 300)
            #expect(fromBytes == fromFloats, "after epoch \(epoch)")
        }
    }
}

