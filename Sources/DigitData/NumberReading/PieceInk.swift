// The ink of one piece cut out of touching digits: a vertical cut leaves slivers of the
// neighbours' strokes at the piece's edges, blots of their own inside the cut; the piece keeps
// its main blots and drops the slivers, so the classifier sees one digit.

/// The cleaned ink of a piece of a glyph between two cuts.
public enum PieceInk {
    /// Blots inside the piece smaller than this share of its largest are slivers.
    public static let sliverShare = 0.25
    /// How far around the kept pixels their fainter anti-aliased edge is kept, in pixels.
    public static let fringe = 2

    /// The tight box of the main blots of `members`' pixels inside `box`, and their corrected
    /// ink there (row by row, with the paper pixels within `fringe` of them); nil without ink.
    public static func ink(_ analysis: PageAnalysis, members: [Int], box: InkBox) -> (box: InkBox, ink: [UInt8])? {
        var member = [Bool](repeating: false, count: analysis.components.count)
        for index in members { member[index] = true }
        let width = box.width, height = box.height
        var blot = [Int32](repeating: -1, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let label = analysis.labels[(box.y + y) * analysis.width + box.x + x]
                if label >= 0 && member[Int(label)] { blot[y * width + x] = 0 }
            }
        }
        // 8-connected blots inside the box, by flood fill.
        var sizes: [Int] = [], stack: [Int] = []
        for start in blot.indices where blot[start] == 0 {
            let id = Int32(sizes.count + 1)
            var size = 0
            blot[start] = id
            stack.append(start)
            while let index = stack.popLast() {
                size += 1
                let x = index % width, y = index / width
                for dy in -1...1 {
                    for dx in -1...1 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, nx < width, ny >= 0, ny < height, blot[ny * width + nx] == 0 else { continue }
                        blot[ny * width + nx] = id
                        stack.append(ny * width + nx)
                    }
                }
            }
            sizes.append(size)
        }
        guard let largest = sizes.max() else { return nil }
        let keep = sizes.map { Double($0) >= sliverShare * Double(largest) }
        var minX = width, minY = height, maxX = -1, maxY = -1
        for index in blot.indices where blot[index] > 0 && keep[Int(blot[index]) - 1] {
            let x = index % width, y = index / width
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        let tight = InkBox(x: box.x + minX, y: box.y + minY, width: maxX - minX + 1, height: maxY - minY + 1)
        var ink = [UInt8](repeating: 0, count: tight.width * tight.height)
        for y in 0..<tight.height {
            for x in 0..<tight.width {
                let bx = x + minX, by = y + minY
                let page = (tight.y + y) * analysis.width + tight.x + x
                let here = blot[by * width + bx]
                if here > 0 {
                    if keep[Int(here) - 1] { ink[y * tight.width + x] = analysis.corrected[page] }
                    continue
                }
                guard analysis.labels[page] == PageAnalysis.paper else { continue }
                var near = false
                for dy in -fringe...fringe where !near {
                    for dx in -fringe...fringe {
                        let nx = bx + dx, ny = by + dy
                        if nx >= 0, nx < width, ny >= 0, ny < height, blot[ny * width + nx] > 0,
                           keep[Int(blot[ny * width + nx]) - 1] { near = true; break }
                    }
                }
                if near { ink[y * tight.width + x] = analysis.corrected[page] }
            }
        }
        return (tight, ink)
    }
}
