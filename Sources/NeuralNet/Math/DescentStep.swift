// Plain gradient descent taken where a gradient is made.
//
// Plain SGD's step is `W ← W − η·g`. The optimiser takes it after the backward pass: it reads
// the whole gradient back from memory, and W with it. For the first layer on MNIST that is two
// 400 KB matrices a step (784·128 floats each) which no longer fit the core's L2 beside the
// rest; a sparse product (`SparseMatrix.transposedMultiply`) instead subtracts each row of the
// gradient from W as it leaves the registers, and rows of pixels blank in the whole batch,
// whose gradient is zero, are not touched at all.

/// `W ← W − rate · G`, taken row by row by a product that makes `G`, in place of storing `G`:
/// `weights` is W, laid out as the product's output (the same row stride), and each row of
/// `G` is subtracted as soon as its sum is complete.
///
/// The arithmetic is the optimiser's (`SGD` without momentum or decay): `w − rate · g`, a
/// multiplication then a subtraction, so a step taken here gives the bits `SGD.update` gives.
///
/// `stripCopy`, when given, is a copy of W's columns in strips of 64 (`SparseMatrix.packStrips`,
/// which the forward pass multiplies from), and the step writes each new row of a strip there
/// too, so the copy stays W's without being made again.
struct DescentStep {
    /// W, at the product's current row and column.
    let weights: UnsafeMutablePointer<Float>
    /// The learning rate η.
    let rate: Float
    /// The strips' copy of W, at the same row and column as `weights`, or nil.
    var stripCopy: UnsafeMutablePointer<Float>? = nil

    /// The step for the part of W `offset` floats further on, and of its strips' copy
    /// `copyOffset` floats further on (nil: a part that the strips do not hold).
    func advanced(by offset: Int, copyOffset: Int?) -> DescentStep {
        DescentStep(weights: weights + offset, rate: rate,
                    stripCopy: copyOffset.flatMap { offset in stripCopy.map { $0 + offset } })
    }

    /// `W[offset ..< offset + 16] −= rate · g` (and the same floats of the strips' copy, which
    /// lie `offset` floats on from its current row too).
    @inline(__always)
    func take(_ g: SIMD16<Float>, at offset: Int) {
        let stepped = load16(weights + offset) - SIMD16(repeating: rate) * g
        store16(stepped, weights + offset)
        if let stripCopy { store16(stepped, stripCopy + offset) }
    }

    /// `W[offset + lane] −= rate · g[lane]` for the lanes in `lanes` only, outside the strips.
    @inline(__always)
    func take(_ g: SIMD16<Float>, at offset: Int, lanes: Range<Int>) {
        let w = weights + offset
        storeLanes(loadLanes(w, lanes) - SIMD16(repeating: rate) * g, w, lanes)
    }
}
