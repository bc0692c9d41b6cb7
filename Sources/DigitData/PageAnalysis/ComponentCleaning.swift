// Which blots of the ink mask are a digit's strokes, and which are noise, dust, the page's
// edge, the table beyond it, a shadow, or a stray mark.

/// The measurements of one 8-connected blot that the cleaning rules read.
struct BlotStatistics {
    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    var pixelCount = 0
    /// Σ strength, Σ strength·x, Σ strength·y.
    var inkSum = 0, weightedX = 0, weightedY = 0
    var peak: UInt8 = 0
    /// Its pixels at least as strong as the seed threshold whose left or upper neighbour is too.
    var seedPairs = 0
    /// Its pixels in the outermost ring of the picture.
    var borderContact = 0
    /// Whether it was found inside a blot along the border, against that blot's own level
    /// (`ShadowRecovery`).
    var recovered = false

    var box: InkBox { InkBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1) }

    /// The statistics of each component of `runs` over `strength` (the corrected picture).
    static func measure(_ runs: InkRuns, strength: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                        seed: Int) -> [BlotStatistics] {
        var blots = [BlotStatistics](repeating: BlotStatistics(), count: runs.componentCount)
        let seed = UInt8(min(255, seed))
        for run in 0..<runs.count {
            let y = Int(runs.rows[run]), start = Int(runs.starts[run]), end = Int(runs.ends[run])
            var sum = 0, sumX = 0, peak: UInt8 = 0, pairs = 0
            let row = strength.baseAddress! + y * width
            let above = y > 0 ? row - width : row
            for x in start..<end {
                let value = row[x]
                sum += Int(value); sumX += Int(value) * x
                peak = max(peak, value)
                if value >= seed && ((x > start && row[x - 1] >= seed) || (y > 0 && above[x] >= seed)) { pairs += 1 }
            }
            let component = Int(runs.components[run])
            blots[component].minX = min(blots[component].minX, start)
            blots[component].maxX = max(blots[component].maxX, end - 1)
            blots[component].minY = min(blots[component].minY, y)
            blots[component].maxY = max(blots[component].maxY, y)
            blots[component].pixelCount += end - start
            blots[component].inkSum += sum
            blots[component].weightedX += sumX
            blots[component].weightedY += sum * y
            blots[component].peak = max(blots[component].peak, peak)
            blots[component].seedPairs += pairs
            var contact = (y == 0 || y == height - 1) ? end - start : 0
            if start == 0 { contact += 1 }
            if end == width { contact += 1 }
            blots[component].borderContact += contact
        }
        return blots
    }
}

/// Decides which blots to keep. The rules, in order, for a `W × H` picture:
///
/// 1. *Noise*: a blot is ink only if its pixels reach the seed threshold in pairs (a pixel
///    and its left or upper neighbour), and at least 2 % of its pixels are such pairs
///    (hysteresis; see `InkThresholds`). Noise reaches the seed in scattered single pixels:
///    a broad faint blot of noisy shading (the part of a shadow the background missed) has
///    a few in a thousand pairs, a stroke, however faint, has its core.
/// 2. *Page edge, table, shadow*: a blot that lies along the picture's border, with at least
///    a fifth of its box's half-perimeter (`width + height`) in the outermost ring of pixels,
///    is the page's edge, the table beyond it, a shadow or a finger coming in from the side.
///    A digit cut tightly touches the border only with the ends of its strokes (a stroke's
///    width a contact), far below a fifth, however big its box (an MNIST digit's box is half
///    its picture). What `ShadowRecovery` finds inside such a blot is kept only if it does not
///    touch the border at all: a digit in a shadow lies within the page, while the shadow's
///    rim, the table's grain at the frame and the page's own shadow along its edge, which
///    runs from one side of the picture to another, reach it.
/// 3. *Specks*: dust, JPEG noise and a ruled line's leftovers are small against the digit:
///    under 4 % of the largest remaining blot's pixels, or under one pixel in 50,000 of the
///    picture, or no longer (its box's longer side) than a 40th of the picture's shorter
///    side, which is a dot, not a digit or a stroke of one (19 px at 750). A piece of a
///    broken digit (a 5's flag, a 4 drawn in two strokes) is a sizeable part of it.
/// 4. *Stray marks*: a blot under 15 % of the largest is kept only if it lies near one of
///    the major blots (within half the largest's longer side of its box), where the pieces
///    of a broken digit are; further off it is a mark beside the digit, and it would stretch
///    the digit's box. Major blots (the digits of a number) are all kept.
enum ComponentCleaning {
    static let seedPairShare = 0.02
    static let borderContactShare = 0.2
    static let speckShare = 0.04
    static let speckPicture = 50_000
    static let speckSide = 40
    static let majorShare = 0.15
    static let nearShare = 0.5

    /// Whether to keep each blot.
    static func keep(_ blots: [BlotStatistics], width: Int, height: Int) -> [Bool] {
        var kept = blots.map { isInk($0) && !liesAlongBorder($0) && !($0.recovered && $0.borderContact > 0) }
        let largest = zip(blots, kept).filter(\.1).map(\.0.pixelCount).max() ?? 0
        guard largest > 0 else { return kept }
        let speck = max(Double(largest) * speckShare, Double(width * height) / Double(speckPicture))
        let shortest = max(2, min(width, height) / speckSide)
        for index in blots.indices where kept[index] {
            let box = blots[index].box
            if Double(blots[index].pixelCount) < speck || max(box.width, box.height) < shortest { kept[index] = false }
        }
        let majors = blots.indices.filter { kept[$0] && Double(blots[$0].pixelCount) >= majorShare * Double(largest) }
        guard let biggest = majors.max(by: { blots[$0].pixelCount < blots[$1].pixelCount }) else { return kept }
        let reach = Int(nearShare * Double(max(blots[biggest].box.width, blots[biggest].box.height)))
        for index in blots.indices where kept[index] && Double(blots[index].pixelCount) < majorShare * Double(largest) {
            let box = blots[index].box
            kept[index] = majors.contains { major in gap(box, blots[major].box) <= reach }
        }
        return kept
    }

    /// Rule 1: whether the blot's pixels reach the seed in pairs, often enough to be ink.
    static func isInk(_ blot: BlotStatistics) -> Bool {
        blot.seedPairs >= 1 && Double(blot.seedPairs) >= seedPairShare * Double(blot.pixelCount)
    }

    /// Rule 2: whether the blot lies along the picture's border (the page's edge, the table, a
    /// shadow).
    static func liesAlongBorder(_ blot: BlotStatistics) -> Bool {
        let box = blot.box
        return Double(blot.borderContact) >= borderContactShare * Double(box.width + box.height)
    }

    /// The Chebyshev distance between two boxes (0 when they overlap or touch).
    static func gap(_ a: InkBox, _ b: InkBox) -> Int {
        let dx = max(0, max(a.x, b.x) - min(a.maxX, b.maxX))
        let dy = max(0, max(a.y, b.y) - min(a.maxY, b.maxY))
        return max(dx, dy)
    }
}
