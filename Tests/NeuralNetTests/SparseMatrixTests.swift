// The sparse-input products against `gemm`: they must give exactly its results (they skip only
// terms that add zero), on odd shapes, on one thread and on two. And the dense layer that uses
// them: its transposed weight layout and both of its paths.

import Testing
@testable import NeuralNet

/// A seeded `[rows, columns]` matrix in which about `density` of the entries are nonzero,
/// with whole zero rows and columns among them.
func sparseMatrix(rows: Int, columns: Int, density: Double, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<rows * columns).map { index in
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        if row % 5 == 3 || column % 7 == 2 { return 0 }
        let keep = generator.nextUniform(from: 0, to: 1) < Float(density)
        return keep ? generator.nextUniform(from: -1, to: 1) : 0
    }
}

@Suite("Sparse-input products")
struct SparseMatrixTests {
    static let shapes: [(rows: Int, columns: Int, n: Int)] = [
        (1, 1, 1), (7, 5, 10), (6, 9, 16), (13, 31, 17), (64, 784, 10), (3, 40, 63),
        (9, 100, 64), (11, 57, 65), (64, 784, 128), (5, 33, 130), (64, 784, 256),
        // More than one block of B rows (`sparseBlockRows`) for xᵀ · B too.
        (130, 50, 64), (200, 37, 128),
        // Enough work for two threads on a narrow C, which then split its rows.
        (600, 300, 20), (900, 99, 31),
    ]

    @Test("Listing by row keeps every nonzero entry in order", arguments: [0.0, 0.2, 1.0])
    func listingByRow(density: Double) {
        let (rows, columns) = (9, 37)
        let x = sparseMatrix(rows: rows, columns: columns, density: density, seed: 3)
        var listing = SparseMatrix()
        x.withUnsafeBufferPointer { listing.load(rowsOf: $0.baseAddress!, rows: rows, columns: columns) }
        #expect(listing.count == x.filter { $0 != 0 }.count)
        var rebuilt = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            let entries = listing.lineStart[row]..<listing.lineStart[row + 1]
            let positions = entries.map { Int(listing.position[$0]) }
            #expect(positions == positions.sorted())
            for e in entries { rebuilt[row * columns + Int(listing.position[e])] = listing.value[e] }
        }
        #expect(rebuilt == x)
        let fraction = x.withUnsafeBufferPointer { SparseMatrix.density(of: $0.baseAddress!, count: $0.count) }
        #expect(fraction == Double(listing.count) / Double(rows * columns))
    }

    @Test("x · B equals gemm exactly, on one thread and two", arguments: [1, 2])
    func multiply(threads: Int) {
        for (index, (rows, columns, n)) in Self.shapes.enumerated() {
            let x = sparseMatrix(rows: rows, columns: columns, density: 0.2, seed: UInt64(index))
            let b = randomValues(count: columns * n, seed: UInt64(100 + index))
            let start = randomValues(count: rows * n, seed: UInt64(200 + index))
            for accumulate in [false, true] {
                var expected = start, actual = start
                gemm(m: rows, n: n, k: columns, a: x, transposeA: false, b: b, transposeB: false,
                     c: &expected, accumulate: accumulate)
                var listing = SparseMatrix()
                x.withUnsafeBufferPointer { listing.load(rowsOf: $0.baseAddress!, rows: rows, columns: columns) }
                b.withUnsafeBufferPointer { b in
                    actual.withUnsafeMutableBufferPointer { c in
                        listing.multiply(by: b.baseAddress!, n: n, into: c.baseAddress!,
                                         accumulate: accumulate, threads: threads)
                    }
                }
                #expect(actual == expected, "\(rows)×\(columns) · \(columns)×\(n), accumulate \(accumulate)")

                // B's columns laid out in strips of 64 beforehand (inference) change nothing.
                var strips = [Float](repeating: .nan, count: (n / 64) * 64 * columns)
                var fromStrips = start
                b.withUnsafeBufferPointer { b in
                    strips.withUnsafeMutableBufferPointer {
                        SparseMatrix.packStrips(of: b.baseAddress!, rows: columns, n: n, into: $0.baseAddress!)
                    }
                    strips.withUnsafeBufferPointer { strips in
                        fromStrips.withUnsafeMutableBufferPointer { c in
                            listing.multiply(by: b.baseAddress!, n: n, into: c.baseAddress!,
                                             accumulate: accumulate, threads: threads, strips: strips.baseAddress)
                        }
                    }
                }
                #expect(fromStrips == expected, "strips: \(rows)×\(columns) · \(columns)×\(n), accumulate \(accumulate)")
            }
        }
    }

    @Test("xᵀ · B equals gemm exactly, on one thread and two", arguments: [1, 2])
    func transposedMultiply(threads: Int) {
        for (index, (rows, columns, n)) in Self.shapes.enumerated() {
            let x = sparseMatrix(rows: rows, columns: columns, density: 0.2, seed: UInt64(index))
            let b = randomValues(count: rows * n, seed: UInt64(300 + index))
            var expected = [Float](repeating: 0, count: columns * n)
            gemm(m: columns, n: n, k: rows, a: x, transposeA: true, b: b, transposeB: false,
                 c: &expected, accumulate: false)
            var byRow = SparseMatrix(), byColumn = SparseMatrix()
            x.withUnsafeBufferPointer { byRow.load(rowsOf: $0.baseAddress!, rows: rows, columns: columns) }
            byColumn.load(columnsOf: byRow)
            var actual = [Float](repeating: .nan, count: columns * n)
            b.withUnsafeBufferPointer { b in
                actual.withUnsafeMutableBufferPointer { c in
                    byColumn.transposedMultiply(by: b.baseAddress!, n: n, into: c.baseAddress!, threads: threads)
                }
            }
            #expect(actual == expected, "\(columns)×\(rows) · \(rows)×\(n)")

            // A descent step instead takes each row from W as SGD would, W − η · row, and
            // leaves the rows of columns without entries as they were.
            let weights = randomValues(count: columns * n, seed: UInt64(500 + index))
            let rate: Float = 0.3
            var descended = weights
            var scratch = [Float](repeating: .nan, count: columns * n)
            b.withUnsafeBufferPointer { b in
                scratch.withUnsafeMutableBufferPointer { c in
                    descended.withUnsafeMutableBufferPointer { w in
                        byColumn.transposedMultiply(by: b.baseAddress!, n: n, into: c.baseAddress!, threads: threads,
                                                    descent: DescentStep(weights: w.baseAddress!, rate: rate))
                    }
                }
            }
            let stepped = zip(weights, expected).map { w, g in w - rate * g }
            #expect(zip(descended, stepped).filter { $0 != $1 }.isEmpty, "descent: \(columns)×\(rows) · \(rows)×\(n)")
            let blankColumns = (0..<columns).filter { k in (0..<rows).allSatisfy { x[$0 * columns + k] == 0 } }
            #expect(blankColumns.allSatisfy { k in
                descended[(k * n)..<((k + 1) * n)].elementsEqual(weights[(k * n)..<((k + 1) * n)]) { $0.bitPattern == $1.bitPattern }
            }, "descent leaves blank columns' rows: \(columns)×\(rows) · \(rows)×\(n)")
            if n <= 16 {
                // A listing by row takes narrow products directly.
                var scattered = [Float](repeating: .nan, count: columns * n)
                b.withUnsafeBufferPointer { b in
                    scattered.withUnsafeMutableBufferPointer { c in
                        byRow.transposedMultiply(by: b.baseAddress!, n: n, into: c.baseAddress!, threads: threads)
                    }
                }
                #expect(scattered == expected, "by row: \(columns)×\(rows) · \(rows)×\(n)")
            }
        }
    }
}

@Suite("Dense layer layout and paths")
struct DenseLayoutTests {
    @Test("A transposed parameter shows its shape's order and keeps the transpose in memory")
    func transposedParameter() {
        let weight = Parameter(shape: [2, 3], isDecayed: true, layout: .transposed)
        weight.valuesInShapeOrder = [1, 2, 3, 4, 5, 6]   // W = [[1, 2, 3], [4, 5, 6]]
        #expect(weight.value == [1, 4, 2, 5, 3, 6])     // Wᵀ, row-major
        #expect(weight.valuesInShapeOrder == [1, 2, 3, 4, 5, 6])
        #expect(weight.shapeOrder(of: [10, 40, 20, 50, 30, 60]) == [10, 20, 30, 40, 50, 60])
        #expect(weight.layoutOrder(of: [10, 20, 30, 40, 50, 60]) == [10, 40, 20, 50, 30, 60])
    }

    @Test("y = x · Wᵀ + b with W given [out, in]: a hand-computed example")
    func forwardGolden() {
        let layer = Dense(inputCount: 3, outputCount: 2)
        layer.weight.valuesInShapeOrder = [1, 2, 3, -1, 0, 2]
        layer.bias.value = [0.5, -1]
        let y = layer.forward(Matrix(rows: 2, columns: 3, values: [1, 0, 2, 0, 1, 0]), isTraining: false)
        // Row 1: [1·1 + 0·2 + 2·3 + 0.5, −1·1 + 0 + 2·2 − 1] = [7.5, 2]; row 2: [2.5, −1].
        #expect(y.values == [7.5, 2, 2.5, -1])
    }

    @Test("The sparse path (a mostly blank input, a wide layer) gives the dense path's results")
    func sparseAndDensePathsAgree() {
        let (batch, inputs, outputs) = (16, 200, 48)
        let sparse = sparseMatrix(rows: batch, columns: inputs, density: 0.15, seed: 7)
        #expect(sparse.withUnsafeBufferPointer { SparseMatrix.density(of: $0.baseAddress!, count: $0.count) }
                <= Dense.sparseMaximumDensity)
        let upstream = randomMatrix(rows: batch, columns: outputs, seed: 8)
        var generator = SeededGenerator(seed: 9)
        let layer = Dense(inputCount: inputs, outputCount: outputs, initializer: .he, generator: &generator)
        layer.bias.value = randomValues(count: outputs, seed: 10)

        let input = Matrix(rows: batch, columns: inputs, values: sparse)
        let y = layer.forward(input, isTraining: true).values
        let dx = layer.backward(input: input, outputGradient: upstream, needsInputGradient: true).values
        let dV = layer.weight.gradient

        // The same products through gemm, as the dense path runs them.
        var expectedY = [Float](repeating: 0, count: batch * outputs)
        for row in 0..<batch { for o in 0..<outputs { expectedY[row * outputs + o] = layer.bias.value[o] } }
        gemm(m: batch, n: outputs, k: inputs, a: sparse, transposeA: false, b: layer.weight.value, transposeB: false,
             c: &expectedY, accumulate: true)
        var expectedDV = [Float](repeating: 0, count: inputs * outputs)
        gemm(m: inputs, n: outputs, k: batch, a: sparse, transposeA: true, b: upstream.values, transposeB: false,
             c: &expectedDV, accumulate: false)
        var expectedDX = [Float](repeating: 0, count: batch * inputs)
        gemm(m: batch, n: inputs, k: outputs, a: upstream.values, transposeA: false, b: layer.weight.value,
             transposeB: true, c: &expectedDX, accumulate: false)
        #expect(y == expectedY)
        #expect(dV == expectedDV)
        #expect(dx == expectedDX)

        // A backward pass given another input than the forward pass lists it afresh.
        let other = Matrix(rows: batch, columns: inputs, values: sparseMatrix(rows: batch, columns: inputs, density: 0.15, seed: 11))
        _ = layer.backward(input: other, outputGradient: upstream, needsInputGradient: false)
        var otherDV = [Float](repeating: 0, count: inputs * outputs)
        gemm(m: inputs, n: outputs, k: batch, a: other.values, transposeA: true, b: upstream.values, transposeB: false,
             c: &otherDV, accumulate: false)
        #expect(layer.weight.gradient == otherDV)
    }

    @Test("Sparse path: dW, db match central differences")
    func sparseGradientCheck() {
        let (batch, inputs, outputs) = (4, 40, 32)
        let input = Matrix(rows: batch, columns: inputs, values: sparseMatrix(rows: batch, columns: inputs, density: 0.2, seed: 12))
        let upstream = randomMatrix(rows: batch, columns: outputs, seed: 13)
        var generator = SeededGenerator(seed: 14)
        let layer = Dense(inputCount: inputs, outputCount: outputs, initializer: .he, generator: &generator)
        _ = layer.forward(input, isTraining: true)
        _ = layer.backward(input: input, outputGradient: upstream, needsInputGradient: false)
        let numeric = numericParameterGradients(of: layer, input: input, upstream: upstream)
        #expect(relativeError(layer.weight.gradient, numeric[0]) < GradientCheckTests.tolerance)
        #expect(relativeError(layer.bias.gradient, numeric[1]) < GradientCheckTests.tolerance)
    }
}
