// Inference through a dense layer with few outputs: 784-10-10's first layer, and the last layer
// of every network. With ten outputs, the `gemm` and sparse kernels work sixteen lanes wide for
// ten useful ones, and each output's sum is one long chain of dependent multiply-adds. Here each
// output is a dot product instead, `y[o] = b[o] + Σₖ x[k] · W[o, k]`: ten outputs side by side,
// every lane useful, and the inputs in blocks of eight (one vector) of which the blank ones (the
// paper around a digit) are left out.
//
// Each output sums its terms in another order than the training path (eight partial sums, one a
// lane, added at the end), so a logit can differ from the training forward pass's in its last
// bits. Each image's sums are its own, so the results do not depend on the batch or on the
// number of threads, and bytes give the same bits as their floats.

import CIntrinsics

/// The weights of a layer with few outputs, rearranged for dot products with its input rows, and
/// the products themselves.
///
/// Layout: the outputs go in tiles of `tileOutputs` and the inputs in blocks of `blockInputs`;
/// tile `t`, block `j` holds the 8 weights of block `j` of each of the tile's 10 outputs, one
/// after another (320 bytes, five cache lines). Rows of W past the last output and inputs past the
/// last input are zero.
struct NarrowProduct {
    /// Outputs summed side by side: ten 8-float accumulators, which with the input vector fill
    /// eleven of the sixteen vector registers.
    static let tileOutputs = 10
    /// Inputs a block: one 8-float vector.
    static let blockInputs = 8

    private(set) var inputCount = 0
    private(set) var outputCount = 0
    private var packedWeights: [Float] = []
    private var bias: [Float] = []

    private var blockCount: Int { (inputCount + Self.blockInputs - 1) / Self.blockInputs }
    private var tileCount: Int { (outputCount + Self.tileOutputs - 1) / Self.tileOutputs }
    private static let tileBlockFloats = tileOutputs * blockInputs

    /// Rearranges `W`, given as its transpose `V` (`[inputCount, outputCount]`, row-major, as
    /// `Dense` keeps it), and keeps the biases `b` (`[outputCount]`).
    mutating func pack(transposedWeights v: UnsafePointer<Float>, bias b: UnsafePointer<Float>, inputCount: Int, outputCount: Int) {
        (self.inputCount, self.outputCount) = (inputCount, outputCount)
        if bias.count != outputCount { bias = [Float](repeating: 0, count: outputCount) }
        bias.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: b, count: outputCount) }
        let total = tileCount * blockCount * Self.tileBlockFloats
        if packedWeights.count != total { packedWeights = [Float](repeating: 0, count: total) }
        let blockCount = self.blockCount
        packedWeights.withUnsafeMutableBufferPointer { packed in
            packed.update(repeating: 0)
            for o in 0..<outputCount {
                let (tile, slot) = o.quotientAndRemainder(dividingBy: Self.tileOutputs)
                // Output o's weights of block j start here, block after block a tile-block apart.
                let blockStart = packed.baseAddress! + (tile * blockCount * Self.tileOutputs + slot) * Self.blockInputs
                for k in 0..<inputCount {
                    let (block, lane) = k.quotientAndRemainder(dividingBy: Self.blockInputs)
                    blockStart[block * Self.tileBlockFloats + lane] = v[k * outputCount + o]
                }
            }
        }
    }

    /// `y[r, :] = b + x[r, :] · Wᵀ` for the rows `rows` of `y` (`[rows, outputCount]`), row `r`
    /// of x being sample `samples[r]`: the `inputCount` bytes at `samples[r] · inputCount` in `bytes`,
    /// a byte `b` standing for `b / 255` (see `ByteFeatureSource`).
    func writeOutputs(
        bytes: UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>, rows: Range<Int>,
        into y: UnsafeMutablePointer<Float>
    ) {
        let (blocks, blockIndices) = scratch()
        let words = UnsafeMutableRawPointer(blocks)
        for r in rows {
            // The samples may lie anywhere in `bytes`: start fetching the row after next.
            if r + 2 < rows.upperBound {
                prefetch_bytes_for_reading(bytes + samples[r + 2] * inputCount, inputCount)
            }
            let count = gatherBlocks(ofBytes: bytes + samples[r] * inputCount, into: words, indices: blockIndices)
            writeRow(indices: blockIndices, count: count, into: y + r * outputCount) { i in
                byteFeatures(words.load(fromByteOffset: 8 * i, as: UInt64.self))
            }
        }
    }

    /// `y[r, :] = b + x[r, :] · Wᵀ` for the rows `rows` of `x` (`[_, inputCount]`, row-major) and `y`.
    func writeOutputs(x: UnsafePointer<Float>, rows: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let (blocks, blockIndices) = scratch()
        for r in rows {
            let count = gatherBlocks(ofFloats: x + r * inputCount, into: blocks, indices: blockIndices)
            writeRow(indices: blockIndices, count: count, into: y + r * outputCount) { i in
                load8(blocks + i * Self.blockInputs)
            }
        }
    }

    /// The calling thread's room for one row's nonblank blocks (eight floats each, or eight bytes
    /// in one word) and their indices.
    private func scratch() -> (UnsafeMutablePointer<Float>, UnsafeMutableRawPointer) {
        let floats = ThreadScratch.floats(blockCount * (Self.blockInputs + 1))
        return (floats, UnsafeMutableRawPointer(floats + blockCount * Self.blockInputs))
    }

    /// Copies the blocks of `row` (eight bytes, one word each) that are not all zero into
    /// `words`, and their block numbers (`Int32`) into `indices`; returns how many. Each block
    /// is written whether or not it is kept, so that no branch depends on each block's ink; a
    /// block is kept by counting it. Blank runs of 32 bytes are skipped in one test (an OR of
    /// four words). The bytes become features in `writeRow`, for the kept blocks only:
    /// converting every block of a run with ink here, where about half are blank, made
    /// 784-10-10 inference take 1.25× as long on one thread. The float version below has the
    /// same shape; one generic version of the two, taking the load, the blank test and the
    /// conversion as closures, ran 784-10-10 inference 0.82–0.91× as fast.
    @inline(__always)
    private func gatherBlocks(
        ofBytes row: UnsafePointer<UInt8>, into words: UnsafeMutableRawPointer, indices: UnsafeMutableRawPointer
    ) -> Int {
        var count = 0
        @inline(__always) func keep(_ word: UInt64, block: Int) {
            words.storeBytes(of: word, toByteOffset: 8 * count, as: UInt64.self)
            indices.storeBytes(of: Int32(truncatingIfNeeded: block), toByteOffset: 4 * count, as: Int32.self)
            count &+= word != 0 ? 1 : 0
        }
        @inline(__always) func word(at column: Int) -> UInt64 {
            if column + 8 <= inputCount { return UnsafeRawPointer(row + column).loadUnaligned(as: UInt64.self) }
            var word: UInt64 = 0
            for k in column..<max(column, inputCount) { word |= UInt64(row[k]) << (8 * (k - column)) }
            return word
        }
        var column = forEachWordOfInkedRuns(in: row, count: inputCount) { word, column in
            keep(word, block: column / Self.blockInputs)
        }
        while column < inputCount {
            keep(word(at: column), block: column / Self.blockInputs)
            column += Self.blockInputs
        }
        return count
    }

    /// `gatherBlocks(ofBytes:…)` for a row of floats; a block is blank when every feature is
    /// zero (of either sign), which leaves out only terms `0 · w`.
    @inline(__always)
    private func gatherBlocks(
        ofFloats row: UnsafePointer<Float>, into blocks: UnsafeMutablePointer<Float>, indices: UnsafeMutableRawPointer
    ) -> Int {
        var count = 0
        @inline(__always) func keep(_ group: SIMD8<Float>, block: Int) {
            store8(group, blocks + count * Self.blockInputs)
            indices.storeBytes(of: Int32(truncatingIfNeeded: block), toByteOffset: 4 * count, as: Int32.self)
            count &+= isBlank(group) ? 0 : 1
        }
        @inline(__always) func group(at column: Int) -> SIMD8<Float> {
            if column + 8 <= inputCount { return UnsafeRawPointer(row + column).loadUnaligned(as: SIMD8<Float>.self) }
            var group = SIMD8<Float>()
            for k in column..<max(column, inputCount) { group[k - column] = row[k] }
            return group
        }
        var column = 0
        while column + 32 <= inputCount {
            let (g0, g1, g2, g3) = (group(at: column), group(at: column + 8), group(at: column + 16), group(at: column + 24))
            if !isBlank(g0) || !isBlank(g1) || !isBlank(g2) || !isBlank(g3) {
                let block = column / Self.blockInputs
                keep(g0, block: block)
                keep(g1, block: block + 1)
                keep(g2, block: block + 2)
                keep(g3, block: block + 3)
            }
            column += 32
        }
        while column < inputCount {
            keep(group(at: column), block: column / Self.blockInputs)
            column += Self.blockInputs
        }
        return count
    }

    /// `y[t · 10 + s] = b[t · 10 + s] + Σ` over the `count` gathered blocks of
    /// `Σₗ x[l] · W[t · 10 + s, 8 · j + l]`, `x` being the block's features (`features(i)` for
    /// the `i`-th gathered block) and `j` its number: per tile, ten accumulators of eight lanes
    /// (lane `l` sums the terms of input `l` of each block, in block order), added up at the
    /// end (`laneSum`). A layer of more than one tile (11 to 31 outputs) asks `features` for each
    /// block once a tile.
    @inline(__always)
    private func writeRow(
        indices: UnsafeRawPointer, count: Int, into y: UnsafeMutablePointer<Float>, features: (Int) -> SIMD8<Float>
    ) {
        let blockCount = self.blockCount, outputCount = self.outputCount
        packedWeights.withUnsafeBufferPointer { packed in
            bias.withUnsafeBufferPointer { bias in
                for tile in 0..<tileCount {
                    let tileWeights = packed.baseAddress! + tile * blockCount * Self.tileBlockFloats
                    var (a0, a1, a2, a3, a4) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    var (a5, a6, a7, a8, a9) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    for i in 0..<count {
                        let x = features(i)
                        let block = Int(indices.load(fromByteOffset: 4 * i, as: Int32.self))
                        let w = tileWeights + block * Self.tileBlockFloats
                        @inline(__always) func accumulate(_ sum: inout SIMD8<Float>, _ slot: Int) {
                            sum = sum.addingProduct(x, load8(w + slot * Self.blockInputs))
                        }
                        accumulate(&a0, 0); accumulate(&a1, 1); accumulate(&a2, 2); accumulate(&a3, 3); accumulate(&a4, 4)
                        accumulate(&a5, 5); accumulate(&a6, 6); accumulate(&a7, 7); accumulate(&a8, 8); accumulate(&a9, 9)
                    }
                    let first = tile * Self.tileOutputs
                    let sums = (laneSum(a0), laneSum(a1), laneSum(a2), laneSum(a3), laneSum(a4),
                                laneSum(a5), laneSum(a6), laneSum(a7), laneSum(a8), laneSum(a9))
                    withUnsafeBytes(of: sums) { sums in
                        for slot in 0..<min(Self.tileOutputs, outputCount - first) {
                            y[first + slot] = bias[first + slot] + sums.load(fromByteOffset: 4 * slot, as: Float.self)
                        }
                    }
                }
            }
        }
    }
}

/// The features `b / 255` of the eight bytes of `word`, lowest byte first.
@inline(__always)
private func byteFeatures(_ word: UInt64) -> SIMD8<Float> {
    dividedBy255(bytes_as_floats(word))
}

/// Whether all eight lanes are zero (either sign).
@inline(__always)
private func isBlank(_ group: SIMD8<Float>) -> Bool {
    floats_are_zero(group) != 0
}

/// The sum of the eight lanes, in a fixed order: halves, then quarters, then the last two.
@inline(__always)
private func laneSum(_ v: SIMD8<Float>) -> Float {
    let fours = v.lowHalf + v.highHalf
    let twos = fours.lowHalf + fours.highHalf
    return twos[0] + twos[1]
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    load8(UnsafePointer(p))
}

@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
