// Products with a mostly-zero left operand. An MNIST image is blank paper (exactly 0) at about
// four pixels in five, so the first dense layer's `x · W` and `xᵀ · dy` can skip most of their
// multiply-adds by running over the nonzero inputs only: about a fifth of the work of `gemm`.
//
// Each output element still sums its terms in the order `gemm`'s outer-product path does (one
// fused multiply-add after another, k ascending), only without the terms whose input is zero.
// Adding `0 · w` changes nothing (for finite `w`), so the results equal `gemm`'s: the two paths
// can be swapped batch by batch without changing a trained network (up to the sign of zeros).

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

    /// Lists the nonzero entries of `matrix` (`[rows, columns]`, row-major) row by row, each row's
    /// in ascending column order.
    mutating func load(rowsOf matrix: UnsafePointer<Float>, rows: Int, columns: Int) {
        order = .byRow
        self.rows = rows
        self.columns = columns
        reserve(lines: rows, entries: rows * columns)
        let powersOfTwo = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
        lineStart.withUnsafeMutableBufferPointer { lineStart in
            position.withUnsafeMutableBufferPointer { position in
                value.withUnsafeMutableBufferPointer { value in
                    var n = 0
                    lineStart[0] = 0
                    for r in 0..<rows {
                        let row = matrix + r * columns
                        var c = 0
                        while c + 8 <= columns {
                            let lanes = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD8<Float>.self)
                            let nonzero = lanes .!= 0
                            guard any(nonzero) else { c &+= 8; continue }
                            // One bit a nonzero lane, then one step a set bit.
                            var bits = UInt32(truncatingIfNeeded: SIMD8<Int32>(repeating: 0)
                                .replacing(with: powersOfTwo, where: nonzero).wrappedSum())
                            while bits != 0 {
                                let column = c &+ bits.trailingZeroBitCount
                                position[n] = Int32(truncatingIfNeeded: column)
                                value[n] = row[column]
                                n &+= 1
                                bits &= bits &- 1
                            }
                            c &+= 8
                        }
                        while c < columns {
                            if row[c] != 0 {
                                position[n] = Int32(c)
                                value[n] = row[c]
                                n += 1
                            }
                            c += 1
                        }
                        lineStart[r + 1] = n
                    }
                }
            }
        }
    }

    /// Lists the entries of `listing` (listed by row) column by column, each column's in
    /// ascending row order: a counting sort by column, which keeps the row order.
    mutating func load(columnsOf listing: SparseMatrix) {
        precondition(listing.order == .byRow, "load(columnsOf:) takes a listing by row")
        order = .byColumn
        rows = listing.rows
        columns = listing.columns
        let (rows, columns, total) = (listing.rows, listing.columns, listing.count)
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
    /// is large, each taking whole 16-column strips of C.
    func multiply(
        by b: UnsafePointer<Float>, n: Int, into c: UnsafeMutablePointer<Float>,
        accumulate: Bool, threads: Int
    ) {
        precondition(order == .byRow, "multiply(by:) needs the entries listed by row")
        guard rows > 0, n > 0 else { return }
        let work = UncheckedSendable((self, b, c))
        let parts = threads > 1 && n >= 32 && count * n >= sparseParallelThreshold ? 2 : 1
        let cut = parts == 1 ? n : (n / 32) * 16
        parallelFor(parts) { part in
            let (matrix, b, c) = work.value
            let columns = part == 0 ? 0..<cut : cut..<n
            matrix.linesTimes(
                b, ldb: n, bCount: matrix.columns * n, columns: columns,
                into: c, ldc: n, lines: 0..<matrix.rows, accumulate: accumulate)
        }
    }

    /// `C[columns, n] = selfᵀ · B`, with `self` listed by column and `B` `[rows, n]` row-major:
    /// row `k` of C is `Σₑ value[e] · B[position[e], :]` over column `k`'s entries in row order.
    /// On two threads when `threads` is 2 and the work is large, each taking whole rows of C.
    func transposedMultiply(
        by b: UnsafePointer<Float>, n: Int, into c: UnsafeMutablePointer<Float>, threads: Int
    ) {
        precondition(order == .byColumn, "transposedMultiply(by:) needs the entries listed by column")
        guard columns > 0, n > 0 else { return }
        let parts = threads > 1 && count * n >= sparseParallelThreshold ? 2 : 1
        // Split the lines where half the entries are done.
        let cut = parts == 1 ? columns : min(columns, lineStart.firstIndex { $0 >= count / 2 } ?? columns)
        let work = UncheckedSendable((self, b, c))
        parallelFor(parts) { part in
            let (matrix, b, c) = work.value
            matrix.linesTimes(
                b, ldb: n, bCount: matrix.rows * n, columns: 0..<n,
                into: c, ldc: n, lines: part == 0 ? 0..<cut : cut..<matrix.columns, accumulate: false)
        }
    }

    /// For each line `l` in `lines`: `C[l, columns] (+)= Σₑ value[e] · B[position[e], columns]`
    /// over the line's entries in order. `B` holds `bCount` floats with rows `ldb` apart.
    private func linesTimes(
        _ b: UnsafePointer<Float>, ldb: Int, bCount: Int, columns: Range<Int>,
        into c: UnsafeMutablePointer<Float>, ldc: Int, lines: Range<Int>, accumulate: Bool
    ) {
        lineStart.withUnsafeBufferPointer { lineStart in
            position.withUnsafeBufferPointer { position in
                value.withUnsafeBufferPointer { value in
                    let position = position.baseAddress!, value = value.baseAddress!
                    // Strip by strip of C, so that a strip of B (`in` rows of 64 floats, 200 KB for
                    // MNIST) stays in L2 while every line runs down it.
                    var j = columns.lowerBound
                    while j < columns.upperBound {
                        // Strips of 64, then of 16; the last one may hang over the end of the row
                        // of B, and then only its first lanes are real (see `sparseRowTimes16`).
                        let width = columns.upperBound - j >= 64 ? 64 : min(16, columns.upperBound - j)
                        for line in lines {
                            let entries = lineStart[line]..<lineStart[line + 1]
                            if width == 64 {
                                sparseRowTimes64(
                                    entries: entries, position: position, value: value,
                                    b: b + j, ldb: ldb, c: c + line * ldc + j, accumulate: accumulate)
                            } else {
                                sparseRowTimes16(
                                    entries: entries, position: position, value: value,
                                    b: b + j, ldb: ldb, bEnd: b + bCount, c: c + line * ldc + j, width: width,
                                    accumulate: accumulate)
                            }
                        }
                        j += width
                    }
                }
            }
        }
    }
}

/// Multiply-adds (entries × columns) from which the sparse products use two threads.
let sparseParallelThreshold = 1 << 18

/// `c[0 ..< 64] (+)= Σₑ value[e] · b[position[e] · ldb ..< +64]`, the entries in order.
@inline(never)
func sparseRowTimes64(
    entries: Range<Int>, position: UnsafePointer<Int32>, value: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
    if accumulate {
        c0 = load16(c); c1 = load16(c + 16); c2 = load16(c + 32); c3 = load16(c + 48)
    }
    for e in entries {
        let x = SIMD16<Float>(repeating: value[e])
        let row = b + Int(position[e]) * ldb
        c0.addProduct(x, load16(row))
        c1.addProduct(x, load16(row + 16))
        c2.addProduct(x, load16(row + 32))
        c3.addProduct(x, load16(row + 48))
    }
    store16(c0, c); store16(c1, c + 16); store16(c2, c + 32); store16(c3, c + 48)
}

/// `c[0 ..< width] (+)= Σₑ value[e] · b[position[e] · ldb ..< +width]`, the entries in order,
/// `width` at most 16. The loads are whole 16-float vectors; lanes past `width` hold whatever
/// follows in `b` (never read past `bEnd`) and are thrown away.
@inline(never)
func sparseRowTimes16(
    entries: Range<Int>, position: UnsafePointer<Int32>, value: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bEnd: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, width: Int, accumulate: Bool
) {
    let lanes = 0..<width
    var c0 = accumulate ? loadLanes(c, lanes) : SIMD16<Float>()
    for e in entries {
        let x = SIMD16<Float>(repeating: value[e])
        let row = b + Int(position[e]) * ldb
        if row + 16 <= bEnd {
            c0.addProduct(x, load16(row))
        } else {
            c0.addProduct(x, loadLanes(UnsafeMutablePointer(mutating: row), lanes))
        }
    }
    storeLanes(c0, c, lanes)
}
