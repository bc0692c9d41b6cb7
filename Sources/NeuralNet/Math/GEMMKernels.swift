// The register-tiled microkernels behind `gemm`. Each keeps a tile of C in SIMD16 registers
// while it runs over k. Written out by hand (no loops over accumulators) so that every
// accumulator stays in a register; the arithmetic of one output element is the same in
// every kernel and at every tile position, which is what makes `gemm` deterministic.
//
// Two sets, chosen once at run time (`GEMMKernelSet.native`): with AVX-512 a SIMD16<Float> is
// one of 32 registers, and the wide tiles (6×64 outer product, 4×5 dot products) keep 24 and
// 20 accumulators; with AVX2 it is two of 16 registers, so the narrow tiles (6×16 outer
// product, 2×3 dot products) are the largest that do not spill. Compiled for an AVX-512 CPU
// (znver5, on the Zen 5 machine of the first sessions), the wide kernels' inner loops use zmm
// registers and spill nothing; this project's machine is now a Zen 3 with AVX2 only, which
// takes the narrow set.
//
// Products accumulate with `addProduct`, a fused multiply-add: `acc += x * y` is compiled as
// a separate multiply and add. Each kernel is its own function (`@inline(never)`): inlined into
// the large driver, the optimiser left the generic `loadUnaligned` out of line, a call per load.
// On Zen 3 (AVX2) these two changes took the outer-product kernel from 22 to 70–80 GFLOP/s.

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Copies the 64 floats at `source` to `target` in four vector moves (`update(from:count:)`
/// is a `memmove` call, which cost as much as the copy in the packing loops).
@inline(__always)
func copy64(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
    for lanes in stride(from: 0, to: 64, by: 16) { store16(load16(source + lanes), target + lanes) }
}

/// Sums the 16 lanes pairwise (a fixed order, unlike a sequential reduction).
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    let v8 = v.lowHalf + v.highHalf
    let v4 = v8.lowHalf + v8.highHalf
    let v2 = v4.lowHalf + v4.highHalf
    return v2.x + v2.y
}

/// Lanes `lanes` of the 16 floats at `p` (zero elsewhere); touches no other memory.
@inline(__always)
func loadLanes(_ p: UnsafePointer<Float>, _ lanes: Range<Int>) -> SIMD16<Float> {
    if lanes == 0..<16 { return load16(p) }
    var v = SIMD16<Float>()
    withUnsafeMutableBytes(of: &v) { bytes in
        copyLanes(lanes, from: UnsafeRawPointer(p), to: bytes.baseAddress!)
    }
    return v
}

/// Stores lanes `lanes` of `v` to `p`; touches no other memory.
@inline(__always)
func storeLanes(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ lanes: Range<Int>) {
    if lanes == 0..<16 { store16(v, p); return }
    withUnsafeBytes(of: v) { bytes in
        copyLanes(lanes, from: bytes.baseAddress!, to: UnsafeMutableRawPointer(p))
    }
}

/// Copies the floats `lanes` (within 0..<16) from `source` to `destination`, each counted from
/// its start, in pieces of 8, 4, 2 and 1 lanes: a few moves, where a call of `memcpy` for a
/// 10-wide row cost more than the row's arithmetic.
@inline(__always)
private func copyLanes(_ lanes: Range<Int>, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
    var offset = lanes.lowerBound * 4
    var left = lanes.count
    @inline(__always) func move<Piece>(_ piece: Piece.Type, lanes count: Int) {
        guard left >= count else { return }
        destination.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: Piece.self),
                               toByteOffset: offset, as: Piece.self)
        offset += count * 4
        left -= count
    }
    move(SIMD8<Float>.self, lanes: 8)
    move(SIMD4<Float>.self, lanes: 4)
    move(SIMD2<Float>.self, lanes: 2)
    move(Float.self, lanes: 1)
}

@inline(__always)
func store(_ value: Float, _ p: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    p.pointee = accumulate ? p.pointee + value : value
}

/// Rows a call of the outer-product kernels.
let outerRows = 6

/// `C[rows, 64] (+)= A[rows, kc] · B[kc, 64]`, 6 rows a call (rows past `rows` repeat the
/// last row and are not stored). `A(r, p)` is `a[r · aRowStride + p · aColStride]`; `B` row `p`
/// starts at `b + p · ldb`. Starts from `C` when `load` is true, from zero otherwise.
@inline(never)
func outerKernel6x64(
    kc: Int, rows: Int,
    a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, load: Bool
) {
    let a0 = a + min(0, rows - 1) * aRowStride
    let a1 = a + min(1, rows - 1) * aRowStride
    let a2 = a + min(2, rows - 1) * aRowStride
    let a3 = a + min(3, rows - 1) * aRowStride
    let a4 = a + min(4, rows - 1) * aRowStride
    let a5 = a + min(5, rows - 1) * aRowStride
    let c0 = c + min(0, rows - 1) * ldc
    let c1 = c + min(1, rows - 1) * ldc
    let c2 = c + min(2, rows - 1) * ldc
    let c3 = c + min(3, rows - 1) * ldc
    let c4 = c + min(4, rows - 1) * ldc
    let c5 = c + min(5, rows - 1) * ldc
    let zero = SIMD16<Float>()
    var c00 = zero, c01 = zero, c02 = zero, c03 = zero, c10 = zero, c11 = zero, c12 = zero, c13 = zero, c20 = zero, c21 = zero, c22 = zero, c23 = zero, c30 = zero, c31 = zero, c32 = zero, c33 = zero, c40 = zero, c41 = zero, c42 = zero, c43 = zero, c50 = zero, c51 = zero, c52 = zero, c53 = zero
    if load {
        c00 = load16(c0 + 0); c01 = load16(c0 + 16); c02 = load16(c0 + 32); c03 = load16(c0 + 48)
        c10 = load16(c1 + 0); c11 = load16(c1 + 16); c12 = load16(c1 + 32); c13 = load16(c1 + 48)
        c20 = load16(c2 + 0); c21 = load16(c2 + 16); c22 = load16(c2 + 32); c23 = load16(c2 + 48)
        c30 = load16(c3 + 0); c31 = load16(c3 + 16); c32 = load16(c3 + 32); c33 = load16(c3 + 48)
        c40 = load16(c4 + 0); c41 = load16(c4 + 16); c42 = load16(c4 + 32); c43 = load16(c4 + 48)
        c50 = load16(c5 + 0); c51 = load16(c5 + 16); c52 = load16(c5 + 32); c53 = load16(c5 + 48)
    }
    var offsetA = 0
    var pb = b
    for _ in 0..<kc {
        let b0 = load16(pb + 0); let b1 = load16(pb + 16); let b2 = load16(pb + 32); let b3 = load16(pb + 48)
        let x0 = SIMD16<Float>(repeating: a0[offsetA])
        c00.addProduct(x0, b0); c01.addProduct(x0, b1); c02.addProduct(x0, b2); c03.addProduct(x0, b3)
        let x1 = SIMD16<Float>(repeating: a1[offsetA])
        c10.addProduct(x1, b0); c11.addProduct(x1, b1); c12.addProduct(x1, b2); c13.addProduct(x1, b3)
        let x2 = SIMD16<Float>(repeating: a2[offsetA])
        c20.addProduct(x2, b0); c21.addProduct(x2, b1); c22.addProduct(x2, b2); c23.addProduct(x2, b3)
        let x3 = SIMD16<Float>(repeating: a3[offsetA])
        c30.addProduct(x3, b0); c31.addProduct(x3, b1); c32.addProduct(x3, b2); c33.addProduct(x3, b3)
        let x4 = SIMD16<Float>(repeating: a4[offsetA])
        c40.addProduct(x4, b0); c41.addProduct(x4, b1); c42.addProduct(x4, b2); c43.addProduct(x4, b3)
        let x5 = SIMD16<Float>(repeating: a5[offsetA])
        c50.addProduct(x5, b0); c51.addProduct(x5, b1); c52.addProduct(x5, b2); c53.addProduct(x5, b3)
        offsetA &+= aColStride
        pb += ldb
    }
    store16(c00, c0 + 0); store16(c01, c0 + 16); store16(c02, c0 + 32); store16(c03, c0 + 48)
    if rows > 1 { store16(c10, c1 + 0); store16(c11, c1 + 16); store16(c12, c1 + 32); store16(c13, c1 + 48) }
    if rows > 2 { store16(c20, c2 + 0); store16(c21, c2 + 16); store16(c22, c2 + 32); store16(c23, c2 + 48) }
    if rows > 3 { store16(c30, c3 + 0); store16(c31, c3 + 16); store16(c32, c3 + 32); store16(c33, c3 + 48) }
    if rows > 4 { store16(c40, c4 + 0); store16(c41, c4 + 16); store16(c42, c4 + 32); store16(c43, c4 + 48) }
    if rows > 5 { store16(c50, c5 + 0); store16(c51, c5 + 16); store16(c52, c5 + 32); store16(c53, c5 + 48) }
}

/// `C[rows, 16] (+)= A[rows, kc] · B[kc, 16]`, 6 rows a call (rows past `rows` repeat the
/// last row and are not stored). `A(r, p)` is `a[r · aRowStride + p · aColStride]`; `B` row `p`
/// starts at `b + p · ldb`. Starts from `C` when `load` is true, from zero otherwise.
/// Only columns `lanes` of C are read and written.
@inline(never)
func outerKernel6x16(
    kc: Int, rows: Int,
    a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, load: Bool,
    lanes: Range<Int>
) {
    let a0 = a + min(0, rows - 1) * aRowStride
    let a1 = a + min(1, rows - 1) * aRowStride
    let a2 = a + min(2, rows - 1) * aRowStride
    let a3 = a + min(3, rows - 1) * aRowStride
    let a4 = a + min(4, rows - 1) * aRowStride
    let a5 = a + min(5, rows - 1) * aRowStride
    let c0 = c + min(0, rows - 1) * ldc
    let c1 = c + min(1, rows - 1) * ldc
    let c2 = c + min(2, rows - 1) * ldc
    let c3 = c + min(3, rows - 1) * ldc
    let c4 = c + min(4, rows - 1) * ldc
    let c5 = c + min(5, rows - 1) * ldc
    let zero = SIMD16<Float>()
    var c00 = zero, c10 = zero, c20 = zero, c30 = zero, c40 = zero, c50 = zero
    if load {
        c00 = loadLanes(c0, lanes)
        c10 = loadLanes(c1, lanes)
        c20 = loadLanes(c2, lanes)
        c30 = loadLanes(c3, lanes)
        c40 = loadLanes(c4, lanes)
        c50 = loadLanes(c5, lanes)
    }
    var offsetA = 0
    var pb = b
    for _ in 0..<kc {
        let b0 = load16(pb + 0)
        let x0 = SIMD16<Float>(repeating: a0[offsetA])
        c00.addProduct(x0, b0)
        let x1 = SIMD16<Float>(repeating: a1[offsetA])
        c10.addProduct(x1, b0)
        let x2 = SIMD16<Float>(repeating: a2[offsetA])
        c20.addProduct(x2, b0)
        let x3 = SIMD16<Float>(repeating: a3[offsetA])
        c30.addProduct(x3, b0)
        let x4 = SIMD16<Float>(repeating: a4[offsetA])
        c40.addProduct(x4, b0)
        let x5 = SIMD16<Float>(repeating: a5[offsetA])
        c50.addProduct(x5, b0)
        offsetA &+= aColStride
        pb += ldb
    }
    storeLanes(c00, c0, lanes)
    if rows > 1 { storeLanes(c10, c1, lanes) }
    if rows > 2 { storeLanes(c20, c2, lanes) }
    if rows > 3 { storeLanes(c30, c3, lanes) }
    if rows > 4 { storeLanes(c40, c4, lanes) }
    if rows > 5 { storeLanes(c50, c5, lanes) }
}

/// `C[rows, cols] (+)= A[rows, k] · B[cols, k]ᵀ` for one 4×5 tile, as dot products of rows of
/// `A` (stride `lda`) with rows of `B` (stride `ldb`). Rows and columns past `rows`, `cols` repeat
/// the last one and are not stored. The last `k % 16` values of each row come from `aTail` and
/// `bTail` instead: the same values, zero-padded to 16 a row.
@inline(never)
func dotKernel4x5(
    k: Int, rows: Int, cols: Int,
    a: UnsafePointer<Float>, lda: Int, aTail: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bTail: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let a0 = a + min(0, rows - 1) * lda
    let a1 = a + min(1, rows - 1) * lda
    let a2 = a + min(2, rows - 1) * lda
    let a3 = a + min(3, rows - 1) * lda
    let b0 = b + min(0, cols - 1) * ldb
    let b1 = b + min(1, cols - 1) * ldb
    let b2 = b + min(2, cols - 1) * ldb
    let b3 = b + min(3, cols - 1) * ldb
    let b4 = b + min(4, cols - 1) * ldb
    let zero = SIMD16<Float>()
    var s00 = zero, s01 = zero, s02 = zero, s03 = zero, s04 = zero, s10 = zero, s11 = zero, s12 = zero, s13 = zero, s14 = zero, s20 = zero, s21 = zero, s22 = zero, s23 = zero, s24 = zero, s30 = zero, s31 = zero, s32 = zero, s33 = zero, s34 = zero
    let kVector = k & ~15
    var p = 0
    while p < kVector {
        let x0 = load16(a0 + p); let x1 = load16(a1 + p); let x2 = load16(a2 + p); let x3 = load16(a3 + p)
        let y0 = load16(b0 + p)
        s00.addProduct(x0, y0); s10.addProduct(x1, y0); s20.addProduct(x2, y0); s30.addProduct(x3, y0)
        let y1 = load16(b1 + p)
        s01.addProduct(x0, y1); s11.addProduct(x1, y1); s21.addProduct(x2, y1); s31.addProduct(x3, y1)
        let y2 = load16(b2 + p)
        s02.addProduct(x0, y2); s12.addProduct(x1, y2); s22.addProduct(x2, y2); s32.addProduct(x3, y2)
        let y3 = load16(b3 + p)
        s03.addProduct(x0, y3); s13.addProduct(x1, y3); s23.addProduct(x2, y3); s33.addProduct(x3, y3)
        let y4 = load16(b4 + p)
        s04.addProduct(x0, y4); s14.addProduct(x1, y4); s24.addProduct(x2, y4); s34.addProduct(x3, y4)
        p &+= 16
    }
    if p < k {
        let x0 = load16(aTail + min(0, rows - 1) * 16); let x1 = load16(aTail + min(1, rows - 1) * 16); let x2 = load16(aTail + min(2, rows - 1) * 16); let x3 = load16(aTail + min(3, rows - 1) * 16)
        let y0 = load16(bTail + min(0, cols - 1) * 16)
        s00.addProduct(x0, y0); s10.addProduct(x1, y0); s20.addProduct(x2, y0); s30.addProduct(x3, y0)
        let y1 = load16(bTail + min(1, cols - 1) * 16)
        s01.addProduct(x0, y1); s11.addProduct(x1, y1); s21.addProduct(x2, y1); s31.addProduct(x3, y1)
        let y2 = load16(bTail + min(2, cols - 1) * 16)
        s02.addProduct(x0, y2); s12.addProduct(x1, y2); s22.addProduct(x2, y2); s32.addProduct(x3, y2)
        let y3 = load16(bTail + min(3, cols - 1) * 16)
        s03.addProduct(x0, y3); s13.addProduct(x1, y3); s23.addProduct(x2, y3); s33.addProduct(x3, y3)
        let y4 = load16(bTail + min(4, cols - 1) * 16)
        s04.addProduct(x0, y4); s14.addProduct(x1, y4); s24.addProduct(x2, y4); s34.addProduct(x3, y4)
    }
    do {
        let row = c + 0 * ldc
        store(horizontalSum(s00), row, accumulate)
        if cols > 1 { store(horizontalSum(s01), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s02), row + 2, accumulate) }
        if cols > 3 { store(horizontalSum(s03), row + 3, accumulate) }
        if cols > 4 { store(horizontalSum(s04), row + 4, accumulate) }
    }
    if rows > 1 {
        let row = c + 1 * ldc
        store(horizontalSum(s10), row, accumulate)
        if cols > 1 { store(horizontalSum(s11), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s12), row + 2, accumulate) }
        if cols > 3 { store(horizontalSum(s13), row + 3, accumulate) }
        if cols > 4 { store(horizontalSum(s14), row + 4, accumulate) }
    }
    if rows > 2 {
        let row = c + 2 * ldc
        store(horizontalSum(s20), row, accumulate)
        if cols > 1 { store(horizontalSum(s21), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s22), row + 2, accumulate) }
        if cols > 3 { store(horizontalSum(s23), row + 3, accumulate) }
        if cols > 4 { store(horizontalSum(s24), row + 4, accumulate) }
    }
    if rows > 3 {
        let row = c + 3 * ldc
        store(horizontalSum(s30), row, accumulate)
        if cols > 1 { store(horizontalSum(s31), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s32), row + 2, accumulate) }
        if cols > 3 { store(horizontalSum(s33), row + 3, accumulate) }
        if cols > 4 { store(horizontalSum(s34), row + 4, accumulate) }
    }
}

/// `C[rows, cols] (+)= A[rows, k] · B[cols, k]ᵀ` for one 1×5 tile, as dot products of rows of
/// `A` (stride `lda`) with rows of `B` (stride `ldb`). Rows and columns past `rows`, `cols` repeat
/// the last one and are not stored. The last `k % 16` values of each row come from `aTail` and
/// `bTail` instead: the same values, zero-padded to 16 a row.
@inline(never)
func dotKernel1x5(
    k: Int, rows: Int, cols: Int,
    a: UnsafePointer<Float>, lda: Int, aTail: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bTail: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let a0 = a + min(0, rows - 1) * lda
    let b0 = b + min(0, cols - 1) * ldb
    let b1 = b + min(1, cols - 1) * ldb
    let b2 = b + min(2, cols - 1) * ldb
    let b3 = b + min(3, cols - 1) * ldb
    let b4 = b + min(4, cols - 1) * ldb
    let zero = SIMD16<Float>()
    var s00 = zero, s01 = zero, s02 = zero, s03 = zero, s04 = zero
    let kVector = k & ~15
    var p = 0
    while p < kVector {
        let x0 = load16(a0 + p)
        let y0 = load16(b0 + p)
        s00.addProduct(x0, y0)
        let y1 = load16(b1 + p)
        s01.addProduct(x0, y1)
        let y2 = load16(b2 + p)
        s02.addProduct(x0, y2)
        let y3 = load16(b3 + p)
        s03.addProduct(x0, y3)
        let y4 = load16(b4 + p)
        s04.addProduct(x0, y4)
        p &+= 16
    }
    if p < k {
        let x0 = load16(aTail + min(0, rows - 1) * 16)
        let y0 = load16(bTail + min(0, cols - 1) * 16)
        s00.addProduct(x0, y0)
        let y1 = load16(bTail + min(1, cols - 1) * 16)
        s01.addProduct(x0, y1)
        let y2 = load16(bTail + min(2, cols - 1) * 16)
        s02.addProduct(x0, y2)
        let y3 = load16(bTail + min(3, cols - 1) * 16)
        s03.addProduct(x0, y3)
        let y4 = load16(bTail + min(4, cols - 1) * 16)
        s04.addProduct(x0, y4)
    }
    do {
        let row = c + 0 * ldc
        store(horizontalSum(s00), row, accumulate)
        if cols > 1 { store(horizontalSum(s01), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s02), row + 2, accumulate) }
        if cols > 3 { store(horizontalSum(s03), row + 3, accumulate) }
        if cols > 4 { store(horizontalSum(s04), row + 4, accumulate) }
    }
}

/// `C[rows, cols] (+)= A[rows, k] · B[cols, k]ᵀ` for one 2×3 tile; otherwise as `dotKernel1x5`.
@inline(__always)
func dotKernel2x3(
    k: Int, rows: Int, cols: Int,
    a: UnsafePointer<Float>, lda: Int, aTail: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bTail: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let a0 = a + min(0, rows - 1) * lda
    let a1 = a + min(1, rows - 1) * lda
    let b0 = b + min(0, cols - 1) * ldb
    let b1 = b + min(1, cols - 1) * ldb
    let b2 = b + min(2, cols - 1) * ldb
    let zero = SIMD16<Float>()
    var s00 = zero, s01 = zero, s02 = zero, s10 = zero, s11 = zero, s12 = zero
    let kVector = k & ~15
    var p = 0
    while p < kVector {
        let x0 = load16(a0 + p); let x1 = load16(a1 + p)
        let y0 = load16(b0 + p)
        s00.addProduct(x0, y0); s10.addProduct(x1, y0)
        let y1 = load16(b1 + p)
        s01.addProduct(x0, y1); s11.addProduct(x1, y1)
        let y2 = load16(b2 + p)
        s02.addProduct(x0, y2); s12.addProduct(x1, y2)
        p &+= 16
    }
    if p < k {
        let x0 = load16(aTail + min(0, rows - 1) * 16); let x1 = load16(aTail + min(1, rows - 1) * 16)
        let y0 = load16(bTail + min(0, cols - 1) * 16)
        s00.addProduct(x0, y0); s10.addProduct(x1, y0)
        let y1 = load16(bTail + min(1, cols - 1) * 16)
        s01.addProduct(x0, y1); s11.addProduct(x1, y1)
        let y2 = load16(bTail + min(2, cols - 1) * 16)
        s02.addProduct(x0, y2); s12.addProduct(x1, y2)
    }
    do {
        let row = c + 0 * ldc
        store(horizontalSum(s00), row, accumulate)
        if cols > 1 { store(horizontalSum(s01), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s02), row + 2, accumulate) }
    }
    if rows > 1 {
        let row = c + 1 * ldc
        store(horizontalSum(s10), row, accumulate)
        if cols > 1 { store(horizontalSum(s11), row + 1, accumulate) }
        if cols > 2 { store(horizontalSum(s12), row + 2, accumulate) }
    }
}
