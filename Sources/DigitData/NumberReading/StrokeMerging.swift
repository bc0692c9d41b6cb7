// The strokes of one digit that came apart (the bar of a 5, the cross of a 7, a 4 drawn in
// two strokes, a faint join that the threshold broke) lie in the same columns; neighbouring
// digits, however close, side by side.

/// Components of one line merged into glyphs by their overlap in columns.
public enum StrokeMerging {
    /// Two boxes belong to one glyph when their columns overlap by at least this share of the
    /// narrower one's width: a 5's bar sits wholly over its body, a slanted neighbour shares
    /// a few columns at most.
    public static let overlapShare = 0.5

    /// The components of a line (`boxes`, in any order) grouped into glyphs, left to right;
    /// each glyph's members in their given order.
    public static func glyphs(_ members: [Int], boxes: [InkBox]) -> [[Int]] {
        var glyphs: [(members: [Int], box: InkBox)] = []
        for index in members.sorted(by: { boxes[$0].x < boxes[$1].x }) {
            let box = boxes[index]
            if let match = glyphs.indices.last(where: { Self.overlaps(glyphs[$0].box, box) }) {
                glyphs[match].members.append(index)
                glyphs[match].box = glyphs[match].box.union(box)
                // A grown glyph may now reach the one before it.
                var current = match
                while current > 0, Self.overlaps(glyphs[current - 1].box, glyphs[current].box) {
                    glyphs[current - 1].members += glyphs[current].members
                    glyphs[current - 1].box = glyphs[current - 1].box.union(glyphs[current].box)
                    glyphs.remove(at: current)
                    current -= 1
                }
            } else {
                glyphs.append(([index], box))
            }
        }
        return glyphs.sorted { $0.box.x < $1.box.x }.map { $0.members.sorted() }
    }

    /// Whether `a` and `b` share enough columns to be one glyph.
    static func overlaps(_ a: InkBox, _ b: InkBox) -> Bool {
        let overlap = min(a.maxX, b.maxX) - max(a.x, b.x)
        return overlap > 0 && Double(overlap) >= overlapShare * Double(min(a.width, b.width))
    }
}
