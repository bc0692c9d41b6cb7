// Segmentation by recognition: a glyph that may be several touching digits is cut between
// columns where the ink thins (the column profile's valleys, the edges of its strokes), every
// run of pieces between two cuts is scored by the classifier, and dynamic programming picks
// the path of cuts whose pieces the classifier believes most.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits touching digits by trying cuts and asking the classifier.
public enum RecognitionSplit {
    /// A piece is at least this share of the line's digit height wide (a printed 1 is about a
    /// tenth), and at most `maximumWidthShare` (a wide 0 or 5 is about as wide as tall, a wide
    /// handwritten 2 half as wide again).
    public static let minimumWidthShare = 0.12
    public static let maximumWidthShare = 1.5
    /// Each cut multiplies a path's probability by this: the split must be believed more than
    /// the whole, so a 0 does not become two confident 1s.
    public static let cutPenalty = 0.7
    /// A cut through ink costs more: `exp(−cutInkWeight · ink / height)`, the ink being the
    /// rows in which the cut has ink on both sides (`GlyphColumns.crossings`), so that a cut through a 5's bowl (three strokes) costs
    /// more than one through the join of two digits (one stroke).
    public static let cutInkWeight = 1.0
    /// A piece cut out of the glyph wider than this share of the digit height is less and
    /// less likely one digit: its log worth drops by `wideFalloff` per digit height beyond it.
    public static let wideShare = 0.8
    public static let wideFalloff = 3.0
    /// The uncut glyph falls off the same way beyond this share: a single digit wider than
    /// 1.3 of its height is rare, so a 161-px "52" no longer stays one confident 2, while a
    /// wide 0 or a flat 6 is not cut into two digit-like halves.
    public static let wholeWideShare = 1.3
    /// A piece the classifier calls no digit counts this much less again.
    public static let notDigitPenalty = 0.05

    /// The columns at which `glyph` may be cut, sorted, from its left edge to one past its
    /// right edge: the valleys of its column profile, the edges of its components and the
    /// even splits into as many digits as its width suggests.
    public static func candidateCuts(_ glyph: GlyphColumns, digitHeight: Int, componentEdges: [Int]) -> [Int] {
        let counts = glyph.counts, width = counts.count
        let height = Double(max(1, digitHeight))
        let margin = max(1, Int(minimumWidthShare * height))
        var cuts = [glyph.box.x, glyph.box.maxX]
        guard width > 2 * margin else { return cuts }
        let near = max(1, digitHeight / 10), wide = max(2, digitHeight / 3)
        var index = margin
        while index < width - margin {
            let value = counts[index]
            let local = counts[max(0, index - near)...min(width - 1, index + near)].min()!
            let around = counts[max(0, index - wide)...min(width - 1, index + wide)].max()!
            if value == local && Double(value) <= 0.6 * Double(around) {
                // A flat valley: its middle.
                var end = index
                while end + 1 < width - margin && counts[end + 1] == value { end += 1 }
                cuts.append(glyph.box.x + (index + end + 1) / 2)
                index = end + 1
            } else {
                index += 1
            }
        }
        cuts += componentEdges.filter { $0 > glyph.box.x + margin && $0 < glyph.box.maxX - margin }
        let estimate = max(1, Int((Double(width) / (0.6 * height)).rounded()))
        for parts in max(2, estimate - 1)...max(2, estimate + 1) {
            for part in 1..<parts { cuts.append(glyph.box.x + width * part / parts) }
        }
        // Cuts a few columns apart give the same pieces.
        let spacing = max(1, digitHeight / 20)
        var kept: [Int] = []
        for cut in cuts.sorted() where kept.last.map({ cut - $0 >= spacing }) ?? true { kept.append(cut) }
        if kept.last != glyph.box.maxX { kept[kept.count - 1] = glyph.box.maxX }
        return kept
    }

    /// The indices into `cuts` of the best path from the first cut to the last, both included.
    ///
    /// `score(i, j)` is the classifier's verdict on the piece from `cuts[i]` to `cuts[j]`, nil for
    /// a piece with no ink worth reading. A path's worth is the sum of its pieces' log
    /// confidences, `log notDigitPenalty` more for each piece that is no digit, and
    /// `log cutPenalty` and the cut's ink for each cut, and the width penalty for wide pieces
    /// (`wholeWideShare` for the uncut glyph); the whole glyph is always one candidate,
    /// whatever its width, so that a glyph has a reading even when no cut gives one.
    public static func bestPath(cuts: [Int], cutInk: [Int], digitHeight: Int, score: (Int, Int) -> PieceScore?) -> [Int] {
        let count = cuts.count
        guard count > 2 else { return [0, count - 1] }
        let height = Double(max(1, digitHeight))
        let minimum = minimumWidthShare * height, maximum = maximumWidthShare * height
        var best = [Double](repeating: -.infinity, count: count)
        var previous = [Int](repeating: -1, count: count)
        best[0] = 0
        for end in 1..<count {
            for start in 0..<end where best[start] > -.infinity {
                let width = Double(cuts[end] - cuts[start])
                let whole = start == 0 && end == count - 1
                guard whole || (width >= minimum && width <= maximum) else { continue }
                guard let piece = score(start, end) else { continue }
                var worth = best[start] + log(max(piece.confidence, 1e-9))
                if !piece.isDigit { worth += log(notDigitPenalty) }
                if start > 0 { worth += log(cutPenalty) - cutInkWeight * Double(cutInk[start]) / height }
                let wideFrom = whole ? wholeWideShare : wideShare
                if width > wideFrom * height { worth -= wideFalloff * (width / height - wideFrom) }
                if worth > best[end] {
                    best[end] = worth
                    previous[end] = start
                }
            }
        }
        guard best[count - 1] > -.infinity else { return [0, count - 1] }
        var path = [count - 1]
        while let last = path.last, last > 0 { path.append(previous[last]) }
        return path.reversed()
    }
}
