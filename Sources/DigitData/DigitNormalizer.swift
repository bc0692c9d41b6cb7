// Turns a person's digit image into a 28×28 MNIST-style input, the way MNIST itself was
// made (design.md, "The user-image normalisation"): the ink found by page analysis, bright
// on black, scaled into a 20×20 box with area-averaging, its centre of mass at the centre.

import PNG

/// Makes a user's digit image look like an MNIST digit.
///
/// The steps, in order:
/// 1. grey, with alpha over white (the PNG decoder does this);
/// 2. page analysis (`PageAnalysis`): polarity, the background under the ink (lighting,
///    shadow, tinted paper) taken away, an adaptive threshold, ruled lines, specks, the page's
///    edge and stray marks removed; what is left is the digit's components, and the ink is
///    bright on black as in MNIST;
/// 3. crop to the union of the components' boxes (the pixels with at least a quarter of the
///    strong ink), keeping the corrected ink of the components and of a fringe around them (the
///    anti-aliased edge) and nothing else;
/// 4. scale that box so its longer side is 20 pixels, keeping the aspect ratio, each new
///    pixel the area-weighted mean of the old pixels it covers (a box filter with
///    fractional coverage), then stretch so the strongest ink is 255;
/// 5. paste into 28×28 with an integer shift that puts the centre of mass of the
///    intensities nearest to pixel (14, 14).
public enum DigitNormalizer {
    /// The side of the output image.
    public static let side = 28
    /// The side of the box that the longer side of the ink is scaled to.
    public static let boxSide = 20
    /// Where the centre of mass goes, in pixel indices. Measured on MNIST's 60,000 training
    /// digits: the mean centre of mass is (14.01, 14.00) and 98 % lie within 14 ± 0.5, so
    /// MNIST shifted by whole pixels to put it nearest to pixel 14.
    public static let centre = 14.0
    /// Below this much ink (out of 255, after subtracting the background) an image is blank:
    /// an eighth of the scale is well above paper texture and scanner or JPEG noise, and a
    /// guess from fainter marks would be a confident answer about nothing. Page analysis
    /// keeps no blot that does not reach it (`PageAnalysis.seedThreshold`).
    public static let minimumInk = Float(InkThresholds.minimumSeed)
    /// How far around a component's pixels its fainter edge is kept, as a share of the box's
    /// longer side: a tenth is 2 of the 20 pixels the box becomes, the width of MNIST's own
    /// anti-aliased fringe, at whatever scale the picture is.
    public static let fringeShare = 0.1

    /// Reads a PNG or JPEG file (told by its first bytes; a big JPEG decoded at a reduced scale
    /// that keeps its shorter side at 1000 pixels or more) and normalises it; `path` names it
    /// in errors.
    public static func normalizeFile(_ path: String) throws(DataError) -> [UInt8] {
        try normalize(PictureFile.read(path, layout: .gray, minimumSide: 1000), source: path)
    }

    /// The 28×28 bytes (row by row, 0 background, 255 ink) of a grey image of a digit,
    /// in any polarity; `source` names the image in errors.
    ///
    /// Throws `DataError.noDigit` when page analysis finds no ink. A colour image is first made
    /// grey (alpha over white, Rec. 601 weights), as the decoder does for `.gray`.
    public static func normalize(_ image: Image, source: String) throws(DataError) -> [UInt8] {
        let analysis = PageAnalysis.analyze(image)
        guard !analysis.components.isEmpty else { throw .noDigit(source: source) }
        return normalize(analysis, components: Array(analysis.components.indices))
    }

    /// The 28×28 bytes of some of an analysis's components taken together as one digit (a
    /// piece of a number, for reading it digit by digit); all zero when `components` is empty.
    public static func normalize(_ analysis: PageAnalysis, components: [Int]) -> [UInt8] {
        let selected = components.filter { analysis.components.indices.contains($0) }
        guard let box = analysis.box(of: selected) else { return [UInt8](repeating: 0, count: side * side) }
        let fringe = max(2, Int((fringeShare * Double(max(box.width, box.height))).rounded()))
        let ink = analysis.ink(of: selected, in: box, fringe: fringe).map(Float.init)
        return mnistStyle(ink, width: box.width, height: box.height)
    }

    /// The 28×28 bytes of a cropped `width × height` picture of ink (bright on black, row by
    /// row) that the caller has cut out itself: one of several touching digits.
    public static func normalize(ink: [UInt8], width: Int, height: Int) -> [UInt8] {
        guard width > 0, height > 0, ink.count == width * height else { return [UInt8](repeating: 0, count: side * side) }
        return mnistStyle(ink.map(Float.init), width: width, height: height)
    }

    /// The 28×28 bytes of a clean picture whose ink is already bright on black (no paper, no
    /// noise), as the extra training samples are: the MNIST steps alone, without page analysis
    /// (cropped to the pixels with at least a quarter of the strongest ink, scaled into the
    /// 20-pixel box, placed by its centre of mass). Nil when the picture has no ink.
    ///
    /// Training samples go this way so that the built-in model does not change whenever the
    /// page analysis is tuned; on a clean picture the analysis finds the same ink.
    public static func normalizeClean(_ image: Image) -> [UInt8]? {
        let grey = image.converted(to: .gray)
        guard let strongest = grey.pixels.max(), Float(strongest) >= minimumInk else { return nil }
        let threshold = strongest / 4 + (strongest % 4 == 0 ? 0 : 1)
        var left = grey.width, right = -1, top = grey.height, bottom = -1
        for y in 0..<grey.height {
            for x in 0..<grey.width where grey[x, y] >= threshold {
                left = min(left, x); right = max(right, x)
                top = min(top, y); bottom = max(bottom, y)
            }
        }
        let width = right - left + 1, height = bottom - top + 1
        var ink = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { ink[y * width + x] = Float(grey[left + x, top + y]) }
        }
        return mnistStyle(ink, width: width, height: height)
    }

    /// Steps 4 and 5: a cropped `width × height` picture of ink (bright on black) scaled into
    /// the 20-pixel box, stretched to 255 and placed by its centre of mass.
    private static func mnistStyle(_ ink: [Float], width boxWidth: Int, height boxHeight: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: side * side)
        let scale = Double(boxSide) / Double(max(boxWidth, boxHeight))
        let scaledWidth = max(1, Int((Double(boxWidth) * scale).rounded()))
        let scaledHeight = max(1, Int((Double(boxHeight) * scale).rounded()))

        var scaled = resample(ink, stride: boxWidth, left: 0, top: 0, width: boxWidth, height: boxHeight,
                              toWidth: scaledWidth, toHeight: scaledHeight)
        let peak = scaled.max() ?? 0
        guard peak > 0 else { return output }
        for index in scaled.indices { scaled[index] *= 255 / peak }

        // Centre of mass, in pixel indices of the scaled image.
        var mass: Float = 0, sumX: Float = 0, sumY: Float = 0
        for y in 0..<scaledHeight {
            for x in 0..<scaledWidth {
                let value = scaled[y * scaledWidth + x]
                mass += value; sumX += value * Float(x); sumY += value * Float(y)
            }
        }
        let shiftX = Int((centre - Double(sumX / mass)).rounded())
        let shiftY = Int((centre - Double(sumY / mass)).rounded())

        // Ink that the shift moves past the edge is cut off, as in MNIST.
        for y in 0..<scaledHeight {
            let row = y + shiftY
            guard row >= 0 && row < side else { continue }
            for x in 0..<scaledWidth {
                let column = x + shiftX
                guard column >= 0 && column < side else { continue }
                output[row * side + column] = UInt8(min(255, scaled[y * scaledWidth + x].rounded()))
            }
        }
        return output
    }

    /// The network's inputs for normalised pixels: `x / 255`, as for the training data.
    public static func inputs(_ pixels: [UInt8]) -> [Float] {
        pixels.map { Float($0) / 255 }
    }

    /// Area-averaging resampling of a `width × height` window at (`left`, `top`) of `source`
    /// (rows of `stride` values) to `toWidth × toHeight`, one axis after the other.
    private static func resample(_ source: [Float], stride: Int, left: Int, top: Int, width: Int, height: Int,
                                 toWidth: Int, toHeight: Int) -> [Float] {
        let columnWeights = boxWeights(from: width, to: toWidth)
        let rowWeights = boxWeights(from: height, to: toHeight)
        var rows = [Float](repeating: 0, count: toWidth * height)
        for y in 0..<height {
            let sourceRow = (top + y) * stride + left
            for (x, weights) in columnWeights.enumerated() {
                rows[y * toWidth + x] = weights.reduce(0) { $0 + $1.weight * source[sourceRow + $1.index] }
            }
        }
        var output = [Float](repeating: 0, count: toWidth * toHeight)
        for (y, weights) in rowWeights.enumerated() {
            for x in 0..<toWidth {
                output[y * toWidth + x] = weights.reduce(0) { $0 + $1.weight * rows[$1.index * toWidth + x] }
            }
        }
        return output
    }

    /// For each of `count` output pixels along one axis, the input pixels it overlaps and
    /// the fraction of it each covers (they sum to 1). Output pixel `i` spans input
    /// `[i·r, (i+1)·r)` with `r = length / count`.
    private static func boxWeights(from length: Int, to count: Int) -> [[(index: Int, weight: Float)]] {
        let ratio = Double(length) / Double(count)
        return (0..<count).map { i in
            let start = Double(i) * ratio, end = Double(i + 1) * ratio
            var weights: [(index: Int, weight: Float)] = []
            var index = Int(start)
            while index < length && Double(index) < end {
                let overlap = min(end, Double(index + 1)) - max(start, Double(index))
                if overlap > 1e-9 { weights.append((index, Float(overlap / ratio))) }
                index += 1
            }
            return weights
        }
    }
}
