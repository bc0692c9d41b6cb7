// The weight picture: each unit's incoming weights as a small image, in a grid.

/// One tile a unit showing its incoming weights, blue negative, white zero and red positive on
/// one symmetric scale shared by all tiles, the unit's index under each tile, and a colour bar.
///
/// The weights are a flat row-major `[units, tileHeight × tileWidth]` array, as a dense layer
/// stores `W: [out, in]`: row `u` holds unit `u`'s weights in input-pixel order. Tiles need not
/// be 28×28, so 5×5 convolution filters can be shown the same way.
public struct WeightGrid: Sendable {
    public let weights: [Float]
    public let units: Int
    public let tileWidth: Int
    public let tileHeight: Int
    /// Tiles a row.
    public let columns: Int
    /// Screen pixels a weight takes, across and down.
    public let scale: Int
    /// The colour scale runs from `-limit` (deepest blue) to `+limit` (deepest red); weights
    /// beyond it get the end colours.
    public let limit: Float
    /// Lines above the grid, e.g. which layer this is.
    public let header: [String]

    /// - Parameters:
    ///   - columns: tiles a row; by default `WeightGrid.columns(forUnits:)`.
    ///   - scale: pixels a weight; by default large tiles for few units, smaller ones for many.
    ///   - limit: the end of the symmetric colour scale; by default the 99th percentile of
    ///     `|w|`, so a few outliers do not wash out every other tile.
    public init(weights: [Float], tileWidth: Int = 28, tileHeight: Int = 28,
                columns: Int? = nil, scale: Int? = nil, limit: Float? = nil, header: [String] = []) {
        let inputs = tileWidth * tileHeight
        precondition(inputs > 0 && !weights.isEmpty && weights.count % inputs == 0,
                     "\(weights.count) weights are not a whole number of \(tileWidth)×\(tileHeight) tiles")
        self.weights = weights
        self.units = weights.count / inputs
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.columns = max(1, columns ?? Self.columns(forUnits: units))
        let side = units <= 16 ? 112 : units <= 64 ? 84 : 56
        self.scale = max(1, scale ?? side / max(tileWidth, tileHeight))
        self.limit = limit ?? Self.robustLimit(of: weights)
        self.header = header
    }

    /// A grid that suits the count: about square, with no empty cells when a divisor of
    /// `units` gives a rectangle no more than three times as wide as tall (10 → 5 × 2,
    /// 32 → 8 × 4, 256 → 16 × 16), otherwise `⌈√units⌉` columns (13 → 4 × 4).
    public static func columns(forUnits units: Int) -> Int {
        guard units > 3 else { return max(units, 1) }
        var root = 1
        while root * root < units { root += 1 }
        for columns in root...(2 * root) where units % columns == 0 && columns <= 3 * (units / columns) {
            return columns
        }
        return root
    }

    /// The 99th percentile of `|w|`, or 1 when every weight is zero.
    static func robustLimit(of weights: [Float]) -> Float {
        let magnitudes = weights.map { abs($0) }.filter { $0.isFinite }.sorted()
        guard let largest = magnitudes.last, largest > 0 else { return 1 }
        let percentile = magnitudes[(magnitudes.count - 1) * 99 / 100]
        return percentile > 0 ? percentile : largest
    }

    // MARK: - Layout (pixels)

    static let textScale = 2
    static let margin = 16
    static let gap = 10
    static let colorBarWidth = 256
    static let colorBarHeight = 16

    private var labelWidth: Int {
        BitmapFont.width(of: String(units - 1), scale: Self.textScale)
    }

    private var cellWidth: Int {
        max(tileWidth * scale + 2, labelWidth)
    }

    private var cellHeight: Int {
        tileHeight * scale + 2 + 4 + BitmapFont.height(scale: Self.textScale)
    }

    private var rows: Int {
        (units + columns - 1) / columns
    }

    private var lineHeight: Int {
        BitmapFont.lineHeight(scale: Self.textScale)
    }

    // Header lines, then the colour bar with its end values under it.
    private var headerHeight: Int {
        header.count * lineHeight + 4 + Self.colorBarHeight + 4 + lineHeight + Self.gap
    }

    /// Where unit `unit`'s weights are drawn (inside a one-pixel grey border).
    public func tile(ofUnit unit: Int) -> Rect {
        let cellX = Self.margin + (unit % columns) * (cellWidth + Self.gap)
        let cellY = Self.margin + headerHeight + (unit / columns) * (cellHeight + Self.gap)
        return Rect(x: cellX + (cellWidth - tileWidth * scale) / 2, y: cellY + 1,
                    width: tileWidth * scale, height: tileHeight * scale)
    }

    public var size: (width: Int, height: Int) {
        let gridWidth = min(columns, units) * (cellWidth + Self.gap) - Self.gap
        let textWidth = header.map { BitmapFont.width(of: $0, scale: Self.textScale) }.max() ?? 0
        let barWidth = Self.colorBarWidth + 2 * colorBarLabelWidth + Self.gap
            + BitmapFont.width(of: Self.colorBarCaption, scale: Self.textScale)
        let height = headerHeight + rows * (cellHeight + Self.gap) - Self.gap
        return (2 * Self.margin + max(gridWidth, textWidth, barWidth), 2 * Self.margin + height)
    }

    private var colorBarLabelWidth: Int {
        BitmapFont.width(of: "+" + limitText, scale: Self.textScale) / 2
    }

    private var limitText: String {
        let magnitude = Double(limit)
        return NumberFormat.fixed(magnitude, decimals: magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3)
    }

    // MARK: - Drawing

    public func render() -> Canvas {
        let (width, height) = size
        var canvas = Canvas(width: width, height: height)
        for (index, line) in header.enumerated() {
            canvas.drawText(line, x: Self.margin, y: Self.margin + index * lineHeight, scale: Self.textScale)
        }
        drawColorBar(on: &canvas, x: Self.margin + colorBarLabelWidth, y: Self.margin + header.count * lineHeight + 4)
        for unit in 0..<units {
            drawTile(ofUnit: unit, on: &canvas)
        }
        return canvas
    }

    static let colorBarCaption = "weight"

    private func drawColorBar(on canvas: inout Canvas, x: Int, y: Int) {
        for column in 0..<Self.colorBarWidth {
            let value = Double(column) / Double(Self.colorBarWidth - 1) * 2 - 1
            canvas.fill(Rect(x: x + column, y: y, width: 1, height: Self.colorBarHeight), with: ColorMap.diverging(value))
        }
        canvas.stroke(Rect(x: x - 1, y: y - 1, width: Self.colorBarWidth + 2, height: Self.colorBarHeight + 2), with: .gray)
        let labelY = y + Self.colorBarHeight + 4
        canvas.drawText("-" + limitText, x: x, y: labelY, scale: Self.textScale, alignment: .center)
        canvas.drawText("0", x: x + Self.colorBarWidth / 2, y: labelY, scale: Self.textScale, alignment: .center)
        canvas.drawText("+" + limitText, x: x + Self.colorBarWidth, y: labelY, scale: Self.textScale, alignment: .center)
        canvas.drawText(Self.colorBarCaption, x: x + Self.colorBarWidth + colorBarLabelWidth + Self.gap,
                        y: y + (Self.colorBarHeight - BitmapFont.capHeight * Self.textScale) / 2, scale: Self.textScale)
    }

    private func drawTile(ofUnit unit: Int, on canvas: inout Canvas) {
        let tile = tile(ofUnit: unit)
        canvas.stroke(tile.insetBy(-1), with: .lightGray)
        let base = unit * tileWidth * tileHeight
        for row in 0..<tileHeight {
            for column in 0..<tileWidth {
                let weight = weights[base + row * tileWidth + column]
                canvas.fill(Rect(x: tile.x + column * scale, y: tile.y + row * scale, width: scale, height: scale),
                            with: ColorMap.diverging(Double(weight / limit)))
            }
        }
        canvas.drawText(String(unit), x: tile.x + tile.width / 2, y: tile.maxY + 1 + 4,
                        scale: Self.textScale, color: .darkGray, alignment: .center)
    }
}
