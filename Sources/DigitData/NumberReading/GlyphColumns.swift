// The pixels of a glyph in its box, and its column ink profile: how many of its pixels each
// column holds, where a cut between touching digits may go.

/// A glyph's pixels in its box and their count in each column.
public struct GlyphColumns: Sendable {
    /// The glyph's box in the picture.
    public let box: InkBox
    /// Whether each pixel of `box` (row by row) belongs to the glyph.
    public let ink: [Bool]
    /// Pixels of the glyph in each column of `box` (index 0 is column `box.x`).
    public let counts: [Int]
    /// All its pixels.
    public var pixelCount: Int { counts.reduce(0, +) }

    /// The pixels of the `components` of `analysis` inside `box`.
    public init(_ analysis: PageAnalysis, components: [Int], box: InkBox) {
        var member = [Bool](repeating: false, count: analysis.components.count)
        for index in components { member[index] = true }
        var ink = [Bool](repeating: false, count: box.width * box.height)
        var counts = [Int](repeating: 0, count: box.width)
        analysis.labels.withUnsafeBufferPointer { labels in
            for y in box.y..<box.maxY {
                let row = y * analysis.width
                for x in 0..<box.width {
                    let label = labels[row + box.x + x]
                    guard label >= 0, member[Int(label)] else { continue }
                    ink[(y - box.y) * box.width + x] = true
                    counts[x] += 1
                }
            }
        }
        self.box = box
        self.ink = ink
        self.counts = counts
    }

    /// In how many rows a cut at picture column `column` (between `column − 1` and `column`)
    /// has the glyph's ink on both sides: the strokes it cuts through, each about its width.
    public func crossings(at column: Int) -> Int {
        let x = column - box.x
        guard x > 0, x < box.width else { return 0 }
        return (0..<box.height).reduce(0) { $0 + (ink[$1 * box.width + x - 1] && ink[$1 * box.width + x] ? 1 : 0) }
    }
}
