// Data augmentation: random, seeded distortions of a digit image (shift, rotation, scale and
// an elastic distortion after Simard, Steinkraus and Platt, 2003), applied on the fly.

import Foundation

/// Draws a random distortion for each image and resamples the image through it.
///
/// Each output pixel `p` (its centre, in pixels, measured from the image centre `c`) reads the
/// input, by bilinear interpolation and zero outside, at
///
/// ```
/// source(p) = c + R(−θ) · (p − c − t) / s + d(p)
/// ```
///
/// so the digit is rotated by `θ`, scaled by `s` about the centre and moved by `t`, then
/// wobbled by a smooth displacement field `d`. Simard et al. make `d` by smoothing
/// per-pixel uniform noise with a Gaussian (σ = 4) and scaling it; here `d` is uniform noise
/// on a coarse grid of control points every `elasticSpacing` pixels, interpolated bilinearly
/// between them, which gives a field of the same smoothness and size at a fraction of the cost.
///
/// The randomness comes only from the caller's generator (`next()` only), so a seeded
/// generator gives the same distortion on every platform.
public struct Augmenter: Sendable {
    /// The image size.
    public let width: Int
    public let height: Int
    /// Rotations are uniform in `±maximumRotation` degrees.
    public var maximumRotation: Float
    /// Scale factors are uniform in this range (1 keeps the size).
    public var scaleRange: ClosedRange<Float>
    /// Shifts are uniform in `±maximumShift` pixels, across and down independently.
    public var maximumShift: Float
    /// The elastic field's control points move uniformly in `±elasticAmplitude` pixels (0 for none).
    public var elasticAmplitude: Float
    /// Pixels between the elastic field's control points.
    public var elasticSpacing: Int

    /// An augmenter for `width × height` images; the defaults are ±10°, scale 0.9–1.1,
    /// ±2 pixels, and an elastic field of ±1.5 pixels on control points 7 pixels apart.
    public init(width: Int = 28, height: Int = 28, maximumRotation: Float = 10,
                scaleRange: ClosedRange<Float> = 0.9...1.1, maximumShift: Float = 2,
                elasticAmplitude: Float = 1.5, elasticSpacing: Int = 7) {
        precondition(width > 0 && height > 0 && elasticSpacing > 0 && scaleRange.lowerBound > 0)
        self.width = width
        self.height = height
        self.maximumRotation = maximumRotation
        self.scaleRange = scaleRange
        self.maximumShift = maximumShift
        self.elasticAmplitude = elasticAmplitude
        self.elasticSpacing = elasticSpacing
    }

    /// One random distortion: what `distort` draws before it resamples.
    public struct Distortion: Equatable, Sendable {
        /// Radians.
        public var rotation: Float
        public var scale: Float
        /// Pixels right and down.
        public var shiftX: Float
        public var shiftY: Float
        /// The control points' displacements (x then y for each point, row by row of the grid).
        public var field: [Float]
    }

    /// Control points across and down: enough to cover the image with `elasticSpacing` steps.
    var gridColumns: Int { (width - 1) / elasticSpacing + 2 }
    var gridRows: Int { (height - 1) / elasticSpacing + 2 }

    /// Draws a distortion from `generator`.
    public func randomDistortion(using generator: inout some RandomNumberGenerator) -> Distortion {
        func uniform(_ lower: Float, _ upper: Float) -> Float {
            lower + (upper - lower) * Float(generator.next() >> 40) * 0x1p-24
        }
        let rotation = uniform(-maximumRotation, maximumRotation) * .pi / 180
        let scale = uniform(scaleRange.lowerBound, scaleRange.upperBound)
        let shiftX = uniform(-maximumShift, maximumShift)
        let shiftY = uniform(-maximumShift, maximumShift)
        var field = [Float](repeating: 0, count: 2 * gridColumns * gridRows)
        if elasticAmplitude > 0 {
            for i in field.indices { field[i] = uniform(-elasticAmplitude, elasticAmplitude) }
        }
        return Distortion(rotation: rotation, scale: scale, shiftX: shiftX, shiftY: shiftY, field: field)
    }

    /// Writes a randomly distorted copy of `image` (`width × height` bytes, row by row) to `output`.
    public func distort(_ image: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>,
                        using generator: inout some RandomNumberGenerator) {
        apply(randomDistortion(using: &generator), to: image, into: output)
    }

    /// Resamples `image` through `distortion` into `output` (both `width × height` bytes).
    public func apply(_ distortion: Distortion, to image: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
        let centreX = Float(width - 1) / 2, centreY = Float(height - 1) / 2
        // R(−θ) / s, the inverse of rotating by θ and scaling by s.
        let cosine = Foundation.cos(distortion.rotation) / distortion.scale
        let sine = Foundation.sin(distortion.rotation) / distortion.scale
        let spacing = Float(elasticSpacing)
        let columns = gridColumns
        distortion.field.withUnsafeBufferPointer { field in
            for y in 0..<height {
                let gy = Float(y) / spacing
                let row = Int(gy), fy = gy - Float(Int(gy))
                for x in 0..<width {
                    let gx = Float(x) / spacing
                    let column = Int(gx), fx = gx - Float(Int(gx))
                    // d(p): bilinear between the four surrounding control points.
                    let p00 = 2 * (row * columns + column), p01 = p00 + 2
                    let p10 = p00 + 2 * columns, p11 = p10 + 2
                    let w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy
                    let dx = w00 * field[p00] + w01 * field[p01] + w10 * field[p10] + w11 * field[p11]
                    let dy = w00 * field[p00 + 1] + w01 * field[p01 + 1] + w10 * field[p10 + 1] + w11 * field[p11 + 1]
                    let u = Float(x) - centreX - distortion.shiftX
                    let v = Float(y) - centreY - distortion.shiftY
                    let sourceX = centreX + cosine * u + sine * v + dx
                    let sourceY = centreY - sine * u + cosine * v + dy
                    output[y * width + x] = sample(image, x: sourceX, y: sourceY)
                }
            }
        }
    }

    /// Bilinear interpolation of `image` at `(x, y)`, zero outside, rounded to a byte.
    @inline(__always)
    func sample(_ image: UnsafePointer<UInt8>, x: Float, y: Float) -> UInt8 {
        guard x > -1, y > -1, x < Float(width), y < Float(height) else { return 0 }
        let x0 = Int((x + 1).rounded(.down)) - 1, y0 = Int((y + 1).rounded(.down)) - 1
        let fx = x - Float(x0), fy = y - Float(y0)
        func pixel(_ px: Int, _ py: Int) -> Float {
            px >= 0 && py >= 0 && px < width && py < height ? Float(image[py * width + px]) : 0
        }
        let top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx
        let bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx
        return UInt8(min(255, max(0, (top * (1 - fy) + bottom * fy).rounded())))
    }
}
