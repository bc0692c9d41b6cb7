// Which way round a picture is: dark ink on light paper (a page, a scan) or light ink on a
// dark ground (MNIST itself, chalk on a blackboard, a drawing app's white on black).

/// Decides the polarity of a picture from the shape of its grey-level histogram.
///
/// Most of a picture of a digit is its background, so the median is the background's level,
/// and the ink is a minority that lies far to one side of it. The test compares how far the
/// darkest and the lightest pixels lie from the median, at three depths into each tail
/// (0.1 %, 1 % and 5 % of the pixels), so a small digit (a few pixels in a thousand) and a
/// bold one both tip the balance:
///
///     asymmetry = Σ_tail (median − P_tail) − (P_(1−tail) − median)
///
/// Noise, paper texture and a lighting gradient spread both tails about equally and cancel;
/// ink, shadows and a dark table beyond a page's edge all sit on the dark side of a page,
/// chalk on the light side of a blackboard. The asymmetry decides when it is at least 12
/// grey levels (about 4 a tail) and a quarter of the middle 90 % of the histogram (`P95 −
/// P5`): a strong gradient with a sharp shadow skews a blank page's histogram by a few levels
/// either way. Otherwise the ring of border pixels decides (light means paper), as it did
/// alone in the previous normaliser; it is not asked first because a photo's border is often
/// the table, not the page.
enum Polarity {
    /// The least asymmetry that decides, in grey levels summed over the three tails.
    static let decisiveAsymmetry = 12
    /// ... and as a share of the histogram's middle 90 %.
    static let decisiveShare = 0.25

    /// Whether the ink is lighter than the background. `ringMean` is the mean of the outermost
    /// ring of pixels, the fallback.
    static func isLightOnDark(_ histogram: GreyHistogram, ringMean: Double) -> Bool {
        let median = histogram.percentile(0.5)
        var asymmetry = 0
        for tail in [0.001, 0.01, 0.05] {
            let dark = median - histogram.percentile(tail)
            let light = histogram.upperPercentile(tail) - median
            asymmetry += dark - light
        }
        let spread = Double(histogram.upperPercentile(0.05) - histogram.percentile(0.05))
        if Double(abs(asymmetry)) >= max(Double(decisiveAsymmetry), decisiveShare * spread) { return asymmetry < 0 }
        return ringMean <= 127.5
    }

    /// The mean of the outermost ring of pixels of a `width × height` grey picture.
    static func ringMean(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> Double {
        guard width > 0, height > 0 else { return 0 }
        var sum = 0, count = 0
        for x in 0..<width {
            sum += Int(pixels[x]); count += 1
            if height > 1 { sum += Int(pixels[(height - 1) * width + x]); count += 1 }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                sum += Int(pixels[y * width]); count += 1
                if width > 1 { sum += Int(pixels[y * width + width - 1]); count += 1 }
            }
        }
        return Double(sum) / Double(count)
    }
}
