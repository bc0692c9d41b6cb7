// An uncompressed 8-bit image in memory: what the PNG decoder produces and the encoder takes.

/// A rectangle of 8-bit pixels stored row by row, top to bottom, channels interleaved.
///
/// `pixels[(y * width + x) * layout.channels + c]` is channel `c` of the pixel at column `x`,
/// row `y`.
public struct Image: Equatable, Sendable {
    /// Which channels each pixel has, in storage order.
    public enum Layout: String, Equatable, Sendable, CaseIterable {
        /// One channel: 0 is black, 255 is white.
        case gray
        /// Red, green, blue.
        case rgb
        /// Red, green, blue and alpha (0 transparent, 255 opaque), not premultiplied.
        case rgba

        /// The number of bytes a pixel takes.
        public var channels: Int {
            switch self {
            case .gray: 1
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    public let width: Int
    public let height: Int
    public let layout: Layout
    /// `width * height * layout.channels` bytes.
    public var pixels: [UInt8]

    /// Wraps existing pixels; `pixels.count` must be `width * height * layout.channels`.
    public init(width: Int, height: Int, layout: Layout, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "image dimensions must not be negative")
        precondition(pixels.count == width * height * layout.channels,
                     "\(width)×\(height) \(layout) needs \(width * height * layout.channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    /// An image filled with one value in every channel (e.g. 255 for white).
    public init(width: Int, height: Int, layout: Layout, filledWith value: UInt8) {
        self.init(width: width, height: height, layout: layout,
                  pixels: [UInt8](repeating: value, count: width * height * layout.channels))
    }

    /// Channel `channel` of the pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int, channel: Int = 0) -> UInt8 {
        get { pixels[(y * width + x) * layout.channels + channel] }
        set { pixels[(y * width + x) * layout.channels + channel] = newValue }
    }
}
