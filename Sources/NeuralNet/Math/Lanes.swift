// Sixteen floats at a time for the optimisers' elementwise updates. Those loops read and write
// several buffers that the compiler cannot prove distinct, so it does not vectorise them itself.
// A piece's last few floats are loaded and stored with `loadLanes` and `storeLanes`
// (GEMMKernels.swift), in a few moves rather than lane by lane.

import CIntrinsics

/// Sixteen `Float` lanes: one AVX-512 register with `-target-cpu native`.
typealias Lanes = SIMD16<Float>

extension SIMD16<Float> {
    /// The square root of each lane, correctly rounded like `Float.squareRoot()` (so the same
    /// bits), but in vector instructions: the standard library's goes lane by lane through C's
    /// `sqrtf` (see CIntrinsics.h).
    @inline(__always)
    var laneSquareRoots: Self {
        Self(lowHalf: vector_square_root(lowHalf), highHalf: vector_square_root(highHalf))
    }
}
