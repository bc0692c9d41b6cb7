// What page analysis hands on: boxes on the page and the connected blots of ink it kept.

/// A rectangle of whole pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct InkBox: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the rightmost column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }

    /// The smallest box holding both.
    public func union(_ other: InkBox) -> InkBox {
        let left = min(x, other.x), top = min(y, other.y)
        return InkBox(x: left, y: top, width: max(maxX, other.maxX) - left, height: max(maxY, other.maxY) - top)
    }

    /// Whether pixel (`x`, `y`) lies inside.
    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    public var description: String { "\(width)×\(height) at (\(x), \(y))" }
}

/// A position on the page in pixel indices: pixel (x, y) is the point (x, y).
public struct InkPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// One 8-connected blot of kept ink: a digit, or one stroke of a digit drawn in pieces.
///
/// Its pixels are those whose entry in `PageAnalysis.labels` equals `label`, which is also
/// its index in `PageAnalysis.components` (sorted left to right, then top to bottom, the
/// order in which a number is read).
public struct InkComponent: Equatable, Sendable {
    public let label: Int
    /// The bounding box of its pixels.
    public let box: InkBox
    /// How many pixels it has.
    public let pixelCount: Int
    /// The sum of its pixels' corrected ink strength (each 0…255): its mass.
    public let inkSum: Int
    /// Its strongest corrected ink.
    public let peak: UInt8
    /// Its centre of mass, each pixel weighted by its ink strength.
    public let centroid: InkPoint

    public init(label: Int, box: InkBox, pixelCount: Int, inkSum: Int, peak: UInt8, centroid: InkPoint) {
        self.label = label
        self.box = box
        self.pixelCount = pixelCount
        self.inkSum = inkSum
        self.peak = peak
        self.centroid = centroid
    }
}
