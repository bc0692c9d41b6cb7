// The ink of one piece cut out of touching digits: a cut leaves slivers of the neighbours'
// strokes at the piece's edges, blots of their own inside the cut; the piece keeps its main
// blots and drops the slivers, so the classifier sees one digit.

/// The cleaned ink of a piece of a glyph between two cuts.
public enum PieceInk {
    /// Blots inside the piece smaller than this share of its largest are slivers.
    public static let sliverShare = 0.25
    /// How far around the kept pixels their fainter anti-aliased edge is kept, in pixels.
    public static let fringe = 2

    /// The glyph's pixels in picture columns `columns`: the tight box of their main blots,
    /// those blots' pixel count, and their corrected ink there (row by row, with the paper
    /// pixels within `fringe` of them); nil without ink.
    public static func ink(_ analysis: PageAnalysis, glyph: GlyphColumns, columns: Range<Int>)
        -> (box: InkBox, pixelCount: Int, ink: [UInt8])? {
        let box = glyph.box
        let lowest = max(columns.lowerBound, box.x), highest = min(columns.upperBound, box.maxX)
        guard lowest < highest else { return nil }
        let width = highest - lowest, height = box.height
        var blot = [Int32](repeating: -1, count: width * height)
        for y in 0..<height {
            for x in 0..<width where glyph.ink[y * box.width + x + lowest - box.x] { blot[y * width + x] = 0 }
        }
        // 8-connected blots between the cuts, by flood fill.
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
        let kept = zip(sizes, keep).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        var minX = width, minY = height, maxX = -1, maxY = -1
        for index in blot.indices where blot[index] > 0 && keep[Int(blot[index]) - 1] {
            let x = index % width, y = index / width
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        let tight = InkBox(x: lowest + minX, y: box.y + minY, width: maxX - minX + 1, height: maxY - minY + 1)
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
        return (tight, kept, ink)
    }
}
