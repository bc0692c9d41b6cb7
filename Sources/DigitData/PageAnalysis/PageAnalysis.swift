// Finding the ink of a digit in a real picture (a page photo, a scan, a drawing, MNIST
// itself) before the MNIST normalisation: the steps in order, and what they hand on.

import PNG

/// The ink found on a grey picture: its polarity, the background-corrected ink strength, the
/// mask of kept ink and its connected components.
///
/// `analyze` runs, on flat byte buffers, in about a dozen passes over the picture:
/// 1. *Polarity* (`Polarity`): dark ink on light paper, or light ink on a dark ground.
/// 2. *Background and correction* (`BackgroundCorrection`): the picture oriented so ink is
///    bright, its opening as the background (lighting gradient, shadow, tinted paper), and
///    ink strength = how far each pixel stands out from it, relative to the paper's brightness.
/// 3. *Thresholds* (`InkThresholds`): paper's residue (the pedestal) is subtracted, and the
///    mask is `strength ≥ low`, above the picture's own noise; once the blots are cleaned
///    (step 5), above a quarter of their strongest ink too, and they are cleaned again.
/// 4. *Ruled lines* (`RuledLines`): long thin straight lines are taken out of the mask, pixel
///    by pixel, leaving the strokes that cross them.
/// 5. *Components* (`InkRuns`, `ComponentCleaning`): 8-connected blots, measured, and kept
///    unless they are noise (never reach `seed`), the page's edge or a shadow at the border,
///    specks, or stray marks away from the digit.
/// 6. *Shadows* (`ShadowRecovery`): a blot dropped for lying along the border (a shadow band
///    narrower than the background's window, the table, a darkened corner) is measured again
///    against its own opening, so the digit inside it or touching it becomes a blot of its
///    own; the ruled lines that crossed it are taken out, and the blots are cleaned again
///    before step 3's raised threshold.
///
/// The digit of a one-digit picture is the union of the kept components (`inkBox`); a number's
/// digits are among `components`, each with its own pixels in `labels`.
public struct PageAnalysis: Sendable {
    public let width: Int
    public let height: Int
    /// True when the ink is lighter than its background (MNIST, chalk on a blackboard).
    public let isLightOnDark: Bool
    /// Background-corrected ink strength, `width × height` row by row: 0 paper … 255 ink, the
    /// anti-aliased edges of strokes kept as grey.
    public let corrected: [UInt8]
    /// For each pixel, the index in `components` of the kept blot it belongs to;
    /// `PageAnalysis.paper` where there is no ink, `PageAnalysis.rejected` where there was ink
    /// that the cleaning removed (noise, specks, ruled lines, the page's edge).
    public let labels: [Int32]
    /// The kept blots, left to right, then top to bottom.
    public let components: [InkComponent]
    /// A pixel of `corrected` at least this strong is ink (the mask's threshold).
    public let inkThreshold: Int
    /// A blot is kept only if its pixels reach this (see `ComponentCleaning`).
    public let seedThreshold: Int
    /// Corrected strength below this is the paper's noise (4 × its spread; 0 for a clean
    /// picture such as MNIST's).
    public let noiseFloor: Int

    /// The label of a pixel without ink.
    public static let paper: Int32 = -1
    /// The label of a pixel whose ink the cleaning removed.
    public static let rejected: Int32 = -2
    /// The mask value of the pixels of a blot the first cleaning dropped.
    private static let dropped: UInt8 = 3

    /// Whether each pixel is kept ink, row by row.
    public var mask: [Bool] { labels.map { $0 >= 0 } }

    /// The union of the boxes of all kept components; nil when there is no ink.
    public var inkBox: InkBox? { box(of: components.indices) }

    /// The union of the boxes of some components; nil for none.
    public func box(of selected: some Sequence<Int>) -> InkBox? {
        selected.reduce(nil) { union, index in union?.union(components[index].box) ?? components[index].box }
    }

    /// The corrected ink inside `box` (row by row, `box.width × box.height`) of the selected
    /// components' pixels, and of the pixels below the ink threshold but above the noise floor
    /// within `fringe` pixels (a square neighbourhood) of them, 0 elsewhere: the blots and the
    /// anti-aliased edge around them, without the other blots, specks, ruled lines and the
    /// paper's noise that share the box.
    public func ink(of selected: [Int], in box: InkBox, fringe: Int) -> [UInt8] {
        var member = [Bool](repeating: false, count: components.count)
        for index in selected where components.indices.contains(index) { member[index] = true }
        // Membership over the box grown by `fringe`, then dilated: rows first, then columns.
        let left = max(0, box.x - fringe), top = max(0, box.y - fringe)
        let right = min(width, box.maxX + fringe), bottom = min(height, box.maxY + fringe)
        let areaWidth = right - left, areaHeight = bottom - top
        guard areaWidth > 0, areaHeight > 0 else { return [] }
        var near = [UInt8](repeating: 0, count: areaWidth * areaHeight)
        for y in 0..<areaHeight {
            let row = (top + y) * width + left
            for x in 0..<areaWidth {
                let label = labels[row + x]
                if label >= 0 && member[Int(label)] { near[y * areaWidth + x] = 1 }
            }
        }
        near = MinMaxFilter.maximum(near, width: areaWidth, height: areaHeight, radius: fringe)
        var output = [UInt8](repeating: 0, count: box.width * box.height)
        for y in 0..<box.height {
            for x in 0..<box.width where near[(box.y + y - top) * areaWidth + box.x + x - left] != 0 {
                let index = (box.y + y) * width + box.x + x, label = labels[index]
                let value = corrected[index]
                if (label == Self.paper && Int(value) >= noiseFloor) || (label >= 0 && member[Int(label)]) {
                    output[y * box.width + x] = value
                }
            }
        }
        return output
    }

    /// The corrected picture as a grey image, ink white on black as the network sees it.
    public var correctedImage: Image {
        Image(width: width, height: height, layout: .gray, pixels: corrected)
    }

    /// The mask as a grey image: kept ink white, ink removed by the cleaning grey, paper black.
    public var maskImage: Image {
        Image(width: width, height: height, layout: .gray,
              pixels: labels.map { $0 >= 0 ? 255 : $0 == Self.rejected ? 96 : 0 })
    }

    /// Finds the ink of `image` (made grey first if it is in colour).
    public static func analyze(_ image: Image) -> PageAnalysis {
        let grey = image.converted(to: .gray)
        let width = grey.width, height = grey.height
        guard width > 0, height > 0 else {
            return PageAnalysis(width: width, height: height, isLightOnDark: false, corrected: [], labels: [],
                                components: [], inkThreshold: InkThresholds.minimumLow,
                                seedThreshold: InkThresholds.minimumSeed, noiseFloor: 0)
        }
        let count = width * height

        let histogram = GreyHistogram(grey.pixels)
        let lightOnDark = Polarity.isLightOnDark(grey.pixels, width: width, height: height)

        var oriented = grey.pixels
        if !lightOnDark {
            oriented.withUnsafeMutableBufferPointer { pixels in
                for index in pixels.indices { pixels[index] = 255 &- pixels[index] }
            }
        }
        let background = BackgroundCorrection.background(oriented, width: width, height: height)
        var corrected = BackgroundCorrection.inkStrength(oriented, background: background,
                                                         paperLevel: lightOnDark ? nil : histogram.percentile(0.5))

        let noise = InkThresholds(GreyHistogram(corrected))
        var mask = [UInt8](repeating: 0, count: count)
        let pedestal = UInt8(noise.pedestal), noiseLow = UInt8(noise.low)
        corrected.withUnsafeMutableBufferPointer { corrected in
            mask.withUnsafeMutableBufferPointer { mask in
                // A `while` loop: Swift vectorises these selects, not in a `for … in 0..<count`.
                var index = 0
                while index < count {
                    let value = corrected[index] > pedestal ? corrected[index] &- pedestal : 0
                    corrected[index] = value
                    mask[index] = value >= noiseLow ? 1 : 0
                    index &+= 1
                }
            }
        }

        RuledLines.remove(from: &mask, corrected: corrected, width: width, height: height)

        // The blots above the noise, cleaned; then, if a quarter of their strongest ink lifts
        // the threshold, their pixels above it, labelled and cleaned again.
        var runs = mask.withUnsafeBufferPointer { InkRuns($0, width: width, height: height, ink: 1) }
        var blots = corrected.withUnsafeBufferPointer {
            BlotStatistics.measure(runs, strength: $0, width: width, height: height, seed: noise.seed)
        }
        var kept = ComponentCleaning.keep(blots, width: width, height: height)

        // Ink dropped with a blot along the border (a shadow, the table, dust) measured against
        // the blot's own level, and the blots cleaned again.
        let speck = max(1, count / ComponentCleaning.speckPicture)
        let alongBorder = blots.indices.filter {
            blots[$0].pixelCount >= speck && ComponentCleaning.isInk(blots[$0]) && ComponentCleaning.liesAlongBorder(blots[$0])
        }
        let recovered = ShadowRecovery.recover(alongBorder, of: runs, blots: blots, corrected: &corrected, mask: &mask,
                                               width: width, height: height,
                                               radius: ShadowRecovery.radius(width: width, height: height),
                                               low: noise.low, divide: !lightOnDark)
        if let recovered {
            // The ruled lines that crossed the shadow were part of it; now they are lines again.
            RuledLines.remove(from: &mask, corrected: corrected, width: width, height: height)
            runs = mask.withUnsafeBufferPointer { InkRuns($0, width: width, height: height, ink: 1) }
            blots = corrected.withUnsafeBufferPointer {
                BlotStatistics.measure(runs, strength: $0, width: width, height: height, seed: noise.seed)
            }
            ShadowRecovery.mark(&blots, of: runs, recovered: recovered, width: width)
            kept = ComponentCleaning.keep(blots, width: width, height: height)
        }
        let strongest = blots.indices.filter { kept[$0] }.map { Int(blots[$0].peak) }.max() ?? 0
        let thresholds = noise.raised(toStrongInk: strongest)
        if thresholds.low > noise.low {
            let low = UInt8(thresholds.low)
            for run in 0..<runs.count {
                let keep = kept[Int(runs.components[run])], row = Int(runs.rows[run]) * width
                for x in Int(runs.starts[run])..<Int(runs.ends[run]) {
                    mask[row + x] = keep ? (corrected[row + x] >= low ? 1 : 0) : dropped
                }
            }
            runs = mask.withUnsafeBufferPointer { InkRuns($0, width: width, height: height, ink: 1) }
            blots = corrected.withUnsafeBufferPointer {
                BlotStatistics.measure(runs, strength: $0, width: width, height: height, seed: thresholds.seed)
            }
            if let recovered { ShadowRecovery.mark(&blots, of: runs, recovered: recovered, width: width) }
            kept = ComponentCleaning.keep(blots, width: width, height: height)
        }

        // Kept blots in reading order; their index is their label.
        let order = blots.indices.filter { kept[$0] }.sorted {
            (blots[$0].minX, blots[$0].minY) < (blots[$1].minX, blots[$1].minY)
        }
        var labelOf = [Int32](repeating: rejected, count: blots.count)
        var components: [InkComponent] = []
        for (label, index) in order.enumerated() {
            let blot = blots[index]
            labelOf[index] = Int32(label)
            let mass = Double(max(1, blot.inkSum))
            components.append(InkComponent(label: label, box: blot.box, pixelCount: blot.pixelCount,
                                           inkSum: blot.inkSum, peak: blot.peak,
                                           centroid: InkPoint(x: Double(blot.weightedX) / mass,
                                                              y: Double(blot.weightedY) / mass)))
        }
        var labels = [Int32](repeating: paper, count: count)
        labels.withUnsafeMutableBufferPointer { labels in
            mask.withUnsafeBufferPointer { mask in
                for index in 0..<count where mask[index] == RuledLines.removed || mask[index] == dropped {
                    labels[index] = rejected
                }
            }
            for run in 0..<runs.count {
                let label = labelOf[Int(runs.components[run])]
                let row = Int(runs.rows[run]) * width
                for x in Int(runs.starts[run])..<Int(runs.ends[run]) { labels[row + x] = label }
            }
        }
        return PageAnalysis(width: width, height: height, isLightOnDark: lightOnDark, corrected: corrected,
                            labels: labels, components: components, inkThreshold: thresholds.low,
                            seedThreshold: thresholds.seed, noiseFloor: thresholds.noise)
    }
}
