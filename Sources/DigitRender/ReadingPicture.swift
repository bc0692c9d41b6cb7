// The picture a person checks a reading against at a glance (`digits read --annotate`): their
// own picture, a box and the read digit over each piece, and the reading as a caption.

/// A colour picture with labelled boxes drawn over it and a caption band under it.
public struct ReadingPicture {
    /// One labelled box: where a piece lies on the picture, what was read there, in what colour.
    public struct Mark {
        public var box: Rect
        public var label: String
        public var color: Color

        public init(box: Rect, label: String, color: Color) {
            self.box = box
            self.label = label
            self.color = color
        }
    }

    public var width: Int
    public var height: Int
    /// RGB bytes row by row, three a pixel.
    public var rgb: [UInt8]
    public var marks: [Mark]
    public var caption: String

    public init(width: Int, height: Int, rgb: [UInt8], marks: [Mark], caption: String) {
        precondition(rgb.count == width * height * 3, "a \(width)×\(height) picture needs \(width * height * 3) bytes")
        self.width = width
        self.height = height
        self.rgb = rgb
        self.marks = marks
        self.caption = caption
    }

    /// The font scale for a picture: the caption's letters about a fortieth of its width tall.
    public var textScale: Int { max(2, min(width, max(height, 1) * 4 / 3) / 300) }

    /// The height of the caption band under the picture.
    public var captionHeight: Int { BitmapFont.lineHeight(scale: textScale) + 2 * textScale * 3 }

    /// The picture as it is, each mark's box stroked in its colour (about a 300th of the
    /// picture's side thick, at least 2 pixels) with its label on a patch of that colour just
    /// above the box (inside it when the box touches the top), and the caption on white under it.
    public func render() -> Canvas {
        let scale = textScale
        var canvas = Canvas(width: width, height: height + captionHeight)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 3
                canvas[x, y] = Color(red: rgb[offset], green: rgb[offset + 1], blue: rgb[offset + 2])
            }
        }
        let thickness = max(2, min(width, height) / 300)
        for mark in marks {
            canvas.stroke(mark.box.insetBy(-thickness), with: mark.color, thickness: thickness)
            let labelWidth = BitmapFont.width(of: mark.label, scale: scale) + 2 * scale
            let labelHeight = BitmapFont.height(scale: scale) + 2 * scale
            let top = mark.box.y - thickness - labelHeight >= 0 ? mark.box.y - thickness - labelHeight : mark.box.y
            let patch = Rect(x: mark.box.x - thickness, y: top, width: labelWidth, height: labelHeight)
            canvas.fill(patch, with: mark.color)
            canvas.drawText(mark.label, x: patch.x + scale, y: patch.y + scale, scale: scale, color: mark.color.contrastingText)
        }
        canvas.drawText(caption, x: 2 * scale, y: height + 3 * scale, scale: scale)
        return canvas
    }
}
