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

    /// A stroke at most this share of a digit's height, above or below it within
    /// `fragmentGap` of its height and sharing its columns, is a part of it that came apart
    /// (a 5's bar, a 7's cross): it joins the digit before lines are found, since it may share
    /// no row with it.
    public static let fragmentShare = 0.6
    public static let fragmentGap = 0.3

    /// The components (`boxes`) in groups: each fragment with the digit it belongs to, every
    /// other component alone; in order of their first member.
    public static func fragmentsJoined(_ boxes: [InkBox]) -> [[Int]] {
        var owner = Array(boxes.indices)
        for small in boxes.indices {
            let box = boxes[small]
            let candidates = boxes.indices.filter { big in
                let other = boxes[big]
                guard big != small, Double(box.height) <= fragmentShare * Double(other.height),
                      overlaps(box, other) else { return false }
                let gap = max(other.y - box.maxY, box.y - other.maxY)
                return Double(gap) <= fragmentGap * Double(other.height)
            }
            if let big = candidates.max(by: { boxes[$0].height < boxes[$1].height }) { owner[small] = big }
        }
        // A fragment's owner is never itself a fragment of another (it is the taller).
        var groups: [Int: [Int]] = [:]
        for index in boxes.indices { groups[owner[index], default: []].append(index) }
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Whether `a` and `b` share enough columns to be one glyph.
    static func overlaps(_ a: InkBox, _ b: InkBox) -> Bool {
        let overlap = min(a.maxX, b.maxX) - max(a.x, b.x)
        return overlap > 0 && Double(overlap) >= overlapShare * Double(min(a.width, b.width))
    }
}
