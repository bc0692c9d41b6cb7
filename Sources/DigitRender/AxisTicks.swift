// Round tick values for a chart axis.

/// Evenly spaced round values covering a range, 1, 2 or 5 times a power of ten apart, and the
/// range widened to the outer ticks so the data never touches a frame between two ticks.
struct AxisTicks: Equatable {
    let low: Double
    let high: Double
    let step: Double
    /// Decimal places that show every tick exactly (0 for a step of 5, 2 for 0.05).
    let decimals: Int

    /// About `targetCount` intervals covering `minimum…maximum`; an empty range is widened
    /// around its value first.
    init(covering minimum: Double, _ maximum: Double, targetCount: Int = 5) {
        var minimum = minimum, maximum = maximum
        if !(minimum.isFinite && maximum.isFinite) || minimum > maximum {
            (minimum, maximum) = (0, 1)
        }
        if minimum == maximum {
            let spread = minimum == 0 ? 1 : abs(minimum) / 10
            (minimum, maximum) = (minimum - spread, maximum + spread)
        }
        let (step, decimals) = Self.niceStep(near: (maximum - minimum) / Double(max(targetCount, 1)))
        self.step = step
        self.decimals = decimals
        low = (minimum / step).rounded(.down) * step
        high = (maximum / step).rounded(.up) * step
    }

    /// The tick values from `low` to `high`.
    var values: [Double] {
        let count = Int(((high - low) / step).rounded()) + 1
        return (0..<count).map { low + Double($0) * step }
    }

    /// The smallest of 1, 2, 5 × 10ᵏ not much below `rough` (within a factor 1.5), and its
    /// decimal places.
    static func niceStep(near rough: Double) -> (step: Double, decimals: Int) {
        var magnitude = 1.0, decimals = 0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough {
            magnitude /= 10
            decimals += 1
        }
        let residual = rough / magnitude
        let factor: Double = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10
        if factor == 10 {
            magnitude *= 10
            decimals = max(decimals - 1, 0)
        }
        return (magnitude * (factor == 10 ? 1 : factor), decimals)
    }
}
