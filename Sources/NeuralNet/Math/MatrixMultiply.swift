// Matrix multiply (GEMM) over flat row-major Float buffers: the one operation that
// dominates training time. Every layer calls `gemm`; its correctness is pinned by
// tests against `naiveGEMM`. The register-tiled microkernels live in GEMMKernels.swift.

/// Row-major matrix multiply: `C[m, n] = op(A)[m, k] · op(B)[k, n]`, plus the old `C` when
/// `accumulate` is true.
///
/// `op(A)` is `A` stored `[m, k]` when `transposeA` is false, and `Aᵀ` with `A` stored
/// `[k, m]` when it is true; likewise `op(B)` is `B` stored `[k, n]`, or `Bᵀ` stored `[n, k]`.
/// Buffers are packed (the leading dimension is the row length) and must not overlap `C`.
///
/// Determinism: the result is a pure function of the inputs, the shape and the transpose
/// flags. Each element of `C` is summed in one order over k, fixed by those, that does not
/// depend on where the element falls in a tile,
/// on how the output is split between threads, or on the thread count, so single- and
/// multi-threaded runs give bit-identical results. (It is not bit-identical to `naiveGEMM`,
/// which sums in another order.) Large `X·Wᵀ` products are split over two threads by
/// disjoint blocks of `C`, never over k. The kernels are chosen for the CPU (AVX-512 or not);
/// both sets give the same bits too.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>,
    accumulate: Bool
) {
    blockedGEMM(
        m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB,
        c: c, accumulate: accumulate,
        threads: gemmThreadCount(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB))
}

/// The textbook triple loop, kept as the reference the fast kernel is tested against.
public func naiveGEMM(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>,
    accumulate: Bool
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let aValue = transposeA ? a[p * m + i] : a[i * k + p]
                let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                sum += aValue * bValue
            }
            c[i * n + j] = accumulate ? c[i * n + j] + sum : sum
        }
    }
}

/// Multiply-adds (m·n·k) from which `gemm` splits its work over two threads.
///
/// The two vCPUs are separate cores: numpy's 2048² product runs at 90 GFLOP/s on one thread and
/// 176 on two (2026-11-25). An earlier measurement kept the outer-product path (the backward
/// products) on one thread, but it was taken at a high load average; on a quiet machine
/// splitting it too raised `digits bench` training from 54 k to 67–88 k samples/s on
/// 784-256-128-10 and from 115–125 k to 147–150 k on 784-128-10 (interleaved runs). When other
/// processes keep the second vCPU busy, two threads lose, since each call waits for its slower half.
let gemmParallelThreshold = 1 << 21

/// How many threads `gemm` uses for a product of this size.
///
/// A many-row `A·Bᵀ` (once inference's batches of hundreds of rows) transposes B and takes the
/// outer-product path on two threads as well: on a quiet machine (load average
/// about 1.5, 2026-11-25) that raised `digits bench` inference from 85 k to 119 k samples/s for
/// 784-256-128-10 and from 183 k to 290 k for 784-128-10 (medians of 5 interleaved runs;
/// 784-10-10 648 k → 711 k, training unchanged within the noise).
func gemmThreadCount(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> Int {
    m * n * k >= gemmParallelThreshold ? ComputeThreads.maximum : 1
}

/// Depth of the k blocks of the outer-product path: a 64-column panel of B is
/// `kBlock · 256` bytes and is reused by every row tile.
let kBlock = 256

/// The register tiles `gemm` uses; see GEMMKernels.swift. Both give bit-identical results.
enum GEMMKernelSet: CaseIterable, Sendable {
    /// 6×64 outer-product and 4×5 dot-product tiles, for 32 registers of 512 bits (AVX-512).
    case wide
    /// 6×16 outer-product and 2×3 dot-product tiles, for 16 registers of 256 bits (AVX2).
    /// (2×3 replaced 1×5 on 2026-11-25: X·Wᵀ 64×256×784 42 → 59 GFLOP/s, medians of 7, quiet machine.)
    case narrow

    /// The set for the CPU this runs on. The package compiles with `-target-cpu native`, so the
    /// CPU that runs the code is taken to be the one it was compiled for.
    static let native: GEMMKernelSet = cpuHasAVX512() ? .wide : .narrow

    var dotTile: (rows: Int, cols: Int) { self == .wide ? (4, 5) : (2, 3) }
}

/// `gemm` with an explicit thread count (1 or 2) and kernel set; the result depends on neither.
func blockedGEMM(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>,
    accumulate: Bool, threads: Int, kernels: GEMMKernelSet = .native
) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    if transposeB {
        // A·Bᵀ as dot products of contiguous rows pays only for a C narrower than one vector,
        // which the outer-product path pads to 16 columns, with at least 16 terms a dot product
        // and a B that is not tiny. (It once served the training forward pass, X·Wᵀ; the one
        // A·Bᵀ left in training, dx = dy·Vᵀ, ran 64×128×256 at 34 GFLOP/s as dot products and 48
        // transposed, 2026-11-25, `digits bench --gemm`, medians of 5 interleaved runs.)
        if !transposeA && n < 16 && k >= 16 && k * n > 256 {
            let (first, second) = split(m: m, n: n, tile: kernels.dotTile, threads: threads)
            let work = UncheckedSendable((a, b, c))
            parallelFor(second == nil ? 1 : 2) { part in
                let (a, b, c) = work.value
                let block = part == 0 ? first : second!
                dotProductBlock(
                    rows: block.rows, cols: block.cols, n: n, k: k, a: a, b: b, c: c,
                    accumulate: accumulate, kernels: kernels)
            }
            return
        }
        // Otherwise transpose B once to [k, n] and take the outer-product path. The transposition
        // costs a few percent of the product and the outer-product path runs up to twice as
        // fast; dot products of fewer than 16 terms are mostly horizontal sums (dy·Vᵀ into the
        // hidden layer of 784-128-10 has k = 10 and took 8% of its training); a tiny B (the
        // last layer of 784-10-10 is 10×10) would leave the dot products mostly per-tile
        // overhead; and Aᵀ·Bᵀ has no other path.
        let bk = ThreadScratch.floats(k * n, slot: 1)
        transpose(b, rows: n, columns: k, into: bk)
        blockedGEMM(
            m: m, n: n, k: k, a: a, transposeA: transposeA, b: bk, transposeB: false,
            c: c, accumulate: accumulate, threads: threads, kernels: kernels)
        return
    }
    // The outer-product path needs whole columns when n < 16 (see `outerProductBlock`).
    let (first, second) = split(m: m, n: n < 16 ? 1 : n, tile: (outerRows, 64), threads: threads)
    let work = UncheckedSendable((a, b, c))
    parallelFor(second == nil ? 1 : 2) { part in
        let (a, b, c) = work.value
        var block = part == 0 ? first : second!
        if n < 16 { block.cols = 0..<n }
        outerProductBlock(
            rows: block.rows, cols: block.cols, m: m, n: n, k: k,
            a: a, transposeA: transposeA, b: b, c: c, accumulate: accumulate, kernels: kernels)
    }
}

/// A rectangle of C computed by one thread.
struct OutputBlock {
    var rows: Range<Int>
    var cols: Range<Int>
}

/// Splits C in two along whole tiles when `threads > 1` and there is room: across the
/// columns when there are at least two tiles of them, else across the rows.
func split(m: Int, n: Int, tile: (rows: Int, cols: Int), threads: Int) -> (OutputBlock, OutputBlock?) {
    let whole = OutputBlock(rows: 0..<m, cols: 0..<n)
    guard threads > 1 else { return (whole, nil) }
    if n >= 2 * tile.cols {
        let cut = (n / 2 + tile.cols / 2) / tile.cols * tile.cols
        return (OutputBlock(rows: 0..<m, cols: 0..<cut), OutputBlock(rows: 0..<m, cols: cut..<n))
    }
    if m >= 2 * tile.rows {
        let cut = (m / 2 + tile.rows / 2) / tile.rows * tile.rows
        return (OutputBlock(rows: 0..<cut, cols: 0..<n), OutputBlock(rows: cut..<m, cols: 0..<n))
    }
    return (whole, nil)
}

/// `C[rows, cols] (+)= A[rows, :] · B[cols, :]ᵀ` with A stored `[m, k]` and B stored `[n, k]`.
/// The tile runs down a block of rows for a few columns at a time, so those rows of B stay in L1.
func dotProductBlock(
    rows: Range<Int>, cols: Range<Int>, n: Int, k: Int,
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
    accumulate: Bool, kernels: GEMMKernelSet
) {
    let tile = kernels.dotTile
    // The last k % 16 columns of A's and B's rows, zero-padded to 16: the kernels read their
    // tails from here with whole-vector loads.
    let tail = k % 16
    let tails = ThreadScratch.floats(tail == 0 ? 16 : (rows.count + cols.count) * 16)
    let aTails = tails, bTails = tails + rows.count * 16
    if tail > 0 {
        tails.initialize(repeating: 0, count: (rows.count + cols.count) * 16)
        for i in rows {
            (aTails + (i - rows.lowerBound) * 16).update(from: a + i * k + k - tail, count: tail)
        }
        for j in cols {
            (bTails + (j - cols.lowerBound) * 16).update(from: b + j * k + k - tail, count: tail)
        }
    }
    // Rows of A in blocks of about 128 KB, so that a block stays in L2 while every column
    // tile runs down it.
    let blockRows = max(tile.rows, (32768 / k) / tile.rows * tile.rows)
    for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
        let blockEnd = min(i0 + blockRows, rows.upperBound)
        for j in stride(from: cols.lowerBound, to: cols.upperBound, by: tile.cols) {
            let tileCols = min(tile.cols, cols.upperBound - j)
            let bTail = UnsafePointer(bTails + (j - cols.lowerBound) * 16)
            for i in stride(from: i0, to: blockEnd, by: tile.rows) {
                let tileRows = min(tile.rows, blockEnd - i)
                let aTail = UnsafePointer(aTails + (i - rows.lowerBound) * 16)
                switch kernels {
                case .wide:
                    dotKernel4x5(
                        k: k, rows: tileRows, cols: tileCols, a: a + i * k, lda: k, aTail: aTail,
                        b: b + j * k, ldb: k, bTail: bTail, c: c + i * n + j, ldc: n, accumulate: accumulate)
                case .narrow:
                    dotKernel2x3(
                        k: k, rows: tileRows, cols: tileCols, a: a + i * k, lda: k, aTail: aTail,
                        b: b + j * k, ldb: k, bTail: bTail, c: c + i * n + j, ldc: n, accumulate: accumulate)
                }
            }
        }
    }
}

/// `C[rows, cols] (+)= op(A)[rows, :] · B[:, cols]` with B stored `[k, n]`, in k blocks of
/// `kBlock`. Every element sees the same blocks in the same order wherever its tile lies.
/// When n < 16, `cols` must be `0..<n`.
func outerProductBlock(
    rows: Range<Int>, cols: Range<Int>, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
    accumulate: Bool, kernels: GEMMKernelSet
) {
    let aRowStride = transposeA ? 1 : k
    let aColStride = transposeA ? m : 1
    // The 16-column kernel covers the columns from `first16` (all of them but the wide
    // kernel's whole 64-column panels) in panels of 16; the last panel ends at the last column
    // and may overlap the one before, and then only its new lanes are written. When n < 16
    // there is one panel, zero-padded.
    let first16 = n < 16 || kernels == .narrow ? cols.lowerBound : cols.lowerBound + (cols.count / 64) * 64
    let panelCount = n < 16 ? 1 : (cols.upperBound - first16 + 15) / 16
    func panelColumns(_ panel: Int) -> (start: Int, lanes: Range<Int>) {
        if n < 16 { return (0, 0..<n) }
        let nominal = first16 + 16 * panel
        let start = min(nominal, cols.upperBound - 16)
        return (start, (nominal - start)..<16)
    }
    // Each k block of B's 16-column panels copied ("packed") one after another, `[depth, 16]`
    // each, when enough rows run down them. Left in place, rows of B n floats apart fell into a
    // few sets of the 8-way L1 when n is a multiple of 128 (every row of a panel 512 bytes on
    // from the last for n = 128), and each row tile fetched the panel again from L2.
    let packsPanels = n < 16 || rows.count >= packingMinimumRows
    let panels = packsPanels ? ThreadScratch.floats(panelCount * min(k, kBlock) * 16) : nil
    for p0 in stride(from: 0, to: k, by: kBlock) {
        let depth = min(kBlock, k - p0)
        let load = accumulate || p0 > 0
        let aBlock = a + p0 * aColStride
        let bBlock = b + p0 * n
        if let panels {
            for panel in 0..<panelCount {
                let (start, width) = n < 16 ? (0, n) : (panelColumns(panel).start, 16)
                let packed = panels + panel * depth * 16
                if width == 16 {
                    for p in 0..<depth { store16(load16(bBlock + p * n + start), packed + p * 16) }
                } else {
                    for p in 0..<depth {
                        store16(loadLanes(bBlock + p * n, 0..<width), packed + p * 16)
                    }
                }
            }
        }
        // Rows in blocks of 120, so that a block of A (at most 120 KB) stays in L2 while
        // every column panel of B runs down it.
        for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: 20 * outerRows) {
            let blockEnd = min(i0 + 20 * outerRows, rows.upperBound)
            var j = cols.lowerBound
            while j < first16 {
                for i in stride(from: i0, to: blockEnd, by: outerRows) {
                    outerKernel6x64(
                        kc: depth, rows: min(outerRows, blockEnd - i),
                        a: aBlock + i * aRowStride, aRowStride: aRowStride, aColStride: aColStride,
                        b: bBlock + j, ldb: n, c: c + i * n + j, ldc: n, load: load)
                }
                j += 64
            }
            for panel in 0..<panelCount {
                let (start, lanes) = panelColumns(panel)
                let (panelB, ldb) = if let panels { (UnsafePointer(panels + panel * depth * 16), 16) } else { (bBlock + start, n) }
                for i in stride(from: i0, to: blockEnd, by: outerRows) {
                    outerKernel6x16(
                        kc: depth, rows: min(outerRows, blockEnd - i),
                        a: aBlock + i * aRowStride, aRowStride: aRowStride, aColStride: aColStride,
                        b: panelB, ldb: ldb, c: c + i * n + start, ldc: n, load: load, lanes: lanes)
                }
            }
        }
    }
}

/// Rows of C from which `outerProductBlock` packs B's 16-column panels: copying a panel costs
/// about what one row tile's products through it cost, and it serves every row tile.
let packingMinimumRows = 24

/// `target[k, n] = source[n, k]ᵀ` (`source` has `rows` = n rows of `columns` = k): whole 8×8
/// blocks in registers, the ragged edges element by element.
func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
    let fullRows = rows & ~7, fullColumns = columns & ~7
    for i in stride(from: 0, to: fullRows, by: 8) {
        for j in stride(from: 0, to: fullColumns, by: 8) {
            transpose8x8(source + i * columns + j, ld: columns, into: target + j * rows + i, ldt: rows)
        }
    }
    for i in 0..<rows {
        let start = i < fullRows ? fullColumns : 0
        for j in start..<columns { target[j * rows + i] = source[i * columns + j] }
    }
}

/// One 8×8 block. Element (i, j) sits at bit index `i₂i₁i₀j₂j₁j₀` of the block read row by row;
/// taking the even elements then the odd ones (of the 64, row pair by row pair) rotates that
/// index right by one bit, and three such rounds rotate it by three: `j₂j₁j₀i₂i₁i₀`, the transpose.
@inline(__always)
func transpose8x8(_ source: UnsafePointer<Float>, ld: Int, into target: UnsafeMutablePointer<Float>, ldt: Int) {
    typealias V = SIMD8<Float>
    func row(_ i: Int) -> V { UnsafeRawPointer(source + i * ld).loadUnaligned(as: V.self) }
    var r = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
    for _ in 0..<3 {
        let p0 = SIMD16(lowHalf: r.0, highHalf: r.1), p1 = SIMD16(lowHalf: r.2, highHalf: r.3)
        let p2 = SIMD16(lowHalf: r.4, highHalf: r.5), p3 = SIMD16(lowHalf: r.6, highHalf: r.7)
        r = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
    }
    func store(_ v: V, _ q: Int) { UnsafeMutableRawPointer(target + q * ldt).storeBytes(of: v, as: V.self) }
    store(r.0, 0); store(r.1, 1); store(r.2, 2); store(r.3, 3); store(r.4, 4); store(r.5, 5); store(r.6, 6); store(r.7, 7)
}
