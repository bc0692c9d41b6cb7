// Which way round a picture is: dark ink on light paper (a page, a scan) or light ink on a
// dark ground (MNIST itself, chalk on a blackboard, a drawing app's white on black).

/// Decides the polarity of a picture from which side its pixels stray further from their
/// surroundings.
///
/// Ink is a minority of a picture of a digit: locally, around each stroke, most pixels are
/// the background, so the local mean is near the background and the ink lies far to one side
/// of it. The test takes each pixel's difference from the mean of a window a quarter of the
/// picture's side, `h = v − mean(v)`, and compares how far the darkest and the lightest
/// differences reach, at three depths into each tail (0.1 %, 1 % and 5 % of the pixels), so a
/// small digit (a few pixels in a thousand) and a bold one both tip the balance:
///
///     asymmetry = Σ_tail (−P_tail(h)) − P_(1−tail)(h)
///
/// A stroke covering a share `f` of its surroundings strays `(1 − f)` of its contrast from
/// the mean, the background `f`: the ink's side reaches further while `f < ½`, as in any
/// digit, however bold. Taking the local mean and not the picture's median matters when a
/// shadow or a dark table covers half the page: the median is then no longer the paper's
/// level, while a smooth background, its gradient and the two sides of a shadow's edge
/// stray about equally both ways and cancel. The picture is first averaged down to about
/// 200 pixels on its shorter side: polarity needs no detail, and a pencil line a pixel wide
/// still makes a tail.
///
/// The asymmetry decides when it is at least 12 grey levels (about 4 a tail) and half the
/// middle 90 % of the differences (`P95 − P5`): a soft shadow's rim strays as far both ways
/// as a pale blue ink's strokes. Otherwise (a blank picture, or faint ink in strong shading)
/// the picture's median decides, light meaning paper: most of a photo is the page, even
/// with a table beyond its edge, so the median is asked rather than the border, which the
/// previous normaliser asked and which in a photo is often the table.
enum Polarity {
    /// The least asymmetry that decides, in grey levels summed over the three tails.
    static let decisiveAsymmetry = 12
    /// ... and as a share of the differences' middle 90 %.
    static let decisiveShare = 0.5
    /// The picture is averaged down by whole factors to about this shorter side.
    static let workingSide = 200

    /// Whether the ink of a `width × height` grey picture is lighter than its background.
    static func isLightOnDark(_ pixels: [UInt8], width: Int, height: Int) -> Bool {
        guard width > 0, height > 0 else { return false }
        let factor = max(1, min(width, height) / workingSide)
        let (small, smallWidth, smallHeight) = reduced(pixels, width: width, height: height, factor: factor)
        let radius = max(1, min(smallWidth, smallHeight) / 4)
        let mean = boxMean(small, width: smallWidth, height: smallHeight, radius: radius)

        // The histogram of h + 255, 0…510.
        var counts = [Int](repeating: 0, count: 511)
        for index in small.indices { counts[Int(small[index]) - Int(mean[index]) + 255] &+= 1 }
        func percentile(_ fraction: Double) -> Int {
            let rank = Double(small.count) * fraction
            var below = 0
            for value in 0..<511 {
                below += counts[value]
                if Double(below) > rank { return value - 255 }
            }
            return 255
        }
        func upperPercentile(_ fraction: Double) -> Int {
            let rank = Double(small.count) * fraction
            var above = 0
            for value in stride(from: 510, through: 0, by: -1) {
                above += counts[value]
                if Double(above) > rank { return value - 255 }
            }
            return -255
        }
        var asymmetry = 0
        for tail in [0.001, 0.01, 0.05] { asymmetry += -percentile(tail) - upperPercentile(tail) }
        let spread = Double(upperPercentile(0.05) - percentile(0.05))
        if Double(abs(asymmetry)) >= max(Double(decisiveAsymmetry), decisiveShare * spread) { return asymmetry < 0 }
        return GreyHistogram(small).percentile(0.5) <= 127
    }

    /// The picture averaged over `factor × factor` blocks (the last partial ones dropped).
    private static func reduced(_ pixels: [UInt8], width: Int, height: Int, factor: Int) -> ([UInt8], Int, Int) {
        guard factor > 1 else { return (pixels, width, height) }
        let smallWidth = width / factor, smallHeight = height / factor
        var sums = [Int32](repeating: 0, count: smallWidth * smallHeight)
        pixels.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { sums in
                for y in 0..<(smallHeight * factor) {
                    let row = source.baseAddress! + y * width, out = sums.baseAddress! + (y / factor) * smallWidth
                    for x in 0..<(smallWidth * factor) { out[x / factor] &+= Int32(row[x]) }
                }
            }
        }
        let area = Int32(factor * factor)
        return (sums.map { UInt8(truncatingIfNeeded: $0 / area) }, smallWidth, smallHeight)
    }

    /// The mean over the square window of `radius` about each pixel, clipped at the edges,
    /// from a table of running sums (a summed-area table).
    private static func boxMean(_ pixels: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        let stride = width + 1
        var table = [Int32](repeating: 0, count: stride * (height + 1))
        for y in 0..<height {
            var rowSum: Int32 = 0
            for x in 0..<width {
                rowSum &+= Int32(pixels[y * width + x])
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] &+ rowSum
            }
        }
        var mean = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let top = max(0, y - radius), bottom = min(height, y + radius + 1)
            for x in 0..<width {
                let left = max(0, x - radius), right = min(width, x + radius + 1)
                let sum = table[bottom * stride + right] - table[top * stride + right]
                    - table[bottom * stride + left] + table[top * stride + left]
                mean[y * width + x] = UInt8(truncatingIfNeeded: Int(sum) / ((bottom - top) * (right - left)))
            }
        }
        return mean
    }
}
