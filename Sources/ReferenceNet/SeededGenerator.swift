import Foundation

/// The one source of randomness (initial weights, shuffling, dropout masks): xoshiro256**
/// (Blackman and Vigna, 2018), its 256-bit state filled from the seed by SplitMix64.
///
/// The sequence depends only on the seed and the stream, never on the platform, and so do
/// the helpers: uniform `Float`s from the top 24 bits, normal values by Box–Muller, integers
/// by rejection, shuffling by Fisher–Yates. They are the fast engine's, draw for draw, so a
/// seed gives both engines the same network, the same batches and the same masks.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator for `seed`; different `stream`s give independent sequences from one seed
    /// (the trainer shuffles from stream 1, dropout draws from stream 2).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var splitMix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform `Float` in [0, 1): the top 24 bits, each value exactly representable.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Float` in [`lower`, `upper`).
    public mutating func nextUniform(from lower: Float, to upper: Float) -> Float {
        lower + (upper - lower) * nextUniform()
    }

    /// A normal value by Box–Muller, `√(−2 ln u₁) · cos(2π u₂)` for `u₁` in (0, 1] and `u₂` in
    /// [0, 1); the sine partner is not kept, so each call takes exactly two draws.
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = 1 - Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return mean + standardDeviation * Float(z)
    }

    /// A uniform integer in `0..<bound`, without modulo bias: draws below 2⁶⁴ mod `bound` are rejected.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let bound = UInt64(bound)
        let threshold = (0 &- bound) % bound
        while true {
            let draw = next()
            if draw >= threshold { return Int(draw % bound) }
        }
    }

    /// Fisher–Yates: for `i` from the last index down to 1, swap element `i` with a uniformly
    /// chosen one in `0...i`.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextInt(below: i + 1))
        }
    }
}
