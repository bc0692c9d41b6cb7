// The backward pass of an affine map, shared by `Dense` and `Conv2D`: a convolution is the
// same affine map applied to the im2col rows of its input.

/// Backward of `Y = X · Wᵀ + b` over `rows` rows, with `X` `[rows, in]`, `W` `[out, in]`
/// (any parameter whose first dimension is `out`) and `dY` `[rows, out]`:
///
/// - `∂L/∂W[o, i] = Σᵣ dY[r, o] · X[r, i]`, so `dW = dYᵀ · X`   `[out, in]`
/// - `∂L/∂b[o]    = Σᵣ dY[r, o]`, the column sums of `dY`      `[out]`
/// - `∂L/∂X[r, i] = Σₒ dY[r, o] · W[o, i]`, so `dX = dY · W`    `[rows, in]`, written only
///   when `inputGradient` is given.
func affineBackward(
    rows: Int, outputGradient dy: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    weight: Parameter, bias: Parameter, inputGradient dx: UnsafeMutablePointer<Float>?
) {
    let outputCount = weight.shape[0]
    let inputCount = weight.value.count / outputCount
    weight.gradient.withUnsafeMutableBufferPointer { dW in
        gemm(m: outputCount, n: inputCount, k: rows,
             a: dy, transposeA: true,
             b: x, transposeB: false,
             c: dW.baseAddress!, accumulate: false)
    }
    bias.gradient.withUnsafeMutableBufferPointer { db in
        db.update(repeating: 0)
        for row in 0..<rows {
            for o in 0..<outputCount {
                db[o] += dy[row * outputCount + o]
            }
        }
    }
    guard let dx else { return }
    weight.value.withUnsafeBufferPointer { w in
        gemm(m: rows, n: inputCount, k: outputCount,
             a: dy, transposeA: false,
             b: w.baseAddress!, transposeB: false,
             c: dx, accumulate: false)
    }
}
