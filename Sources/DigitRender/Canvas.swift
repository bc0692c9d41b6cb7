// An RGB canvas and the drawing primitives the pictures are made of; PNG output through `PNG`.
// Coordinates are pixels, x to the right and y down from the top-left corner. Everything
// drawn is clipped to the canvas, so callers never have to check bounds.

import PNG

/// An opaque 8-bit RGB colour.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour written as `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// A grey with all three channels at `level`.
    public init(gray level: UInt8) {
        self.init(red: level, green: level, blue: level)
    }

    public static let white = Color(gray: 255)
    public static let black = Color(gray: 0)
    /// Text and axes: softer than black, still high contrast on white.
    public static let ink = Color(hex: 0x202020)
    public static let darkGray = Color(hex: 0x555555)
    public static let gray = Color(hex: 0x999999)
    public static let lightGray = Color(hex: 0xDDDDDD)
    /// The frame of a right prediction.
    public static let green = Color(hex: 0x1B9E3A)
    /// The frame of a wrong prediction.
    public static let red = Color(hex: 0xD62728)
    // The Okabe–Ito palette, told apart by people with any common colour-vision deficiency.
    public static let blue = Color(hex: 0x0072B2)
    public static let orange = Color(hex: 0xE69F00)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let vermillion = Color(hex: 0xD55E00)

    /// The colour `fraction` of the way from `self` to `other` (0 is `self`, 1 is `other`).
    public func mixed(with other: Color, by fraction: Double) -> Color {
        let t = min(max(fraction, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
        }
        return Color(red: channel(red, other.red), green: channel(green, other.green), blue: channel(blue, other.blue))
    }

    /// Perceived brightness in 0…1, Rec. 601 luma `0.299 R + 0.587 G + 0.114 B`.
    public var luma: Double {
        (0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue)) / 255
    }

    /// Black or white, whichever reads better on this colour.
    public var contrastingText: Color {
        luma > 0.55 ? .ink : .white
    }

    public var description: String {
        "rgb(\(red), \(green), \(blue))"
    }
}

/// A rectangle of whole pixels: `x..<x+width` by `y..<y+height`.
public struct Rect: Hashable, Sendable {
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

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// The rectangle grown by `amount` on every side (shrunk when negative).
    public func insetBy(_ amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// A picture being drawn: `width × height` RGB pixels, white until painted.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Row by row from the top, three bytes (red, green, blue) a pixel.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "a canvas needs at least one pixel, not \(width)×\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(Rect(x: 0, y: 0, width: width, height: height), with: background)
    }

    /// The colour at column `x`, row `y`; writes outside the canvas are ignored.
    public subscript(x: Int, y: Int) -> Color {
        get {
            precondition(contains(x: x, y: y), "(\(x), \(y)) is outside the \(width)×\(height) canvas")
            let offset = (y * width + x) * 3
            return Color(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
        }
        set {
            guard contains(x: x, y: y) else { return }
            let offset = (y * width + x) * 3
            pixels[offset] = newValue.red
            pixels[offset + 1] = newValue.green
            pixels[offset + 2] = newValue.blue
        }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && x < width && y >= 0 && y < height
    }

    // MARK: - Shapes

    /// Paints every pixel of `rect` that lies on the canvas.
    public mutating func fill(_ rect: Rect, with color: Color) {
        let left = max(rect.x, 0), right = min(rect.maxX, width)
        let top = max(rect.y, 0), bottom = min(rect.maxY, height)
        guard left < right, top < bottom else { return }
        let (red, green, blue) = (color.red, color.green, color.blue)
        let rowLength = width * 3
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in top..<bottom {
                for offset in stride(from: y * rowLength + left * 3, to: y * rowLength + right * 3, by: 3) {
                    buffer[offset] = red
                    buffer[offset + 1] = green
                    buffer[offset + 2] = blue
                }
            }
        }
    }

    /// Paints a border `thickness` pixels wide just inside `rect`.
    public mutating func stroke(_ rect: Rect, with color: Color, thickness: Int = 1) {
        let t = min(thickness, (rect.width + 1) / 2, (rect.height + 1) / 2)
        guard t > 0 else { return }
        fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: t), with: color)
        fill(Rect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), with: color)
        fill(Rect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), with: color)
        fill(Rect(x: rect.maxX - t, y: rect.y + t, width: t, height: rect.height - 2 * t), with: color)
    }

    /// A straight line from `(x0, y0)` to `(x1, y1)`, both ends included (Bresenham's
    /// algorithm); a `thickness` above 1 stamps a square of that side at every step.
    public mutating func drawLine(fromX x0: Int, y y0: Int, toX x1: Int, y y1: Int,
                                  color: Color, thickness: Int = 1) {
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let stepX = x0 < x1 ? 1 : -1, stepY = y0 < y1 ? 1 : -1
        var error = dx + dy
        var x = x0, y = y0
        let before = (thickness - 1) / 2
        while true {
            if thickness <= 1 {
                self[x, y] = color
            } else {
                fill(Rect(x: x - before, y: y - before, width: thickness, height: thickness), with: color)
            }
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += stepX
            }
            if doubled <= dx {
                error += dx
                y += stepY
            }
        }
    }

    // MARK: - Images

    /// Draws a grey image (one byte a pixel, row by row) with its top-left corner at `(x, y)`,
    /// each pixel as a `scale × scale` square.
    ///
    /// MNIST stores ink as 255 on a 0 background; here 0 becomes `paper` and 255 `ink`, with the
    /// levels between mixed, so by default a digit is dark ink on white like the rest of the page.
    public mutating func drawGrayImage(_ gray: [UInt8], width imageWidth: Int, height imageHeight: Int,
                                       x: Int, y: Int, scale: Int = 1,
                                       ink: Color = .black, paper: Color = .white) {
        precondition(gray.count == imageWidth * imageHeight,
                     "a \(imageWidth)×\(imageHeight) image needs \(imageWidth * imageHeight) pixels, got \(gray.count)")
        precondition(scale >= 1, "scale must be at least 1, not \(scale)")
        for row in 0..<imageHeight {
            for column in 0..<imageWidth {
                let level = gray[row * imageWidth + column]
                let color = paper.mixed(with: ink, by: Double(level) / 255)
                fill(Rect(x: x + column * scale, y: y + row * scale, width: scale, height: scale), with: color)
            }
        }
    }

    /// Copies `other` onto this canvas with its top-left corner at `(x, y)`.
    public mutating func blit(_ other: Canvas, x: Int, y: Int) {
        let left = max(x, 0), right = min(x + other.width, width)
        let top = max(y, 0), bottom = min(y + other.height, height)
        guard left < right, top < bottom else { return }
        let rowBytes = (right - left) * 3
        pixels.withUnsafeMutableBufferPointer { target in
            other.pixels.withUnsafeBufferPointer { source in
                for row in top..<bottom {
                    let from = ((row - y) * other.width + (left - x)) * 3
                    let to = (row * width + left) * 3
                    _ = UnsafeMutableBufferPointer(rebasing: target[to..<(to + rowBytes)])
                        .update(fromContentsOf: source[from..<(from + rowBytes)])
                }
            }
        }
    }

    // MARK: - Output

    /// The canvas as an RGB image for the `PNG` module.
    public var image: Image {
        Image(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// The canvas encoded as PNG.
    public func pngData() throws(PNGError) -> [UInt8] {
        try image.pngData()
    }

    /// Writes the canvas as a PNG file at `path`, atomically (see `Image.writePNG(to:)`).
    public func writePNG(to path: String) throws(PNGError) {
        try image.writePNG(to: path)
    }
}
