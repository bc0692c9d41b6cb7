// The column ink profile of a glyph: how many of its pixels each column holds, and the rows
// they span, so a cut between columns gives each side its own tight box.

/// Per column of a glyph's box: its member pixels' count and their top and bottom rows.
public struct GlyphColumns: Sendable {
    /// The glyph's box in the picture.
    public let box: InkBox
    /// Pixels of the glyph in each column of `box` (index 0 is column `box.x`).
    public let counts: [Int]
    let tops: [Int]
    let bottoms: [Int]

    /// The profile of the `components` of `analysis` inside `box`.
    public init(_ analysis: PageAnalysis, components: [Int], box: InkBox) {
        var member = [Bool](repeating: false, count: analysis.components.count)
        for index in components { member[index] = true }
        var counts = [Int](repeating: 0, count: box.width)
        var tops = [Int](repeating: Int.max, count: box.width)
        var bottoms = [Int](repeating: -1, count: box.width)
        analysis.labels.withUnsafeBufferPointer { labels in
            for y in box.y..<box.maxY {
                let row = y * analysis.width
                for x in 0..<box.width {
                    let label = labels[row + box.x + x]
                    guard label >= 0, member[Int(label)] else { continue }
                    counts[x] += 1
                    tops[x] = min(tops[x], y)
                    bottoms[x] = max(bottoms[x], y)
                }
            }
        }
        self.box = box
        self.counts = counts
        self.tops = tops
        self.bottoms = bottoms
    }

    /// The tight box of the glyph's pixels in picture columns `columns`; nil when they hold none.
    public func box(columns: Range<Int>) -> InkBox? {
        let range = max(columns.lowerBound, box.x) - box.x ..< min(columns.upperBound, box.maxX) - box.x
        guard let first = range.first(where: { counts[$0] > 0 }),
              let last = range.last(where: { counts[$0] > 0 }) else { return nil }
        let top = tops[first...last].min()!, bottom = bottoms[first...last].max()!
        return InkBox(x: box.x + first, y: top, width: last - first + 1, height: bottom - top + 1)
    }

    /// How many of the glyph's pixels lie in picture columns `columns`.
    public func pixelCount(columns: Range<Int>) -> Int {
        let lower = max(columns.lowerBound, box.x) - box.x, upper = min(columns.upperBound, box.maxX) - box.x
        return lower < upper ? counts[lower..<upper].reduce(0, +) : 0
    }
}
