// The counts of each of the 256 grey levels of a picture, and its percentiles: what the
// polarity test and the ink thresholds read instead of sorting the pixels.

/// How many pixels have each value 0…255.
struct GreyHistogram {
    /// `counts[v]` pixels have the value `v`.
    private(set) var counts: [Int]
    /// The number of pixels counted.
    let total: Int

    /// Counts `pixels`. Four sub-histograms let runs of equal values (paper) avoid waiting on
    /// the previous increment of the same counter.
    init(_ pixels: UnsafeBufferPointer<UInt8>) {
        var partial = [Int](repeating: 0, count: 4 * 256)
        partial.withUnsafeMutableBufferPointer { counts in
            let count = pixels.count
            var index = 0
            while index + 4 <= count {
                counts[Int(pixels[index])] &+= 1
                counts[256 + Int(pixels[index + 1])] &+= 1
                counts[512 + Int(pixels[index + 2])] &+= 1
                counts[768 + Int(pixels[index + 3])] &+= 1
                index &+= 4
            }
            while index < count {
                counts[Int(pixels[index])] &+= 1
                index &+= 1
            }
        }
        counts = (0..<256).map { partial[$0] + partial[256 + $0] + partial[512 + $0] + partial[768 + $0] }
        total = pixels.count
    }

    init(_ pixels: [UInt8]) {
        self = pixels.withUnsafeBufferPointer { GreyHistogram($0) }
    }

    /// The smallest value `v` such that more than `fraction` of the pixels are `≤ v`
    /// (0 for an empty histogram).
    func percentile(_ fraction: Double) -> Int {
        let rank = Double(total) * fraction
        var below = 0
        for value in 0..<256 {
            below += counts[value]
            if Double(below) > rank { return value }
        }
        return 255
    }

    /// The largest value `v` such that more than `fraction` of the pixels are `≥ v`: the
    /// mirror of `percentile`, so that the two tails are measured alike.
    func upperPercentile(_ fraction: Double) -> Int {
        let rank = Double(total) * fraction
        var above = 0
        for value in stride(from: 255, through: 0, by: -1) {
            above += counts[value]
            if Double(above) > rank { return value }
        }
        return 0
    }

    /// How many pixels are `≥ value`.
    func count(atLeast value: Int) -> Int {
        value > 255 ? 0 : counts[max(0, value)...].reduce(0, +)
    }

    /// Among the pixels `≥ floor`, the smallest value `v` such that more than `fraction` of
    /// them are `≤ v`; nil when there are none.
    func percentile(_ fraction: Double, atLeast floor: Int) -> Int? {
        let floor = max(0, floor)
        guard floor <= 255 else { return nil }
        let selected = count(atLeast: floor)
        guard selected > 0 else { return nil }
        let rank = Double(selected) * fraction
        var below = 0
        for value in floor..<256 {
            below += counts[value]
            if Double(below) > rank { return value }
        }
        return 255
    }
}
