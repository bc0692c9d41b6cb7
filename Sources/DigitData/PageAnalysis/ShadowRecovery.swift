// The ink inside a blot that the cleaning would drop whole as the page's edge, the table or a
// shadow: measured against the blot's own level rather than the page's.

/// Takes the digit back out of a blot that lies along the border.
///
/// The background's window is a third of the picture's side (`BackgroundCorrection`), so a
/// shadow band narrower than that, the dark table beyond the page's edge, a corner that the
/// vignette darkens, or chalk dust wiped along a board's edge is not background: it stays in
/// the corrected picture as a broad plateau of faint "ink". The cleaning drops such a blot for
/// lying along the border (`ComponentCleaning`, rule 2), and a digit written across the shadow,
/// or only touching it, is one blot with it and goes too.
///
/// Inside such a blot the plateau is the background: the blot's own opening, with a window a
/// sixth of the picture's side (half the page's; see `radius`), follows it, its soft edges and
/// its gradient, and lets through each stroke narrower than the window. What stands out from
/// that local level `L` by at least a quarter of the most that anything in the blot does (the
/// rule the page's kept ink follows, `InkThresholds.raised`) and by `low` is kept; the rest of
/// the blot becomes paper. The quarter drops what the opening leaves of a vignette's corner or
/// a shadow's rim, a few levels, beside a stroke of a hundred. The test is on the plain
/// difference `c − L`; for dark ink on light paper the strength kept is then divided as the
/// page's is (a shadow that keeps a share `1 − L/255` of the light dims the ink under it the
/// same way):
///
///     strength' = (c − L) / (1 − L/255)
///
/// the divisor held at a half or more; light ink on a dark ground keeps `c − L`. Deciding on
/// the difference keeps the table's grain, where little light is left, from being amplified
/// into ink (on the corpus, deciding on the divided strength lost more digits on desks than
/// it found in shadows).
/// The blots that come out are cleaned by the same rules as any other: what is left of the
/// shadow's rim at the border is dropped again, noise never reaches the seed in pairs, and
/// the digit, now a blot of its own, is kept.
enum ShadowRecovery {
    /// The local window's radius against the page's. (Measuring again what is still along
    /// the border with a quarter found more of the table's grain than digits.)
    static let radiusShare = 0.5
    /// The least share of the light under a shadow that the strength is divided by.
    static let leastLight = 0.5

    /// The radius of the local opening for a `width × height` picture.
    static func radius(width: Int, height: Int) -> Int {
        max(2, Int(radiusShare * Double(BackgroundCorrection.radius(width: width, height: height))))
    }

    /// Re-measures the pixels of the blots `selected` (components of `runs`) against their own
    /// opening of `radius`: in `corrected` their strength becomes the local one, in `mask` a
    /// pixel stays 1 where it stands out enough (`low`, and a quarter of the blot's most), and
    /// becomes paper (0) elsewhere. `divide` for dark ink on light paper. Returns the pixels
    /// still ink (1, the rest 0), or nil when there are none.
    static func recover(_ selected: [Int], of runs: InkRuns, blots: [BlotStatistics],
                        corrected: inout [UInt8], mask: inout [UInt8], width: Int, height: Int,
                        radius: Int, low: Int, divide: Bool) -> [UInt8]? {
        guard !selected.isEmpty else { return nil }
        var member = [Bool](repeating: false, count: blots.count)
        for index in selected { member[index] = true }
        // The runs of each selected blot, so each is read and written in one sweep of its own.
        var runsOf = [[Int]](repeating: [], count: blots.count)
        for run in 0..<runs.count where member[Int(runs.components[run])] {
            runsOf[Int(runs.components[run])].append(run)
        }
        // divisor[L] = 255 − L held at `leastLight` of the scale, in 16.16 fixed point.
        let leastDivisor = Int(leastLight * 255)
        let scale = (0..<256).map { level in divide ? (255 << 16) / max(255 - level, leastDivisor) : 1 << 16 }
        var recovered = [UInt8](repeating: 0, count: width * height)
        var anyInk = false
        for index in selected {
            // The blot alone (other ink and paper 0) in its box grown by the radius: beyond the
            // blot is paper, so the opening's window may reach into it.
            let box = blots[index].box
            let left = max(0, box.x - radius), top = max(0, box.y - radius)
            let right = min(width, box.maxX + 1 + radius), bottom = min(height, box.maxY + 1 + radius)
            let areaWidth = right - left, areaHeight = bottom - top
            var area = [UInt8](repeating: 0, count: areaWidth * areaHeight)
            for run in runsOf[index] {
                let y = Int(runs.rows[run]), row = y * width, areaRow = (y - top) * areaWidth - left
                for x in Int(runs.starts[run])..<Int(runs.ends[run]) { area[areaRow + x] = corrected[row + x] }
            }
            let eroded = MinMaxFilter.minimum(area, width: areaWidth, height: areaHeight, radius: radius)
            let level = MinMaxFilter.maximum(eroded, width: areaWidth, height: areaHeight, radius: radius)
            var peak = 0
            for run in runsOf[index] {
                let y = Int(runs.rows[run]), row = y * width, areaRow = (y - top) * areaWidth - left
                for x in Int(runs.starts[run])..<Int(runs.ends[run]) {
                    let difference = max(0, Int(corrected[row + x]) - Int(level[areaRow + x]))
                    area[areaRow + x] = UInt8(difference)
                    peak = max(peak, difference)
                    corrected[row + x] = UInt8(min(255, (difference * scale[Int(level[areaRow + x])] + 32768) >> 16))
                }
            }
            // A quarter of the strongest, as for the page's kept ink; the difference, in `area`.
            let threshold = UInt8(min(255, max(low, (peak + 3) / 4)))
            for run in runsOf[index] {
                let y = Int(runs.rows[run]), row = y * width, areaRow = (y - top) * areaWidth - left
                for x in Int(runs.starts[run])..<Int(runs.ends[run]) {
                    let ink = area[areaRow + x] >= threshold
                    mask[row + x] = ink ? 1 : 0
                    recovered[row + x] = ink ? 1 : 0
                    anyInk = anyInk || ink
                }
            }
        }
        return anyInk ? recovered : nil
    }

    /// Marks the blots of `runs` whose pixels are `recovered`. A recovered blot is all
    /// recovered: it is a piece of a blot along the border, and every other blot is apart.
    static func mark(_ blots: inout [BlotStatistics], of runs: InkRuns, recovered: [UInt8], width: Int) {
        for run in 0..<runs.count where recovered[Int(runs.rows[run]) * width + Int(runs.starts[run])] == 1 {
            blots[Int(runs.components[run])].recovered = true
        }
    }
}
