// The contact sheet: test digits in a grid, each framed green when the prediction is right
// and red when it is wrong, labelled with the prediction, the truth and the confidence.

/// A grid of 28×28 digits annotated with what a classifier made of them, under a header.
///
/// Each tile shows the digit dark on white (MNIST stores ink as 255 on 0), then three lines:
/// `pred 3` (red when wrong), `true 5` and the confidence, all inside a frame that is
/// `Color.green` for a right prediction and `Color.red` for a wrong one.
public struct ContactSheet: Sendable {
    /// One digit and the verdict on it.
    public struct Tile: Sendable {
        /// 28×28 grey pixels row by row, 0 background and 255 ink, as in MNIST.
        public var pixels: [UInt8]
        public var predicted: Int
        public var truth: Int
        /// The probability the classifier gave `predicted`, 0…1.
        public var confidence: Double

        public init(pixels: [UInt8], predicted: Int, truth: Int, confidence: Double) {
            precondition(pixels.count == ContactSheet.imageSide * ContactSheet.imageSide,
                         "a tile needs \(ContactSheet.imageSide)×\(ContactSheet.imageSide) pixels, got \(pixels.count)")
            self.pixels = pixels
            self.predicted = predicted
            self.truth = truth
            self.confidence = confidence
        }

        public var isCorrect: Bool { predicted == truth }
    }

    public var tiles: [Tile]
    /// Tiles a row; the last row may be shorter.
    public var columns: Int
    /// Lines above the grid, e.g. the model and its test accuracy.
    public var header: [String]

    public init(tiles: [Tile], columns: Int = 10, header: [String] = []) {
        precondition(columns >= 1, "a contact sheet needs at least one column, not \(columns)")
        self.tiles = tiles
        self.columns = columns
        self.header = header
    }

    // MARK: - Layout (pixels)

    static let imageSide = 28
    static let imageScale = 3
    static let textScale = 2
    static let frameThickness = 3
    static let padding = 4
    static let gap = 8
    static let margin = 16
    static let labelLines = 3

    private static var tileWidth: Int {
        2 * (frameThickness + padding) + imageSide * imageScale
    }

    private static var tileHeight: Int {
        2 * (frameThickness + padding) + imageSide * imageScale + padding
            + labelLines * BitmapFont.lineHeight(scale: textScale) - 2 * textScale
    }

    private var rows: Int {
        (tiles.count + columns - 1) / columns
    }

    private var headerHeight: Int {
        (header.count + 1) * BitmapFont.lineHeight(scale: Self.textScale) + Self.gap
    }

    /// The outer edge of tile `index`'s frame (the frame is `frameThickness` pixels inside it).
    public func frame(ofTile index: Int) -> Rect {
        Rect(x: Self.margin + (index % columns) * (Self.tileWidth + Self.gap),
             y: Self.margin + headerHeight + (index / columns) * (Self.tileHeight + Self.gap),
             width: Self.tileWidth, height: Self.tileHeight)
    }

    /// The size of the rendered picture: the grid (`min(columns, tiles)` wide) or the widest
    /// header line, whichever is wider.
    public var size: (width: Int, height: Int) {
        let gridColumns = min(columns, max(tiles.count, 1))
        let gridWidth = gridColumns * (Self.tileWidth + Self.gap) - Self.gap
        let textWidth = (header.map { BitmapFont.width(of: $0, scale: Self.textScale) } + [legendWidth]).max() ?? 0
        let gridHeight = rows == 0 ? 0 : rows * (Self.tileHeight + Self.gap) - Self.gap
        return (2 * Self.margin + max(gridWidth, textWidth), 2 * Self.margin + headerHeight + gridHeight)
    }

    // MARK: - Drawing

    public func render() -> Canvas {
        let (width, height) = size
        var canvas = Canvas(width: width, height: height)
        let lineHeight = BitmapFont.lineHeight(scale: Self.textScale)
        for (index, line) in header.enumerated() {
            canvas.drawText(line, x: Self.margin, y: Self.margin + index * lineHeight, scale: Self.textScale)
        }
        drawLegend(on: &canvas, y: Self.margin + header.count * lineHeight)
        for (index, tile) in tiles.enumerated() {
            draw(tile, in: frame(ofTile: index), on: &canvas)
        }
        return canvas
    }

    // The legend line: a green and a red frame swatch, then what the percentage means.
    private static let legendEntries: [(swatch: Color?, text: String)] = [
        (.green, "right"), (.red, "wrong"), (nil, "% is the confidence in pred"),
    ]
    private static let swatchSide = BitmapFont.capHeight * textScale
    private static let swatchGap = 8
    private static let entryGap = 24

    private var legendWidth: Int {
        Self.legendEntries.reduce(-Self.entryGap) { width, entry in
            width + Self.entryGap + (entry.swatch == nil ? 0 : Self.swatchSide + Self.swatchGap)
                + BitmapFont.width(of: entry.text, scale: Self.textScale)
        }
    }

    private func drawLegend(on canvas: inout Canvas, y: Int) {
        var x = Self.margin
        for entry in Self.legendEntries {
            if let color = entry.swatch {
                canvas.stroke(Rect(x: x, y: y, width: Self.swatchSide, height: Self.swatchSide),
                              with: color, thickness: Self.frameThickness)
                x += Self.swatchSide + Self.swatchGap
            }
            canvas.drawText(entry.text, x: x, y: y, scale: Self.textScale)
            x += BitmapFont.width(of: entry.text, scale: Self.textScale) + Self.entryGap
        }
    }

    private func draw(_ tile: Tile, in frame: Rect, on canvas: inout Canvas) {
        canvas.stroke(frame, with: tile.isCorrect ? .green : .red, thickness: Self.frameThickness)
        let inner = frame.insetBy(Self.frameThickness + Self.padding)
        canvas.drawGrayImage(tile.pixels, width: Self.imageSide, height: Self.imageSide,
                             x: inner.x, y: inner.y, scale: Self.imageScale)
        let labels: [(String, Color)] = [
            ("pred \(tile.predicted)", tile.isCorrect ? .ink : .red),
            ("true \(tile.truth)", .ink),
            (NumberFormat.percent(tile.confidence, decimals: 1), .darkGray),
        ]
        var y = inner.y + Self.imageSide * Self.imageScale + Self.padding
        for (text, color) in labels {
            canvas.drawText(text, x: inner.x, y: y, scale: Self.textScale, color: color)
            y += BitmapFont.lineHeight(scale: Self.textScale)
        }
    }
}
