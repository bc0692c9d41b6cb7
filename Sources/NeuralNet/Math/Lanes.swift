// Sixteen floats at a time for the optimisers' elementwise updates. Those loops read and write
// several buffers that the compiler cannot prove distinct, so it does not vectorise them itself.

import CIntrinsics

/// Sixteen `Float` lanes: one AVX-512 register with `-target-cpu native`.
typealias Lanes = SIMD16<Float>

extension SIMD16<Float> {
    /// Lanes `0..<count` from `pointer`, zero beyond (`count` at most 16). A few moves
    /// (`loadLanes`): setting the lanes one by one went through memory for each lane, and
    /// packing a 10-column B for `gemm` that way took 6% of the training thread's time on
    /// 784-10-10.
    @inline(__always)
    init(loadingFrom pointer: UnsafePointer<Float>, count: Int) {
        self = loadLanes(pointer, 0..<count)
    }

    /// Writes lanes `0..<count` to `pointer`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, count: Int) {
        storeLanes(self, pointer, 0..<count)
    }
}

extension SIMD16<Float> {
    /// The square root of each lane, correctly rounded like `Float.squareRoot()` (so the same
    /// bits), but in vector instructions: the standard library's goes lane by lane through C's
    /// `sqrtf` (see CIntrinsics.h).
    @inline(__always)
    var laneSquareRoots: Self {
        Self(lowHalf: vector_square_root(lowHalf), highHalf: vector_square_root(highHalf))
    }
}
