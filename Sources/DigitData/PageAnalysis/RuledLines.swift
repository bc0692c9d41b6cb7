// The lines of ruled or squared paper and a notebook's margin: long, thin and straight, they
// cross the page and often a digit, whose strokes must survive their removal.

/// Removes ruled lines from an ink mask, pixel by pixel, leaving the digits that cross them.
///
/// Horizontal lines first, then vertical ones on the transposed masks, the horizontal lines'
/// pixels already gone. A pixel is *thin* when its vertical run of ink is at most `t` pixels
/// (a line's thickness, `t = max(2, side/150)` for the picture's shorter side: 1–5 px on a page
/// photographed at 1000 px). Thin pixels form 8-connected *segments*; one at least
/// `max(3t, 12)` long and no taller than `t + 1 + length/8` (a tilt of up to 7°) is a piece
/// of line: short, because a margin line on ruled paper is cut every line spacing once the
/// ruled lines are removed, and a piece alone decides nothing. Where a digit's stroke crosses a line,
/// the column is thick, so the line breaks into pieces either side; pieces that continue one
/// another (the left end of one within `t + 1` rows, plus 2 % of the gap, of where the other
/// points) make one line. A line is ruled when it spans 95 % of the width, or 60 % and both
/// its ends are anchored: at the picture's border, or against thick ink (the page's edge,
/// the table beyond it). The bar of a 7 or a 4, however long and thin, has a free end.
///
/// Removal marks the line's own pixels and the thin pixels within `t/2 + 1` rows of its path
/// (piecewise straight through the pieces' ends, and on past the outermost ones to the
/// picture's edges): across the gaps where it passes through a digit, the line inside a 0's
/// loop goes, and the 0's strokes, thick in that direction, stay; beyond the page's edge or
/// a shadow, where the line is only dashes, the dashes go. A stroke drawn exactly along a
/// line and no thicker than it goes too: that is the limit of the method.
enum RuledLines {
    /// Pictures smaller than this have no room for ruled paper; an MNIST digit has strokes
    /// two pixels thin.
    static let minimumSide = 64
    /// The mask value of a removed line pixel.
    static let removed: UInt8 = 2

    /// The greatest thickness of a ruled line, in pixels.
    static func thickness(width: Int, height: Int) -> Int {
        max(2, (min(width, height) + 75) / 150)
    }

    /// Marks the ruled lines' pixels of `mask` (1 ink, 0 paper) with `removed`. The lines are
    /// looked for in a faint mask of `corrected` smoothed along the lines' direction
    /// (`faintMask`): a ruled line is often about as faint as the ink threshold, and in `mask`
    /// alone it would be dashes too short to tell from strokes.
    static func remove(from mask: inout [UInt8], corrected: [UInt8], width: Int, height: Int) {
        guard min(width, height) >= minimumSide else { return }
        let thickness = thickness(width: width, height: height)
        var faint = faintMask(corrected, width: width, height: height, alongRows: true)
        removeHorizontal(&mask, faint: &faint, width: width, height: height, thickness: thickness)
        // The vertical lines, in the transposed masks, without the horizontal lines' pixels.
        var faintDown = faintMask(corrected, width: width, height: height, alongRows: false)
        faintDown.withUnsafeMutableBufferPointer { down in
            faint.withUnsafeBufferPointer { across in
                var index = 0
                while index < down.count { down[index] = across[index] == removed ? removed : down[index]; index &+= 1 }
            }
        }
        var faintTransposed = transpose(faintDown, width: width, height: height)
        removeHorizontal(&mask, faint: &faintTransposed, width: height, height: width, thickness: thickness,
                         transposed: true)
    }

    /// 1 where `corrected`, averaged along its rows (or its columns) over `2·max(4, side/80) + 1`
    /// pixels, stands above its own noise: `median + 4 × (median − P16)`, and at least 16. The
    /// average keeps a line's strength and divides the noise by up to the square root of the
    /// length, so a line at the ink threshold comes out whole; a stroke across the line's
    /// direction is spread thin and faint.
    static func faintMask(_ corrected: [UInt8], width: Int, height: Int, alongRows: Bool) -> [UInt8] {
        var smoothed = [UInt8](repeating: 0, count: corrected.count)
        corrected.withUnsafeBufferPointer { source in
            smoothed.withUnsafeMutableBufferPointer { target in
                if alongRows {
                    smoothRows(source.baseAddress!, target.baseAddress!, width: width, height: height)
                } else {
                    smoothColumns(source.baseAddress!, target.baseAddress!, width: width, height: height)
                }
            }
        }
        let histogram = GreyHistogram(smoothed)
        let median = histogram.percentile(0.5)
        let threshold = UInt8(min(255, max(InkThresholds.minimumLow, median + 4 * (median - histogram.percentile(0.16)))))
        smoothed.withUnsafeMutableBufferPointer { values in
            let pointer = values.baseAddress!
            var index = 0
            while index < values.count { pointer[index] = pointer[index] >= threshold ? 1 : 0; index &+= 1 }
        }
        return smoothed
    }

    /// The mean over `[x − r, x + r]` of each row (clipped at the ends), `r = max(4, W/80)`.
    private static func smoothRows(_ source: UnsafePointer<UInt8>, _ target: UnsafeMutablePointer<UInt8>,
                                   width: Int, height: Int) {
        let radius = max(4, width / 80)
        guard width > 2 * radius + 1 else {
            for y in 0..<height { (target + y * width).update(from: source + y * width, count: width) }
            return
        }
        let full = 2 * radius + 1, reciprocal = (1 << 24) / full + 1
        for y in 0..<height {
            let row = source + y * width, out = target + y * width
            var sum = 0
            for x in 0..<radius { sum &+= Int(row[x]) }
            // The ends, where the window is clipped; then the middle, where it is whole.
            for x in 0...radius {
                sum &+= Int(row[x + radius])
                out[x] = UInt8(truncatingIfNeeded: sum / (x + radius + 1))
            }
            for x in (radius + 1)..<(width - radius) {
                sum = sum &+ Int(row[x + radius]) &- Int(row[x - radius - 1])
                out[x] = UInt8(truncatingIfNeeded: (sum &* reciprocal) >> 24)
            }
            for x in (width - radius)..<width {
                sum &-= Int(row[x - radius - 1])
                out[x] = UInt8(truncatingIfNeeded: sum / (width - x + radius))
            }
        }
    }

    /// The same down the columns, a whole row at a time: a running sum of rows.
    private static func smoothColumns(_ source: UnsafePointer<UInt8>, _ target: UnsafeMutablePointer<UInt8>,
                                      width: Int, height: Int) {
        let radius = max(4, height / 80)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: width)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: width)
        for y in 0..<min(height, radius) {
            let row = source + y * width
            for x in 0..<width { sums[x] &+= Int32(row[x]) }
        }
        for y in 0..<height {
            if y + radius < height {
                let row = source + (y + radius) * width
                for x in 0..<width { sums[x] &+= Int32(row[x]) }
            }
            if y > radius {
                let row = source + (y - radius - 1) * width
                for x in 0..<width { sums[x] &-= Int32(row[x]) }
            }
            let count = min(height - 1, y + radius) - max(0, y - radius) + 1
            let reciprocal = Int32((1 << 22) / count + 1)
            let out = target + y * width
            for x in 0..<width { out[x] = UInt8(truncatingIfNeeded: (sums[x] &* reciprocal) >> 22) }
        }
    }

    /// A piece of line: a segment of thin pixels, its ends and the rows it has there.
    private struct Piece {
        /// The segment it is, and the line it belongs to (a union–find link to another piece).
        var segment: Int
        var group: Int
        var minX: Int, maxX: Int
        var leftY: Double, rightY: Double

        /// The row where the piece's straight continuation crosses column `x`.
        func row(at x: Int) -> Double {
            let slope = maxX > minX ? (rightY - leftY) / Double(maxX - minX) : 0
            return x < minX ? leftY + slope * Double(x - minX) : rightY + slope * Double(x - maxX)
        }
    }

    /// The horizontal lines of `faint` (`width × height`) taken out of it and of `mask`; when
    /// `transposed`, `faint` is the transpose of `mask`'s picture (so its lines are vertical).
    private static func removeHorizontal(_ mask: inout [UInt8], faint: inout [UInt8], width: Int, height: Int,
                                         thickness: Int, transposed: Bool = false) {
        let run = verticalRuns(faint, width: width, height: height, cap: thickness + 1)
        let thin = thinPixels(run, thickness: thickness)
        let segments = thin.withUnsafeBufferPointer { InkRuns($0, width: width, height: height, ink: 1) }
        guard segments.componentCount > 0 else { return }

        // Each segment's box, then the rows at its two end columns.
        var boxes = [(minX: Int, maxX: Int, minY: Int, maxY: Int)](repeating: (Int.max, -1, Int.max, -1),
                                                                    count: segments.componentCount)
        for run in 0..<segments.count {
            let c = Int(segments.components[run]), y = Int(segments.rows[run])
            boxes[c].minX = min(boxes[c].minX, Int(segments.starts[run]))
            boxes[c].maxX = max(boxes[c].maxX, Int(segments.ends[run]) - 1)
            boxes[c].minY = min(boxes[c].minY, y)
            boxes[c].maxY = max(boxes[c].maxY, y)
        }
        let minimumLength = max(3 * thickness, 12)
        var pieceOf = [Int](repeating: -1, count: segments.componentCount)
        var pieces: [Piece] = []
        for (c, box) in boxes.enumerated() {
            let length = box.maxX - box.minX + 1
            guard length >= minimumLength, box.maxY - box.minY + 1 <= thickness + 1 + length / 8 else { continue }
            pieceOf[c] = pieces.count
            pieces.append(Piece(segment: c, group: pieces.count, minX: box.minX, maxX: box.maxX, leftY: 0, rightY: 0))
        }
        guard !pieces.isEmpty else { return }
        var ends = [(left: Int, right: Int)](repeating: (0, 0), count: pieces.count)
        var endRows = [(left: Int, right: Int)](repeating: (0, 0), count: pieces.count)
        for run in 0..<segments.count {
            let p = pieceOf[Int(segments.components[run])]
            guard p >= 0 else { continue }
            let y = Int(segments.rows[run])
            if Int(segments.starts[run]) == pieces[p].minX { ends[p].left += 1; endRows[p].left += y }
            if Int(segments.ends[run]) - 1 == pieces[p].maxX { ends[p].right += 1; endRows[p].right += y }
        }
        for p in pieces.indices {
            pieces[p].leftY = Double(endRows[p].left) / Double(ends[p].left)
            pieces[p].rightY = Double(endRows[p].right) / Double(ends[p].right)
        }

        // Pieces that continue one another make one line (at most the 256 longest are compared).
        pieces.sort { $0.minX < $1.minX }
        for p in pieces.indices { pieces[p].group = p }
        let compared = pieces.count <= 256 ? Array(pieces.indices)
            : Array(pieces.indices.sorted { pieces[$0].maxX - pieces[$0].minX > pieces[$1].maxX - pieces[$1].minX }.prefix(256)).sorted()
        for (i, a) in compared.enumerated() {
            for b in compared[(i + 1)...] where pieces[b].minX > pieces[a].maxX - thickness {
                let gap = Double(max(0, pieces[b].minX - pieces[a].maxX))
                let tolerance = Double(thickness + 1) + 0.02 * gap
                guard abs(pieces[a].row(at: pieces[b].minX) - pieces[b].leftY) <= tolerance,
                      abs(pieces[b].row(at: pieces[a].maxX) - pieces[a].rightY) <= tolerance else { continue }
                let ga = root(pieces, a), gb = root(pieces, b)
                pieces[max(ga, gb)].group = min(ga, gb)
            }
        }
        var lines: [Int: [Int]] = [:]
        for p in pieces.indices { lines[root(pieces, p), default: []].append(p) }

        // Which lines are ruled, and the removal of each.
        var removedSegments = [Bool](repeating: false, count: segments.componentCount)
        for members in lines.values {
            let first = pieces[members[0]]
            let last = pieces[members.max { pieces[$0].maxX < pieces[$1].maxX }!]
            let span = last.maxX - first.minX + 1
            let spansWidth = Double(span) >= 0.95 * Double(width)
            guard spansWidth || Double(span) >= 0.6 * Double(width) else { continue }
            if !spansWidth {
                let leftAnchored = anchored(run, width: width, height: height, x: first.minX, row: first.leftY,
                                            step: -1, thickness: thickness)
                let rightAnchored = anchored(run, width: width, height: height, x: last.maxX, row: last.rightY,
                                             step: 1, thickness: thickness)
                guard leftAnchored && rightAnchored else { continue }
            }
            for p in members { removedSegments[pieces[p].segment] = true }
            // Along the whole line, through the pieces, across the gaps between them and on past
            // its ends: thin pixels near its path, piecewise straight through the pieces' ends.
            let knots = members.flatMap { [(x: pieces[$0].minX, y: pieces[$0].leftY), (x: pieces[$0].maxX, y: pieces[$0].rightY)] }
                .sorted { $0.x < $1.x }
            let slope = (last.rightY - first.leftY) / Double(max(1, last.maxX - first.minX))
            let halfBand = thickness / 2 + 1
            var knot = 0
            for x in 0..<width {
                while knot + 1 < knots.count && knots[knot + 1].x <= x { knot += 1 }
                let y: Double
                if x < knots[0].x {
                    y = knots[0].y + slope * Double(x - knots[0].x)
                } else if knot + 1 >= knots.count {
                    y = knots[knots.count - 1].y + slope * Double(x - knots[knots.count - 1].x)
                } else {
                    let a = knots[knot], b = knots[knot + 1]
                    y = b.x > a.x ? a.y + (b.y - a.y) * Double(x - a.x) / Double(b.x - a.x) : a.y
                }
                let centre = Int(y.rounded())
                guard centre + halfBand >= 0 && centre - halfBand < height else { continue }
                for row in max(0, centre - halfBand)...min(height - 1, centre + halfBand) {
                    let index = row * width + x
                    if thin[index] == 1 || thinInMask(index) { erase(index) }
                }
            }
        }
        for r in 0..<segments.count where removedSegments[Int(segments.components[r])] {
            let rowStart = Int(segments.rows[r]) * width
            for x in Int(segments.starts[r])..<Int(segments.ends[r]) { erase(rowStart + x) }
        }

        /// The pixel of `mask` at `index` of `faint`.
        func pixel(_ index: Int) -> Int {
            transposed ? (index % width) * height + index / width : index
        }

        /// Takes a line pixel out of both masks (so the vertical pass sees no horizontal lines).
        func erase(_ index: Int) {
            faint[index] = removed
            let pixel = pixel(index)
            if mask[pixel] == 1 { mask[pixel] = removed }
        }

        /// Whether the pixel at `index` of `faint` is ink in `mask` with a run of at most
        /// `thickness` across the line: a dash of the line that `mask` has and `faint`, which
        /// is smoothed and so thicker, does not count as thin.
        func thinInMask(_ index: Int) -> Bool {
            let start = pixel(index)
            guard mask[start] == 1 else { return false }
            // Across a horizontal line is down the picture's columns; across a vertical one,
            // along its rows.
            let step = transposed ? 1 : width, across = index / width, extent = height
            var length = 1, offset = 1
            while length <= thickness && across - offset >= 0 && mask[start - offset * step] == 1 { length += 1; offset += 1 }
            offset = 1
            while length <= thickness && across + offset < extent && mask[start + offset * step] == 1 { length += 1; offset += 1 }
            return length <= thickness
        }
    }

    private static func root(_ pieces: [Piece], _ p: Int) -> Int {
        var node = p
        while pieces[node].group != node { node = pieces[node].group }
        return node
    }

    /// Whether the end of a line at column `x`, row `row`, going on in direction `step`, meets
    /// the border or thick ink (a pixel whose vertical run is over `thickness`) within
    /// `thickness + 2 + W/100` columns and `thickness` rows.
    private static func anchored(_ run: [UInt8], width: Int, height: Int, x: Int, row: Double, step: Int,
                                 thickness: Int) -> Bool {
        let reach = thickness + 2 + width / 100
        let y = Int(row.rounded())
        for distance in 1...reach {
            let column = x + step * distance
            guard column >= 0 && column < width else { return true }
            for r in max(0, y - thickness)...min(height - 1, y + thickness) where Int(run[r * width + column]) > thickness {
                return true
            }
        }
        return false
    }

    /// 1 where a pixel's vertical run of ink (from `verticalRuns`) is at most `thickness`.
    private static func thinPixels(_ run: [UInt8], thickness: Int) -> [UInt8] {
        var thin = run
        let limit = UInt8(thickness)
        thin.withUnsafeMutableBufferPointer { thin in
            let values = thin.baseAddress!
            // 1 ≤ length ≤ limit, as one unsigned comparison: length − 1 wraps to 255 for 0.
            // (Swift vectorises these select loops as `while` loops, not as `for … in 0..<n`.)
            var index = 0
            while index < thin.count { values[index] = values[index] &- 1 < limit ? 1 : 0; index &+= 1 }
        }
        return thin
    }

    /// For each ink pixel (mask 1), the length of the vertical run of ink it lies in, capped at
    /// `cap`; 0 elsewhere. A pass down (the length so far) and a pass up (the run's total),
    /// each a whole row at a time.
    private static func verticalRuns(_ mask: [UInt8], width: Int, height: Int, cap: Int) -> [UInt8] {
        var run = [UInt8](repeating: 0, count: width * height)
        let cap = UInt8(min(255, cap))
        mask.withUnsafeBufferPointer { mask in
            run.withUnsafeMutableBufferPointer { run in
                let m = mask.baseAddress!, r = run.baseAddress!
                var x = 0
                while x < width { r[x] = m[x] == 1 ? 1 : 0; x &+= 1 }
                for y in 1..<max(1, height) {
                    let row = r + y * width, above = row - width, ink = m + y * width
                    x = 0
                    while x < width { row[x] = ink[x] == 1 ? min(above[x] &+ 1, cap) : 0; x &+= 1 }
                }
                var y = height - 2
                while y >= 0 {
                    let row = r + y * width, below = row + width
                    let ink = m + y * width, inkBelow = ink + width
                    // Both 1 (the values are 0, 1 and `removed`, 2): the run goes on below.
                    x = 0
                    while x < width { row[x] = ink[x] & inkBelow[x] == 1 ? below[x] : row[x]; x &+= 1 }
                    y -= 1
                }
            }
        }
        return run
    }

    /// The `height × width` transpose of a `width × height` mask, in 32 × 32 tiles.
    static func transpose(_ mask: [UInt8], width: Int, height: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: mask.count)
        mask.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let tile = 32
                for tileY in stride(from: 0, to: height, by: tile) {
                    for tileX in stride(from: 0, to: width, by: tile) {
                        for y in tileY..<min(height, tileY + tile) {
                            for x in tileX..<min(width, tileX + tile) {
                                target[x * height + y] = source[y * width + x]
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
