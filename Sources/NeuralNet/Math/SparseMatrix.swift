// Products with a mostly-zero left operand. An MNIST image is blank paper (exactly 0) at about
// four pixels in five, so the first dense layer's `x · W` and `xᵀ · dy` can skip most of their
// multiply-adds by running over the nonzero inputs only: about a fifth of the work of `gemm`.
//
// Each output element still sums its terms in the order `gemm`'s outer-product path does (one
// fused multiply-add after another, k ascending), only without the terms whose input is zero.
// Adding `0 · w` changes nothing (for finite `w`), so the results equal `gemm`'s: the two paths
// can be swapped batch by batch without changing a trained network (up to the sign of zeros).

import CIntrinsics

/// The nonzero entries of a row-major `[rows, columns]` matrix, listed line by line: the rows
/// (`.byRow`) or the columns (`.byColumn`). Reused between batches so that steady-state calls
/// allocate nothing.
struct SparseMatrix {
    enum Order { case byRow, byColumn }

    private(set) var order = Order.byRow
    private(set) var rows = 0
    private(set) var columns = 0
    /// The entries of line `l` are `lineStart[l] ..< lineStart[l + 1]`.
    private(set) var lineStart: [Int] = [0]
    /// Each entry's position along its line: its column for `.byRow`, its row for `.byColumn`.
    private(set) var position: [Int32] = []
    /// Each entry's value.
    private(set) var value: [Float] = []

    /// The widest `B` that `transposedMultiply` takes from a listing by row: one vector a row.
    static let scatterMaximumColumns = 16

    /// The number of nonzero entries.
    var count: Int { lineStart[lineStart.count - 1] }

    /// The fraction of `values[0 ..< count]` that is not zero, from a quick vector pass.
    static func density(of values: UnsafePointer<Float>, count: Int) -> Double {
        guard count > 0 else { return 0 }
        var nonzero = SIMD8<Int32>()
        var i = 0
        while i + 8 <= count {
            let lanes = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self)
            nonzero &-= SIMD8<Int32>(repeating: 0).replacing(with: -1, where: lanes .!= 0)
            i += 8
        }
        var total = Int(nonzero.wrappedSum())
        while i < count {
            if values[i] != 0 { total += 1 }
            i += 1
        }
        return Double(total) / Double(count)
    }

    /// The fraction of `bytes` that is not zero.
    static func density(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var total = 0, i = 0
        while i + 8 <= bytes.count {
            total &+= nonzeroByteFlags(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)).nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            if bytes[i] != 0 { total += 1 }
            i += 1
        }
        return Double(total) / Double(bytes.count)
    }

    /// Lists the nonzero entries of `matrix` (`[rows, columns]`, row-major) row by row, each row's
    /// in ascending column order.
    mutating func load(rowsOf matrix: UnsafePointer<Float>, rows: Int, columns: Int) {
        order = .byRow
        self.rows = rows
        self.columns = columns
        // One spare entry: the loop writes each input before it knows whether to keep it.
        reserve(lines: rows, entries: rows * columns + 1)
        lineStart.withUnsafeMutableBufferPointer { lineStart in
            position.withUnsafeMutableBufferPointer { position in
                value.withUnsafeMutableBufferPointer { value in
                    let position = position.baseAddress!, value = value.baseAddress!
                    var n = 0
                    lineStart[0] = 0
                    for r in 0..<rows {
                        let row = matrix + r * columns
                        var c = 0
                        while c + 8 <= columns {
                            // Most groups of eight inputs are all zero: OR their bits (without
                            // the signs, so that −0 counts as zero) and skip them in one test.
                            let words = UnsafeRawPointer(row + c)
                            let bits = words.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                                | words.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                                | words.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                                | words.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                            if bits & 0x7FFF_FFFF_7FFF_FFFF != 0 {
                                // Write every input, keep (advance past) only the nonzero ones:
                                // no branch to mispredict.
                                for k in c..<(c + 8) {
                                    let x = row[k]
                                    position[n] = Int32(truncatingIfNeeded: k)
                                    value[n] = x
                                    n &+= x != 0 ? 1 : 0
                                }
                            }
                            c &+= 8
                        }
                        while c < columns {
                            position[n] = Int32(truncatingIfNeeded: c)
                            value[n] = row[c]
                            n &+= row[c] != 0 ? 1 : 0
                            c &+= 1
                        }
                        lineStart[r + 1] = n
                    }
                }
            }
        }
    }

    /// Lists the nonzero features of the samples `samples`, row by row, where sample `s` is
    /// `columns` bytes at `bytes + s · columns` and a byte `b` stands for the feature `b / 255`:
    /// the listing `load(rowsOf:)` makes of the same samples converted to floats (the same
    /// values, bit for bit: see `dividedBy255`), without writing the floats.
    mutating func load(rowsOfBytes bytes: UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>, columns: Int) {
        order = .byRow
        (rows, self.columns) = (samples.count, columns)
        // Eight spare entries: each group of eight bytes stores eight, and keeps the nonzero ones.
        reserve(lines: samples.count, entries: samples.count * columns + 8)
        lineStart.withUnsafeMutableBufferPointer { lineStart in
            position.withUnsafeMutableBufferPointer { position in
                value.withUnsafeMutableBufferPointer { value in
                    lineStart[0] = 0
                    listNonzeroBytes(of: bytes, samples: samples, columns: columns, lineStart: lineStart.baseAddress!,
                                     position: position.baseAddress!, value: value.baseAddress!)
                }
            }
        }
    }

    /// Lists the entries of `listing` (listed by row) column by column, each column's in
    /// ascending row order: a counting sort by column, which keeps the row order.
    mutating func load(columnsOf listing: SparseMatrix) {
        precondition(listing.order == .byRow, "load(columnsOf:) takes a listing by row")
        order = .byColumn
        (rows, columns) = (listing.rows, listing.columns)
        // Local copies: the closures below may not read `self` while they write its arrays.
        let (rows, columns, total) = (rows, columns, listing.count)
        reserve(lines: columns, entries: total)
        lineStart.withUnsafeMutableBufferPointer { lineStart in
            lineStart.update(repeating: 0)
            listing.position.withUnsafeBufferPointer { column in
                for e in 0..<total { lineStart[Int(column[e]) + 1] += 1 }
            }
            for c in 0..<columns { lineStart[c + 1] += lineStart[c] }
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: columns) { next in
            lineStart.withUnsafeBufferPointer { lineStart in
                for c in 0..<columns { next[c] = lineStart[c] }
            }
            listing.lineStart.withUnsafeBufferPointer { rowStart in
                listing.position.withUnsafeBufferPointer { column in
                    listing.value.withUnsafeBufferPointer { rowValue in
                        position.withUnsafeMutableBufferPointer { position in
                            value.withUnsafeMutableBufferPointer { value in
                                for r in 0..<rows {
                                    for e in rowStart[r]..<rowStart[r + 1] {
                                        let c = Int(column[e])
                                        position[next[c]] = Int32(r)
                                        value[next[c]] = rowValue[e]
                                        next[c] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func reserve(lines: Int, entries: Int) {
        if lineStart.count != lines + 1 { lineStart = [Int](repeating: 0, count: lines + 1) }
        if position.count < entries {
            position = [Int32](repeating: 0, count: entries)
            value = [Float](repeating: 0, count: entries)
        }
    }
}

extension SparseMatrix {
    /// `C[rows, n] (+)= self · B`, with `self` listed by row and `B` `[columns, n]` row-major:
    /// row `r` of C is (the old row, when `accumulate`) plus `Σₑ value[e] · B[position[e], :]`
    /// over the row's entries in column order. On two threads when `threads` is 2 and the work
    /// is large, each taking whole 16-column strips of C, or when C is narrower than two
    /// strips, half its rows.
    ///
    /// `strips`, when given, holds B's columns again as `packStrips` lays them out, which saves
    /// copying each block of B's rows (see `stripTimes64`): worth it when B serves many calls.
    func multiply(
        by b: UnsafePointer<Float>, n: Int, into c: UnsafeMutablePointer<Float>,
        accumulate: Bool, threads: Int, strips: UnsafePointer<Float>? = nil
    ) {
        precondition(order == .byRow, "multiply(by:) needs the entries listed by row")
        guard rows > 0, n > 0 else { return }
        let work = UncheckedSendable((self, b, c, strips))
        let parts = runsOnTwoThreads(n: n, threads: threads) ? 2 : 1
        let splitsColumns = n >= 32
        let cut = parts == 1 ? (splitsColumns ? n : rows) : splitsColumns ? (n / 32) * 16 : halfwayLine
        parallelFor(parts) { part in
            let (matrix, b, c, strips) = work.value
            let (columns, lines) = splitsColumns
                ? (part == 0 ? 0..<cut : cut..<n, 0..<matrix.rows)
                : (0..<n, part == 0 ? 0..<cut : cut..<matrix.rows)
            matrix.linesTimes(
                b, ldb: n, bCount: matrix.columns * n, columns: columns,
                into: c, ldc: n, lines: lines, accumulate: accumulate, strips: strips)
        }
    }

    /// Whether a product with `n` columns of B (`multiply` or `transposedMultiply`) runs on two
    /// threads when `threads` allows two: when it is large enough to be worth waking one.
    func runsOnTwoThreads(n: Int, threads: Int) -> Bool {
        threads > 1 && count * n >= sparseParallelThreshold
    }

    /// Copies the first `n / 64 · 64` columns of `b` (`[rows, n]`, row-major) into `strips`
    /// strip by strip: columns `64s ..< 64s + 64` become the contiguous `[rows, 64]` matrix at
    /// `strips + s · rows · 64`, the layout `stripTimes64` multiplies from without copying.
    static func packStrips(of b: UnsafePointer<Float>, rows: Int, n: Int, into strips: UnsafeMutablePointer<Float>) {
        for strip in 0..<(n / 64) {
            for row in 0..<rows {
                copy64(from: b + row * n + strip * 64, to: strips + (strip * rows + row) * 64)
            }
        }
    }

    /// The first line from which at least half the entries are listed: where two threads split
    /// the lines.
    private var halfwayLine: Int {
        min(lineCount, lineStart.firstIndex { $0 >= count / 2 } ?? lineCount)
    }

    /// The number of lines: rows when listed by row, columns when by column.
    private var lineCount: Int { lineStart.count - 1 }

    /// `C[columns, n] = selfᵀ · B`, with `B` `[rows, n]` row-major: row `k` of C is
    /// `Σₑ value[e] · B[r(e), :]` over the entries of column `k`, in row order.
    ///
    /// Listed by column, each row of C is summed in registers and written once; on two threads
    /// when `threads` is 2 and the work is large, each taking whole rows of C. Listed by row (only
    /// for `n` ≤ 16), each entry adds its term to its row of C, kept 16 wide in a scratch buffer
    /// small enough for L1: that saves re-listing by column, which costs more than a narrow
    /// product.
    ///
    /// With `descent` (listed by column only), C is not the result: each row of the product is
    /// subtracted from the descending matrix (`DescentStep`) as soon as it is complete, and C
    /// is only scratch (for partial sums when B has more rows than a block). A row whose column
    /// of `self` has no entries leaves its row of the matrix as it was: its gradient is zero.
    func transposedMultiply(
        by b: UnsafePointer<Float>, n: Int, into c: UnsafeMutablePointer<Float>, threads: Int,
        descent: DescentStep? = nil
    ) {
        guard columns > 0, n > 0 else { return }
        if order == .byRow {
            precondition(n <= Self.scatterMaximumColumns, "transposedMultiply(by:) of a listing by row takes at most 16 columns")
            precondition(descent == nil, "transposedMultiply(by:) takes a descent step from a listing by column only")
            rowsScatteredTimes(b, n: n, into: c)
            return
        }
        let parts = runsOnTwoThreads(n: n, threads: threads) ? 2 : 1
        let cut = parts == 1 ? columns : halfwayLine
        let work = UncheckedSendable((self, b, c, descent))
        parallelFor(parts) { part in
            let (matrix, b, c, descent) = work.value
            matrix.linesTimes(
                b, ldb: n, bCount: matrix.rows * n, columns: 0..<n,
                into: c, ldc: n, lines: part == 0 ? 0..<cut : cut..<matrix.columns, accumulate: false,
                descent: descent)
        }
    }

    /// `transposedMultiply` for a listing by row and `n` ≤ 16: row by row, each entry `(r, k, x)`
    /// adds `x · B[r, :]` to row `k` of C. Each row of C still gets its terms in row order, one
    /// fused multiply-add after another from zero, as in `gemm`.
    private func rowsScatteredTimes(_ b: UnsafePointer<Float>, n: Int, into c: UnsafeMutablePointer<Float>) {
        let sums = ThreadScratch.floats(columns * 16)
        sums.initialize(repeating: 0, count: columns * 16)
        let lanes = 0..<n
        lineStart.withUnsafeBufferPointer { lineStart in
            position.withUnsafeBufferPointer { position in
                value.withUnsafeBufferPointer { value in
                    for r in 0..<rows {
                        let bRow = r + 1 < rows || n == 16
                            ? load16(b + r * n) : loadLanes(b + r * n, lanes)
                        for e in lineStart[r]..<lineStart[r + 1] {
                            let sum = sums + Int(position[e]) * 16
                            var total = load16(sum)
                            total.addProduct(SIMD16(repeating: value[e]), bRow)
                            store16(total, sum)
                        }
                    }
                }
            }
        }
        for k in 0..<columns {
            storeLanes(load16(sums + k * 16), c + k * n, lanes)
        }
    }

    /// For each line `l` in `lines`: `C[l, columns] (+)= Σₑ value[e] · B[position[e], columns]`
    /// over the line's entries in order. `B` holds `bCount` floats with rows `ldb` apart.
    /// `strips`, when given, is `packStrips`'s copy of B's columns. `descent`, when given, takes
    /// each complete line from its matrix instead (see `transposedMultiply`).
    private func linesTimes(
        _ b: UnsafePointer<Float>, ldb: Int, bCount: Int, columns: Range<Int>,
        into c: UnsafeMutablePointer<Float>, ldc: Int, lines: Range<Int>, accumulate: Bool,
        strips: UnsafePointer<Float>? = nil, descent: DescentStep? = nil
    ) {
        lineStart.withUnsafeBufferPointer { lineStart in
            position.withUnsafeBufferPointer { position in
                value.withUnsafeBufferPointer { value in
                    let position = position.baseAddress!, value = value.baseAddress!
                    // Strip by strip of C, so that every line runs over the same strip of B.
                    var j = columns.lowerBound
                    while j < columns.upperBound {
                        // Strips of 64, then of 16; the last one may hang over the end of the row
                        // of B, and then only its first lanes are real (see `sparseRowsTimes16`).
                        let width = columns.upperBound - j >= 64 ? 64 : min(16, columns.upperBound - j)
                        if width == 64 {
                            let bRows = bCount / ldb
                            let (strip, stripLDB) = if let strips, j % 64 == 0 {
                                (strips + (j / 64) * bRows * 64, 64)
                            } else {
                                (b + j, ldb)
                            }
                            stripTimes64(
                                lines: lines, lineStart: lineStart.baseAddress!, position: position, value: value,
                                b: strip, ldb: stripLDB, bRows: bRows, c: c + j, ldc: ldc, accumulate: accumulate,
                                descent: descent?.advanced(by: j, copyOffset: j % 64 == 0 ? (j / 64) * lineCount * 64 : nil))
                        } else {
                            // Four lines at a time: one 16-wide strip is a single chain of
                            // multiply-adds, which waits out each one's latency; four chains overlap.
                            var line = lines.lowerBound
                            while line < lines.upperBound {
                                let group = min(4, lines.upperBound - line)
                                sparseRowsTimes16(
                                    lines: group, lineStart: lineStart.baseAddress! + line,
                                    position: position, value: value,
                                    b: b + j, ldb: ldb, bEnd: b + bCount, c: c + line * ldc + j, ldc: ldc,
                                    width: width, accumulate: accumulate,
                                    descent: descent?.advanced(by: line * ldc + j, copyOffset: nil))
                                line += group
                            }
                        }
                        j += width
                    }
                }
            }
        }
    }
}

/// Lists the nonzero bytes of each sample `samples[l]` (`columns` bytes at
/// `bytes + samples[l] · columns`): their columns into `position` and their features into
/// `value`, and where line `l` ends into `lineStart[l + 1]`.
///
/// Eight bytes at a time: `pack_selected_bytes` (one PEXT instruction) packs the nonzero ones
/// and their columns together, and all eight lanes are stored; only the nonzero ones are kept
/// (the next group writes over the rest). A row's last few bytes are read as a group padded
/// with zeros.
private func listNonzeroBytes(
    of bytes: UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>, columns: Int,
    lineStart: UnsafeMutablePointer<Int>, position: UnsafeMutablePointer<Int32>, value: UnsafeMutablePointer<Float>
) {
    let laneColumns: UInt64 = 0x0706_0504_0302_0100
    var n = 0
    /// Lists the nonzero bytes of `group`, the eight at `column`, `column + 1`, …
    @inline(__always) func listGroup(_ group: UInt64, at column: Int) {
        let isNonzero = nonzeroByteFlags(group)
        let keep = (isNonzero >> 7) &* 0xFF
        let packedBytes = unsafeBitCast(pack_selected_bytes(group, keep), to: SIMD8<UInt8>.self)
        let packedColumns = unsafeBitCast(pack_selected_bytes(laneColumns, keep), to: SIMD8<UInt8>.self)
        let features = dividedBy255(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: packedBytes)))
        UnsafeMutableRawPointer(value + n).storeBytes(of: features, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(position + n).storeBytes(
            of: SIMD8<Int32>(truncatingIfNeeded: packedColumns) &+ Int32(truncatingIfNeeded: column),
            as: SIMD8<Int32>.self)
        n &+= isNonzero.nonzeroBitCount
    }
    for (line, sample) in samples.enumerated() {
        let row = bytes + sample * columns
        // 32 pixels at a time, then the last groups of eight.
        var c = forEachWordOfInkedRuns(in: row, count: columns) { word, column in listGroup(word, at: column) }
        while c < columns {
            var group: UInt64
            if c + 8 <= columns {
                group = UnsafeRawPointer(row + c).loadUnaligned(as: UInt64.self)
            } else {
                group = 0
                for k in 0..<(columns - c) { group |= UInt64(row[c + k]) << (8 * k) }
            }
            if group != 0 { listGroup(group, at: c) }
            c &+= 8
        }
        lineStart[line + 1] = n
    }
}

/// `b / 255` in every lane, correctly rounded (the bits of the division), for whole numbers
/// `b` from 0 to 255, without the division: Zen 3 starts one vector division every 3.5–5
/// cycles, and it held up the listing. `1/255` is split into the float nearest it and the
/// float nearest the rest; `b` times the first plus `b` times the second, rounded once by a
/// fused multiply-add, is the quotient correctly rounded for every byte, which the tests
/// check byte by byte. (`b` times the nearest float alone is off by one unit in the last
/// place for 126 of the 256 bytes.)
@inline(__always)
func dividedBy255(_ b: SIMD8<Float>) -> SIMD8<Float> {
    let nearest: Float = 0x1.010102p-8     // the float nearest 1/255
    let rest: Float = -0x1.fdfdfep-33      // the float nearest 1/255 − nearest
    return (b * SIMD8(repeating: rest)).addingProduct(b, SIMD8(repeating: nearest))
}

/// Calls `visit(word, column)` for each of the four 8-byte words (at `column`, lowest byte
/// first) of every run of 32 bytes of `row` that is not all zero, over the first
/// `count / 32 · 32` bytes, and returns where the runs end. A blank run (the paper above and
/// below a digit) costs one test; the words of a run with ink are visited without a test each,
/// which the branch predictor could not foresee.
@inline(__always)
func forEachWordOfInkedRuns(in row: UnsafePointer<UInt8>, count: Int, _ visit: (UInt64, Int) -> Void) -> Int {
    var column = 0
    while column + 32 <= count {
        let words = UnsafeRawPointer(row + column)
        let (w0, w1, w2, w3) = (words.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                                words.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                                words.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                                words.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        if w0 | w1 | w2 | w3 != 0 {
            visit(w0, column)
            visit(w1, column + 8)
            visit(w2, column + 16)
            visit(w3, column + 24)
        }
        column += 32
    }
    return column
}

/// The top bit of each nonzero byte of `word`, the other bits clear.
@inline(__always)
func nonzeroByteFlags(_ word: UInt64) -> UInt64 {
    let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    // Adding 0x7F to a byte's low seven bits carries into its top bit unless they are all 0.
    return (((word & lowBits) &+ lowBits) | word) & ~lowBits
}

/// Rows of B a block of `stripTimes64`: 96 rows of a 64-float strip are 24 KB, which stays in
/// L1 while every line runs over it.
let sparseBlockRows = 96

/// For each line `l` in `lines`: `C[l, 0 ..< 64] (+)= Σₑ value[e] · B[position[e], 0 ..< 64]` over the
/// line's entries in order, B having `bRows` rows `ldb` apart.
///
/// The rows of B go in blocks of `sparseBlockRows`, each copied ("packed") into a contiguous
/// buffer unless B's rows are already contiguous (`ldb` = 64); every line takes its entries
/// that fall in the block (they are in ascending position), then the next block. Each element of C still gets its terms in the same order; it only goes
/// to memory and back between blocks, which changes no bits. Without the blocks each line
/// re-read the strip from L2 (200 KB for MNIST's first layer); without the packing, rows 1 or
/// 2 KB apart (n = 256 or 512) fell into a few sets of the 8-way L1 and evicted each other.
///
/// With `descent` (laid out as C), a line's sum is taken from the descending matrix in the block
/// where it is complete, and C holds only the partial sums of lines that go on in later blocks.
private func stripTimes64(
    lines: Range<Int>, lineStart: UnsafePointer<Int>, position: UnsafePointer<Int32>, value: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bRows: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    descent: DescentStep? = nil
) {
    let packed = ThreadScratch.floats(sparseBlockRows * 64)
    withUnsafeTemporaryAllocation(of: Int.self, capacity: lines.count) { next in
        for (slot, line) in lines.enumerated() { next[slot] = lineStart[line] }
        for blockStart in stride(from: 0, to: bRows, by: sparseBlockRows) {
            let blockEnd = min(blockStart + sparseBlockRows, bRows)
            let block = ldb == 64 ? b + blockStart * 64 : UnsafePointer(packed)
            if ldb != 64 {
                for row in blockStart..<blockEnd { copy64(from: b + row * ldb, to: packed + (row - blockStart) * 64) }
            }
            for (slot, line) in lines.enumerated() {
                let first = next[slot], end = lineStart[line + 1]
                // Ask for the row of C and the entries of the line after next: the lines' rows
                // of C (32 KB for 128 lines of 64 floats) do not stay in L1 beside the block.
                if line + 2 < lines.upperBound {
                    prefetch_bytes_for_reading(c + (line + 2) * ldc, 256)
                    prefetch_for_reading(position + next[slot + 2])
                }
                // A line with nothing in this block keeps its C, except that the first block
                // must still write the zeros of a product that does not accumulate. A line
                // with nothing at all leaves a descending matrix as it is.
                let isEmpty = first == end || Int(position[first]) >= blockEnd
                if isEmpty && (blockStart > 0 || accumulate || (descent != nil && first == end)) { continue }
                next[slot] = sparseRowTimes64(
                    entries: first..<end, below: blockEnd, position: position, value: value,
                    b: block, firstRow: blockStart, ldb: 64,
                    c: c + line * ldc, accumulate: accumulate || blockStart > 0,
                    descent: descent?.advanced(by: line * ldc, copyOffset: line * 64))
            }
        }
    }
}

/// Multiply-adds (entries × columns) from which the sparse products use two threads.
let sparseParallelThreshold = 1 << 18

/// `c[0 ..< 64] (+)= Σₑ value[e] · b[(position[e] − firstRow) · ldb ..< +64]` over the entries
/// in order from the first of `entries` up to (not including) the first whose position is
/// `rowEnd` or more; returns where it stopped. With `descent`, a sum that took every one of
/// `entries` is taken from the descending matrix's 64 floats instead of written to `c`.
@inline(never)
func sparseRowTimes64(
    entries: Range<Int>, below rowEnd: Int, position: UnsafePointer<Int32>, value: UnsafePointer<Float>,
    b: UnsafePointer<Float>, firstRow: Int, ldb: Int, c: UnsafeMutablePointer<Float>, accumulate: Bool,
    descent: DescentStep? = nil
) -> Int {
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
    if accumulate {
        c0 = load16(c); c1 = load16(c + 16); c2 = load16(c + 32); c3 = load16(c + 48)
    }
    var e = entries.lowerBound
    while e < entries.upperBound && Int(position[e]) < rowEnd {
        let x = SIMD16<Float>(repeating: value[e])
        let row = b + (Int(position[e]) - firstRow) * ldb
        e += 1
        c0.addProduct(x, load16(row))
        c1.addProduct(x, load16(row + 16))
        c2.addProduct(x, load16(row + 32))
        c3.addProduct(x, load16(row + 48))
    }
    if let descent, e == entries.upperBound {
        descent.take(c0, at: 0); descent.take(c1, at: 16); descent.take(c2, at: 32); descent.take(c3, at: 48)
    } else {
        store16(c0, c); store16(c1, c + 16); store16(c2, c + 32); store16(c3, c + 48)
    }
    return e
}

/// For each of `lines` (1 to 4) lines `l`, whose entries are `lineStart[l] ..< lineStart[l + 1]`:
/// `c[l · ldc ..< +width] (+)= Σₑ value[e] · b[position[e] · ldb ..< +width]`, the entries in
/// order, `width` at most 16. The four lines' chains of multiply-adds run side by side while all
/// have entries left, then each finishes alone. The loads are whole 16-float vectors; lanes past
/// `width` hold whatever follows in `b` (never read past `bEnd`) and are thrown away. With
/// `descent` (at line 0's row), each line's sum is taken from the descending matrix instead.
@inline(never)
func sparseRowsTimes16(
    lines: Int, lineStart: UnsafePointer<Int>, position: UnsafePointer<Int32>, value: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bEnd: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, width: Int, accumulate: Bool, descent: DescentStep? = nil
) {
    let lanes = 0..<width
    @inline(__always) func bRow(_ e: Int) -> SIMD16<Float> {
        let row = b + Int(position[e]) * ldb
        return row + 16 <= bEnd ? load16(row) : loadLanes(row, lanes)
    }
    @inline(__always) func start(_ l: Int) -> SIMD16<Float> {
        l < lines && accumulate ? loadLanes(c + l * ldc, lanes) : SIMD16<Float>()
    }
    // Lines past `lines` have no entries.
    @inline(__always) func entries(_ l: Int) -> Range<Int> {
        l < lines ? lineStart[l]..<lineStart[l + 1] : 0..<0
    }
    let (e0, e1, e2, e3) = (entries(0), entries(1), entries(2), entries(3))
    var (c0, c1, c2, c3) = (start(0), start(1), start(2), start(3))
    let together = lines == 4 ? min(e0.count, e1.count, e2.count, e3.count) : 0
    for t in 0..<together {
        c0.addProduct(SIMD16(repeating: value[e0.lowerBound + t]), bRow(e0.lowerBound + t))
        c1.addProduct(SIMD16(repeating: value[e1.lowerBound + t]), bRow(e1.lowerBound + t))
        c2.addProduct(SIMD16(repeating: value[e2.lowerBound + t]), bRow(e2.lowerBound + t))
        c3.addProduct(SIMD16(repeating: value[e3.lowerBound + t]), bRow(e3.lowerBound + t))
    }
    for e in (e0.lowerBound + together)..<e0.upperBound { c0.addProduct(SIMD16(repeating: value[e]), bRow(e)) }
    for e in (e1.lowerBound + together)..<e1.upperBound { c1.addProduct(SIMD16(repeating: value[e]), bRow(e)) }
    for e in (e2.lowerBound + together)..<e2.upperBound { c2.addProduct(SIMD16(repeating: value[e]), bRow(e)) }
    for e in (e3.lowerBound + together)..<e3.upperBound { c3.addProduct(SIMD16(repeating: value[e]), bRow(e)) }
    @inline(__always) func finish(_ sum: SIMD16<Float>, line l: Int) {
        guard l < lines else { return }
        if let descent { descent.take(sum, at: l * ldc, lanes: lanes) } else { storeLanes(sum, c + l * ldc, lanes) }
    }
    finish(c0, line: 0); finish(c1, line: 1); finish(c2, line: 2); finish(c3, line: 3)
}
