// How strong corrected ink must be to count: above the picture's own noise, and for the
// extent of a stroke, above a quarter of the digit's strongest ink.

/// The two thresholds of the ink mask and the noise pedestal under them, read from the
/// histogram of the background-corrected strengths.
///
/// *Noise.* Paper is most of a picture, so the lower half of the histogram is paper's
/// residue: the opening sits a little under the noise (it is a minimum of maxima), which
/// leaves paper with a strength of a few levels, its median, the `pedestal` (subtracted, so
/// paper reads 0), and a spread `s = median − P16` (one standard deviation for Gaussian noise;
/// taken from below the median, where ink, up to half the pixels, does not reach). The
/// noise of a megapixel reaches about 5 s above its median, JPEG's blocks and paper's texture
/// less (they are correlated, so fewer independent samples), so:
///
/// - `seed` (a blot is ink only if its pixels reach it) = max(32, 7 s): 32 is an eighth of
///   the scale, the previous normaliser's "no ink" line;
/// - `low` (a pixel belongs to a blot's extent) = max(16, 4 s).
///
/// *Strong ink.* Once the blots are cleaned (`ComponentCleaning`), `raised(toStrongInk:)`
/// lifts `low` to a quarter of the strongest ink of the kept blots, as the previous
/// normaliser cropped at a quarter of the strongest pixel: that keeps a stroke's anti-aliased
/// edge out of its extent, so MNIST's own 20-pixel box comes back (99.8 % of MNIST digits
/// keep their long side at 64/255). The strongest ink is taken from the kept blots, not
/// from the picture, because a dark table beyond the page's edge or a shadow would lift
/// the line above a faint pencil digit. Between `low` and `seed` is hysteresis: a faint
/// pencil line is kept whole once part of it is clearly ink, and noise, which reaches `low`
/// in isolated pixels, forms no blot that reaches `seed`.
struct InkThresholds: Equatable {
    /// The least seed, in corrected levels: an eighth of the scale.
    static let minimumSeed = 32
    /// The least extent threshold.
    static let minimumLow = 16

    /// The paper's median strength, subtracted from every pixel.
    let pedestal: Int
    /// A pixel of `corrected − pedestal` at least this strong is part of the ink mask.
    let low: Int
    /// A blot must reach this to be ink.
    let seed: Int
    /// Four times the noise's spread: weaker strength is paper's noise wherever it lies.
    let noise: Int

    /// The noise's thresholds for strengths with this histogram (before the pedestal is
    /// subtracted).
    init(_ histogram: GreyHistogram) {
        let median = histogram.percentile(0.5)
        let spread = max(0, median - histogram.percentile(0.16))
        pedestal = median
        noise = 4 * spread
        low = min(255, max(Self.minimumLow, noise))
        seed = min(255, max(Self.minimumSeed, 7 * spread, low))
    }

    private init(pedestal: Int, low: Int, seed: Int, noise: Int) {
        self.pedestal = pedestal
        self.low = low
        self.seed = seed
        self.noise = noise
    }

    /// The thresholds with `low` at least a quarter of `strong` (rounded up), the strongest
    /// ink of the digit, and `seed` at least `low`.
    func raised(toStrongInk strong: Int) -> InkThresholds {
        let low = max(self.low, (strong + 3) / 4)
        return InkThresholds(pedestal: pedestal, low: low, seed: max(seed, low), noise: noise)
    }
}
