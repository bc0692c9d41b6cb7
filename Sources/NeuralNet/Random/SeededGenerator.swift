// The one source of randomness: weight initialisation, shuffling and (later) dropout all
// draw from a `SeededGenerator`, so the same seed and settings give the same model, bit for bit.

import Foundation

/// A seeded pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), its 256-bit
/// state filled from the seed by SplitMix64, as the authors recommend.
///
/// The sequence depends only on the seed and the stream, never on the platform or the
/// standard library, and so do the helpers below: uniform `Float`s from the top 24 bits,
/// normal values by Box–Muller, integers by rejection, and shuffling by Fisher–Yates.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator for `seed`. Different `stream` values give independent sequences from
    /// one seed (the trainer uses stream 0 for weights and stream 1 for shuffling).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var splitMix = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        s0 = splitMix.next()
        s1 = splitMix.next()
        s2 = splitMix.next()
        s3 = splitMix.next()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform `Float` in [0, 1): the top 24 bits, so every value is exactly representable.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Float` in [`lower`, `upper`).
    public mutating func nextUniform(from lower: Float, to upper: Float) -> Float {
        lower + (upper - lower) * nextUniform()
    }

    /// A normal value with the given mean and standard deviation, by Box–Muller:
    /// `√(−2 ln u₁) · cos(2π u₂)` for `u₁` in (0, 1] and `u₂` in [0, 1). The sine partner is
    /// not kept, so each call consumes exactly two draws.
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = 1 - Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let z = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        return mean + standardDeviation * Float(z)
    }

    /// A uniform integer in `0..<bound`, without modulo bias (draws below 2⁶⁴ mod `bound` are rejected).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let bound = UInt64(bound)
        let threshold = (0 &- bound) % bound
        while true {
            let draw = next()
            if draw >= threshold { return Int(draw % bound) }
        }
    }

    /// Shuffles `elements` in place by Fisher–Yates: for i from the last index down to 1,
    /// swap element i with a uniformly chosen element in 0...i.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextInt(below: i + 1))
        }
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): used only to spread a 64-bit seed over
/// xoshiro's 256-bit state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
