// Lines of writing on a page: components that share rows belong to one line, read left to
// right; lines are read top to bottom.

/// Groups components into lines of text.
public enum InkLines {
    /// Two components are on one line when their rows overlap by at least this share of the
    /// shorter one's height: a dash or the bar of a 5 lies wholly inside its digits' rows, a
    /// digit of the next line at most grazes them.
    public static let overlapShare = 0.5

    /// The indices of `boxes` in lines: each line left to right, the lines top to bottom.
    public static func lines(of boxes: [InkBox]) -> [[Int]] {
        var parent = Array(boxes.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        // Sorted by top row, a box can only overlap boxes that start before it ends.
        let byTop = boxes.indices.sorted { boxes[$0].y < boxes[$1].y }
        for (position, a) in byTop.enumerated() {
            for b in byTop[(position + 1)...] {
                guard boxes[b].y < boxes[a].maxY else { break }
                let overlap = min(boxes[a].maxY, boxes[b].maxY) - max(boxes[a].y, boxes[b].y)
                if Double(overlap) >= overlapShare * Double(min(boxes[a].height, boxes[b].height)) {
                    parent[root(a)] = root(b)
                }
            }
        }
        var members: [Int: [Int]] = [:]
        for index in boxes.indices { members[root(index), default: []].append(index) }
        let lines = members.values.map { line in
            line.sorted { (boxes[$0].x, boxes[$0].y) < (boxes[$1].x, boxes[$1].y) }
        }
        return lines.sorted { first, second in
            let top = { (line: [Int]) in line.map { boxes[$0].y }.min() ?? 0 }
            return top(first) < top(second)
        }
    }
}
