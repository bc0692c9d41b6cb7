// Matrix multiply (GEMM) over flat row-major Float buffers: the one operation that
// dominates training time. Every layer calls `gemm`; its correctness is pinned by
// tests against `naiveGEMM`.

/// Row-major matrix multiply: `C[m, n] = op(A)[m, k] · op(B)[k, n]`, plus the old `C` when
/// `accumulate` is true.
///
/// `op(A)` is `A` stored `[m, k]` when `transposeA` is false, and `Aᵀ` with `A` stored
/// `[k, m]` when it is true; likewise `op(B)` is `B` stored `[k, n]`, or `Bᵀ` stored `[n, k]`.
/// Buffers are packed (the leading dimension is the row length) and must not overlap `C`.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>,
    accumulate: Bool
) {
    naiveGEMM(m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB, c: c, accumulate: accumulate)
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
