// Inference through a multilayer perceptron chunk by chunk (`Network.forwardInChunks`): the
// bits of the layers' own forward passes taken one after another, from floats or from bytes,
// on one thread or two; each row's logits its own; and the networks it does not take.

import Testing
@testable import NeuralNet

@Suite("Chunked inference")
struct ChunkedInferenceTests {
    /// Hidden layer sizes: none, narrow (784-10-10's shape), wide with ragged strips of 64 and
    /// a narrow one after, and two wide layers.
    static let hiddenSizes: [[Int]] = [[], [10], [130, 33], [64, 70]]

    /// The layers' own inference passes, one after another (no chunks across layers).
    static func layerByLayer(_ network: Network, _ x: Matrix) -> Matrix {
        network.layers.reduce(x) { $1.forward($0, isTraining: false) }
    }

    static func withThreads<Result>(_ threads: Int, _ body: () throws -> Result) rethrows -> Result {
        let previous = ComputeThreads.maximum
        defer { ComputeThreads.maximum = previous }
        ComputeThreads.maximum = threads
        return try body()
    }

    @Test("The logits are the bits of the layers' own passes, for sparse and dense inputs, on one thread or two",
          arguments: [1, 2])
    func sameBitsAsLayerByLayer(threads: Int) {
        Self.withThreads(threads) {
            for (index, hidden) in Self.hiddenSizes.enumerated() {
                let network = Network(inputCount: 90, hiddenLayerSizes: hidden, outputCount: 10, seed: UInt64(index))
                #expect(network.perceptronStages?.count == hidden.count + 1)
                for density in [0.2, 1.0] {
                    let x = Matrix(rows: 300, columns: 90,
                                   values: sparseMatrix(rows: 300, columns: 90, density: density, seed: UInt64(20 + index)))
                    let expected = Self.layerByLayer(network, x).values
                    let logits = network.forward(x).values
                    #expect(logits.map(\.bitPattern) == expected.map(\.bitPattern), "hidden \(hidden), density \(density)")
                }
            }
        }
    }

    @Test("Bytes give the bits of their features, and each row's logits are the same alone or in a batch",
          arguments: [1, 2])
    func bytesAndRowsAlone(threads: Int) throws {
        try Self.withThreads(threads) {
            let samples = ByteSamples(count: 300, featureCount: 90, density: 0.2, seed: 3)
            for (index, hidden) in Self.hiddenSizes.enumerated() {
                let network = Network(inputCount: 90, hiddenLayerSizes: hidden, outputCount: 3, seed: UInt64(40 + index))
                var batch = Batch(capacity: 300, featureCount: 90)
                try batch.load(ArraySlice(0..<300), from: samples, classCount: 3, listsBytes: true)
                #expect(batch.featureBytes != nil)
                let fromBytes = network.forward(batch, isTraining: false).values
                try batch.load(ArraySlice(0..<300), from: samples.asFloats, classCount: 3, listsBytes: false)
                let x = batch.features
                #expect(fromBytes.map(\.bitPattern) == network.forward(x).values.map(\.bitPattern), "hidden \(hidden)")
                for r in [0, 127, 128, 299] {
                    let alone = network.forward(Matrix(rows: 1, columns: 90, values: Array(x.row(r)))).values
                    #expect(alone.map(\.bitPattern) == fromBytes[(r * 3)..<((r + 1) * 3)].map(\.bitPattern),
                            "hidden \(hidden), row \(r)")
                }
            }
        }
    }

    @Test("A wide layer's inference gives the training pass's bits, for sparse and dense inputs", arguments: [1, 2])
    func wideLayersAsInTraining(threads: Int) {
        Self.withThreads(threads) {
            for (index, outputs) in [32, 64, 130].enumerated() {
                var generator = SeededGenerator(seed: UInt64(60 + index))
                let layer = Dense(inputCount: 90, outputCount: outputs, initializer: .he, generator: &generator)
                for density in [0.2, 1.0] {
                    let x = Matrix(rows: 300, columns: 90,
                                   values: sparseMatrix(rows: 300, columns: 90, density: density, seed: UInt64(index)))
                    let inference = layer.forward(x, isTraining: false).values
                    let training = layer.forward(x, isTraining: true).values
                    #expect(inference.map(\.bitPattern) == training.map(\.bitPattern), "\(outputs) outputs, density \(density)")
                }
            }
        }
    }

    @Test("Only dense layers, each but the last with or without a rectifier, make a perceptron")
    func whatIsAPerceptron() {
        var generator = SeededGenerator(seed: 1)
        func dense(_ inputs: Int, _ outputs: Int) -> Dense {
            Dense(inputCount: inputs, outputCount: outputs, initializer: .he, generator: &generator)
        }
        #expect(Network(layers: [dense(4, 5), dense(5, 3)]).perceptronStages.map { $0.map(\.isRectified) } == [false, false])
        #expect(Network(layers: [dense(4, 5), ReLU(featureCount: 5), dense(5, 3)]).perceptronStages.map {
            $0.map(\.isRectified)
        } == [true, false])
        #expect(Network(layers: [dense(4, 5), ReLU(featureCount: 5)]).perceptronStages == nil)
        #expect(Network(layers: [dense(4, 5), ReLU(featureCount: 5), ReLU(featureCount: 5), dense(5, 3)]).perceptronStages == nil)
        #expect(Network(layers: [dense(4, 5), Dropout(featureCount: 5, rate: 0.5), dense(5, 3)]).perceptronStages == nil)
    }

    @Test("A network that is not a perceptron infers layer by layer, with the same result")
    func otherNetworks() {
        var generator = SeededGenerator(seed: 2)
        let network = Network(layers: [
            Dense(inputCount: 30, outputCount: 40, initializer: .he, generator: &generator),
            Dropout(featureCount: 40, rate: 0.5),
            ReLU(featureCount: 40),
            Dense(inputCount: 40, outputCount: 10, initializer: .he, generator: &generator),
        ])
        let x = randomMatrix(rows: 50, columns: 30, seed: 3)
        #expect(network.forward(x).values == Self.layerByLayer(network, x).values)
    }

    @Test("An inference pass leaves the hidden layers' outputs of the last training pass")
    func hiddenOutputsKept() {
        let network = Network(inputCount: 20, hiddenLayerSizes: [40], outputCount: 10, seed: 4)
        let training = randomMatrix(rows: 8, columns: 20, seed: 5)
        network.forward(training, isTraining: true)
        let hidden = network.layers.dropLast().map(\.output)
        network.forward(randomMatrix(rows: 300, columns: 20, seed: 6))
        #expect(network.layers.dropLast().map(\.output) == hidden)
        #expect(network.layers.last!.output.rows == 300)
    }
}
