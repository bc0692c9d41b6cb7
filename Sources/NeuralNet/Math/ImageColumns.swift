// im2col in the layout that suits the matrix multiply, one image at a time, and its adjoint.
// Names as in Conv2D.swift: C channels, H×W image, K kernel side, OH×OW output, P = OH·OW
// positions, Q = C·K·K kernel rows, numbered q = (c·K + ky)·K + kx.

/// The geometry of a stride-1 convolution over one image, and the copies between the image
/// `[C, H, W]` and its columns, `Q` rows of `P` values: row `q = (c, ky, kx)` holds the input
/// value under kernel tap `(ky, kx)` of channel `c` at every output position,
/// `columns[q, oy·OW + ox] = x[c, oy + ky − pad, ox + kx − pad]` (zero outside the image).
///
/// A row is the image shifted by `(ky, kx)`, so it is copied `OW` floats at a time, and a
/// subset of rows can be copied on its own (two threads each take half of them).
struct ImageColumns: Sendable {
    let channels: Int
    let height: Int
    let width: Int
    let kernelSize: Int
    /// Zero padding on each side.
    let border: Int
    let outputHeight: Int
    let outputWidth: Int

    /// Output positions, `P = OH·OW`: the length of a row.
    var positionCount: Int { outputHeight * outputWidth }
    /// Kernel rows, `Q = C·K·K`.
    var rowCount: Int { channels * kernelSize * kernelSize }
    /// Rows that read one channel, `K·K`.
    var rowsPerChannel: Int { kernelSize * kernelSize }

    /// For `kx`, the output columns whose input column `ox + kx − pad` lies inside the image.
    @inline(__always)
    private func insideColumns(kx: Int) -> Range<Int> {
        let shift = kx - border, end = min(outputWidth, width - shift)
        return min(max(0, -shift), end) ..< end
    }

    /// For `ky`, the output rows whose input row `oy + ky − pad` lies inside the image.
    @inline(__always)
    private func insideRows(ky: Int) -> Range<Int> {
        let shift = ky - border, end = min(outputHeight, height - shift)
        return min(max(0, -shift), end) ..< end
    }

    /// Calls `body(q, c, ky, kx)` for each kernel row `q` in `rows`, counting `(c, ky, kx)` up
    /// rather than dividing for each row.
    @inline(__always)
    private func forEachTap(in rows: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        let k = kernelSize
        var (channel, tap) = rows.lowerBound.quotientAndRemainder(dividingBy: k * k)
        var (ky, kx) = tap.quotientAndRemainder(dividingBy: k)
        for q in rows {
            body(q, channel, ky, kx)
            kx += 1
            if kx == k { kx = 0; ky += 1 }
            if ky == k { ky = 0; channel += 1 }
        }
    }

    /// Writes rows `rows` of `image`'s columns, row `q` at `columns + (q − rows.lowerBound) · rowStride`
    /// (`rowStride ≥ P`, so that several images' rows can sit side by side).
    func copy(
        _ image: UnsafePointer<Float>, rows: Range<Int>,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int
    ) {
        let ow = outputWidth
        forEachTap(in: rows) { q, channel, ky, kx in
            let across = insideColumns(kx: kx), down = insideRows(ky: ky)
            let target = columns + (q - rows.lowerBound) * rowStride
            var source = image + (channel * height + down.lowerBound + ky - border) * width + kx - border
            if down.count < outputHeight {
                target.update(repeating: 0, count: down.lowerBound * ow)
                (target + down.upperBound * ow).update(repeating: 0, count: (outputHeight - down.upperBound) * ow)
            }
            for oy in down {
                let row = target + oy * ow
                if across.count < ow {
                    row.update(repeating: 0, count: ow)
                }
                copyRun(from: source + across.lowerBound, to: row + across.lowerBound, count: across.count)
                source += width
            }
        }
    }

    /// The adjoint of `copy`: adds every value of rows `rows` of `columns` to the image value
    /// it was copied from (values copied from the padding are dropped). `image` is not cleared.
    func add(
        _ columns: UnsafePointer<Float>, rows: Range<Int>, rowStride: Int,
        into image: UnsafeMutablePointer<Float>
    ) {
        let ow = outputWidth
        forEachTap(in: rows) { q, channel, ky, kx in
            let across = insideColumns(kx: kx), down = insideRows(ky: ky)
            let source = columns + (q - rows.lowerBound) * rowStride
            var target = image + (channel * height + down.lowerBound + ky - border) * width + kx - border
            for oy in down {
                addRun(from: source + oy * ow + across.lowerBound, to: target + across.lowerBound, count: across.count)
                target += width
            }
        }
    }
}

/// `target[0 ..< count] = source[0 ..< count]`, eight floats at a time: the runs are short
/// (one output row), too short for `memcpy` to pay for its call.
@inline(__always)
private func copyRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    while index + 8 <= count {
        let values = UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(target + index).storeBytes(of: values, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        target[index] = source[index]
        index += 1
    }
}

/// `target[0 ..< count] += source[0 ..< count]`, eight floats at a time.
@inline(__always)
private func addRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    while index + 8 <= count {
        let values = UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self)
        let sum = UnsafeRawPointer(target + index).loadUnaligned(as: SIMD8<Float>.self) + values
        UnsafeMutableRawPointer(target + index).storeBytes(of: sum, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        target[index] += source[index]
        index += 1
    }
}
