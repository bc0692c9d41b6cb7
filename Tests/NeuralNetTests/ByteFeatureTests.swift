// Samples kept as bytes (`ByteFeatureSource`): the first dense layer lists their nonzero
// features straight from the bytes. That must change nothing: the listing, the trained
// weights and the evaluation equal those of the same samples converted to floats.

import Testing
@testable import NeuralNet

/// Samples as bytes, a byte `b` standing for the feature `b / 255`, about `density` of them
/// nonzero (every value 1…255 occurs), with labels 0…2.
struct ByteSamples: ByteFeatureSource {
    let featureBytes: [UInt8]
    let labels: [Int]
    let featureCount: Int
    var sampleCount: Int { labels.count }

    init(count: Int, featureCount: Int, density: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        featureBytes = (0..<count * featureCount).map { _ in
            generator.nextUniform(from: 0, to: 1) < Float(density) ? UInt8(1 + generator.next() % 255) : 0
        }
        labels = (0..<count).map { _ in Int(generator.next() % 3) }
        self.featureCount = featureCount
    }

    func copySamples(at indices: ArraySlice<Int>, into features: UnsafeMutableBufferPointer<Float>,
                     labels: UnsafeMutableBufferPointer<Int>) {
        for (row, sample) in zip(0..., indices) {
            for column in 0..<featureCount {
                features[row * featureCount + column] = Float(featureBytes[sample * featureCount + column]) / 255
            }
            labels[row] = self.labels[sample]
        }
    }

    func copyLabels(at indices: ArraySlice<Int>, into labels: UnsafeMutableBufferPointer<Int>) {
        for (row, sample) in zip(0..., indices) { labels[row] = self.labels[sample] }
    }

    /// The same samples as floats, which the network reads as a matrix.
    var asFloats: InMemoryBatchSource {
        InMemoryBatchSource(
            features: Matrix(rows: sampleCount, columns: featureCount, values: featureBytes.map { Float($0) / 255 }),
            labels: labels)
    }
}

@Suite("Byte features")
struct ByteFeatureTests {
    @Test("Listing bytes gives the listing of their features b / 255")
    func listingBytes() {
        // 61 bytes a sample (not a multiple of eight), 300 samples taken in a scattered order;
        // one sample has no zero byte, one only zeros.
        let columns = 61
        var source = ByteSamples(count: 400, featureCount: columns, density: 0.2, seed: 5).featureBytes
        for column in 0..<columns {
            source[7 * columns + column] = UInt8(column + 195)
            source[14 * columns + column] = 0
        }
        let samples = (0..<300).map { ($0 * 7) % 400 }
        let floats = samples.flatMap { sample in source[(sample * columns)..<((sample + 1) * columns)].map { Float($0) / 255 } }
        var fromFloats = SparseMatrix(), fromBytes = SparseMatrix()
        floats.withUnsafeBufferPointer { fromFloats.load(rowsOf: $0.baseAddress!, rows: samples.count, columns: columns) }
        source.withUnsafeBufferPointer { bytes in
            samples.withUnsafeBufferPointer { samples in
                fromBytes.load(rowsOfBytes: bytes.baseAddress!, samples: samples, columns: columns)
            }
        }
        #expect(fromBytes.rows == samples.count && fromBytes.columns == columns)
        #expect(fromBytes.lineStart == fromFloats.lineStart)
        let count = fromFloats.count
        #expect(count > 0 && fromBytes.count == count)
        #expect(fromBytes.position[0..<count] == fromFloats.position[0..<count])
        #expect(fromBytes.value[0..<count] == fromFloats.value[0..<count])

        let density = source.withUnsafeBufferPointer { SparseMatrix.density(ofBytes: $0) }
        #expect(density == Double(source.filter { $0 != 0 }.count) / Double(source.count))
    }

    @Test("Every byte lists as b / 255, bit for bit")
    func everyByteValue() {
        // One sample holding 0…255 in a shuffled order, so that each value sits in every kind of group.
        let bytes = (0..<256).map { UInt8(($0 * 37 + 11) % 256) }
        var listing = SparseMatrix()
        bytes.withUnsafeBufferPointer { bytes in
            [0].withUnsafeBufferPointer { samples in
                listing.load(rowsOfBytes: bytes.baseAddress!, samples: samples, columns: 256)
            }
        }
        #expect(listing.count == 255)
        for e in 0..<listing.count {
            let byte = bytes[Int(listing.position[e])]
            #expect(listing.value[e].bitPattern == (Float(byte) / 255).bitPattern, "byte \(byte)")
        }
        let quotients = (0..<256).map { b in dividedBy255(SIMD8(repeating: Float(b)))[0] }
        #expect(quotients == (0..<256).map { Float($0) / 255 })
    }

    /// Plain SGD's step for the first layer's weights is taken in the backward pass from bytes
    /// (`DescentStep`), by the optimiser from floats: the same bits either way. Batches of 100
    /// are more than one block of rows (`sparseBlockRows`) for the sums of dV; 70 hidden units
    /// are a strip of 64 columns, which the steps keep in inference's copy for the forward
    /// passes and the evaluation, and six columns outside it.
    @Test("Training and evaluating from bytes equal doing so from floats, sparse or not",
          arguments: [0.2, 0.9], [(OptimizerChoice.momentum, 32, 20), (.sgd, 32, 20), (.sgd, 100, 20), (.sgd, 32, 70)])
    func trainingFromBytes(density: Double, run: (optimizer: OptimizerChoice, batchSize: Int, hidden: Int)) throws {
        let samples = ByteSamples(count: 300, featureCount: 50, density: density, seed: 8)
        let configuration = TrainingConfiguration(
            hiddenLayerSizes: [run.hidden], epochs: 2, batchSize: run.batchSize, learningRate: 0.05,
            optimizer: run.optimizer, seed: 3)
        func trained(on source: some BatchSource) throws -> (Network, [EpochSummary], Evaluation) {
            let network = configuration.makeNetwork(inputCount: 50, classCount: 3)
            let history = try Trainer(network: network, configuration: configuration).train(on: source)
            // A batch of 300 is listed on two threads.
            return (network, history, try network.evaluate(on: source, batchSize: 300))
        }
        let (byteNetwork, byteHistory, byteEvaluation) = try trained(on: samples)
        let (floatNetwork, floatHistory, floatEvaluation) = try trained(on: samples.asFloats)
        #expect(byteNetwork.parameters.map(\.value) == floatNetwork.parameters.map(\.value))
        #expect(byteHistory.map(\.trainLoss) == floatHistory.map(\.trainLoss))
        #expect(byteEvaluation == floatEvaluation)
        #expect(byteHistory.last!.trainLoss < byteHistory.first!.trainLoss || density > 0.5)
    }

    /// A small first layer whose products stay on one thread, and one of 64 outputs whose
    /// products are split over both (64 rows × 300 inputs × a quarter nonzero × 64 outputs is
    /// past `sparseParallelThreshold`) and whose backward pass takes a listing by column too.
    static let listedAheadShapes = [
        (samples: 200, inputs: 40, hidden: 12, batchSize: 16),
        (samples: 256, inputs: 300, hidden: 64, batchSize: 64),
    ]

    @Test("Training from bytes gives the same weights on one thread and on two (where the next batch is listed ahead)",
          arguments: listedAheadShapes)
    func listingAhead(shape: (samples: Int, inputs: Int, hidden: Int, batchSize: Int)) throws {
        let samples = ByteSamples(count: shape.samples, featureCount: shape.inputs, density: 0.25, seed: 12)
        let configuration = TrainingConfiguration(
            hiddenLayerSizes: [shape.hidden], epochs: 2, batchSize: shape.batchSize, learningRate: 0.05,
            optimizer: .sgd, seed: 4)
        func weights(threads: Int) throws -> [[Float]] {
            let previous = ComputeThreads.maximum
            defer { ComputeThreads.maximum = previous }
            ComputeThreads.maximum = threads
            let network = configuration.makeNetwork(inputCount: shape.inputs, classCount: 3)
            try Trainer(network: network, configuration: configuration).train(on: samples)
            return network.parameters.map(\.value)
        }
        #expect(try weights(threads: 1) == weights(threads: 2))
    }

    @Test("A listing asked for ahead is made once started, and only a started one is taken")
    func requestedListings() {
        let samples = ByteSamples(count: 6, featureCount: 20, density: 0.3, seed: 14)
        let listings = ListingInBackground()
        var rows = SparseMatrix(), columns = SparseMatrix()
        let batch = [4, 1, 5]
        var expected = SparseMatrix()
        samples.featureBytes.withUnsafeBufferPointer { bytes in
            batch.withUnsafeBufferPointer { batch in
                expected.load(rowsOfBytes: bytes.baseAddress!, samples: batch, columns: 20)
            }
        }
        listings.request(bytes: samples.featureBytes, samples: batch[...], columns: 20, byColumn: true)
        batch.withUnsafeBufferPointer { batch in
            #expect(!listings.takeListing(of: batch, into: &rows, byColumn: &columns), "not started yet")
            listings.startRequested()
            #expect(listings.takeListing(of: batch, into: &rows, byColumn: &columns))
            #expect(!listings.takeListing(of: batch, into: &rows, byColumn: &columns), "taken already")
        }
        #expect(rows.count == expected.count && rows.count > 0)
        #expect(rows.lineStart == expected.lineStart && rows.position == expected.position && rows.value == expected.value)
        #expect(columns.order == .byColumn && columns.count == expected.count)
        // Started twice, listed once: a second start without a new request does nothing.
        listings.startRequested()
        batch.withUnsafeBufferPointer { batch in
            #expect(!listings.takeListing(of: batch, into: &rows, byColumn: &columns))
        }
    }
}
