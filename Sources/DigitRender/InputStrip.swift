// A row of grey pictures with a caption under each: the steps that take a person's picture to
// the 28×28 a network sees (`digits classify --show-input`).

/// Grey pictures side by side, each scaled to one height, captioned.
public struct InputStrip {
    /// One picture of the strip: grey bytes row by row (0 black, 255 white as stored).
    public struct Panel {
        public var caption: String
        public var width: Int
        public var height: Int
        public var pixels: [UInt8]

        public init(caption: String, width: Int, height: Int, pixels: [UInt8]) {
            precondition(pixels.count == width * height, "a \(width)×\(height) panel needs \(width * height) pixels")
            self.caption = caption
            self.width = width
            self.height = height
            self.pixels = pixels
        }
    }

    public var panels: [Panel]
    /// The height every panel is scaled to.
    public var panelHeight: Int

    public init(panels: [Panel], panelHeight: Int = 168) {
        self.panels = panels
        self.panelHeight = panelHeight
    }

    static let margin = 12
    static let captionScale = 2

    /// The strip on a white canvas: each panel scaled (nearest pixel, so a 28×28 stays
    /// blocky and exact) to `panelHeight`, framed, its caption centred under it.
    public func render() -> Canvas {
        let widths = panels.map { panel in
            max(1, (panel.width * panelHeight + panel.height / 2) / max(panel.height, 1))
        }
        let captionWidths = panels.map { BitmapFont.width(of: $0.caption, scale: Self.captionScale) }
        let columns = zip(widths, captionWidths).map { max($0, $1) }
        let width = columns.reduce(Self.margin) { $0 + $1 + Self.margin }
        let height = Self.margin * 3 + panelHeight + BitmapFont.lineHeight(scale: Self.captionScale)
        var canvas = Canvas(width: width, height: height)
        var x = Self.margin
        for (index, panel) in panels.enumerated() {
            let left = x + (columns[index] - widths[index]) / 2
            let scaled = Self.resized(panel, toWidth: widths[index], height: panelHeight)
            // Stored grey levels as they are: 0 is drawn black, 255 white.
            canvas.drawGrayImage(scaled, width: widths[index], height: panelHeight, x: left, y: Self.margin,
                                 ink: .white, paper: .black)
            canvas.stroke(Rect(x: left - 1, y: Self.margin - 1, width: widths[index] + 2, height: panelHeight + 2),
                          with: Color(gray: 160))
            canvas.drawText(panel.caption, x: x + columns[index] / 2, y: Self.margin * 2 + panelHeight,
                            scale: Self.captionScale, alignment: .center)
            x += columns[index] + Self.margin
        }
        return canvas
    }

    /// `panel` resampled to `width × height` by taking the nearest source pixel.
    static func resized(_ panel: Panel, toWidth width: Int, height: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let sourceRow = min(panel.height - 1, y * panel.height / height) * panel.width
            for x in 0..<width {
                output[y * width + x] = panel.pixels[sourceRow + min(panel.width - 1, x * panel.width / width)]
            }
        }
        return output
    }
}
