// Turning an image upright for its EXIF orientation: the eight ways a rectangle can lie.

import PNG

extension Image {
    /// This image as it should be shown, given the EXIF orientation `value` it was stored with:
    /// 1 as stored, 2 mirrored left to right, 3 turned 180°, 4 flipped top to bottom,
    /// 5 transposed (the top-left corner stays, rows become columns), 6 turned 90° clockwise,
    /// 7 transversed (the bottom-right corner goes to the top left), 8 turned 90°
    /// counter-clockwise. 5–8 swap width and height. Any other value returns the image as it is.
    public func applyingEXIFOrientation(_ value: Int) -> Image {
        guard (2...8).contains(value) else { return self }
        // The stored pixel shown at (x, y) is origin + x·stepX + y·stepY, counted in pixels.
        let (originX, originY, stepX, stepY): (Int, Int, Int, Int) = switch value {
        case 2: (width - 1, 0, -1, width)
        case 3: (width - 1, height - 1, -1, -width)
        case 4: (0, height - 1, 1, -width)
        case 5: (0, 0, width, 1)
        case 6: (0, height - 1, -width, 1)
        case 7: (width - 1, height - 1, -width, -1)
        default: (width - 1, 0, width, -1)
        }
        let shownWidth = value >= 5 ? height : width, shownHeight = value >= 5 ? width : height
        let channels = layout.channels
        let origin = originY * width + originX
        var shown = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            shown.withUnsafeMutableBufferPointer { target in
                for y in 0..<shownHeight {
                    let rowStart = origin + y * stepY
                    for x in 0..<shownWidth {
                        let from = (rowStart + x * stepX) * channels, to = (y * shownWidth + x) * channels
                        for channel in 0..<channels { target[to + channel] = source[from + channel] }
                    }
                }
            }
        }
        return Image(width: shownWidth, height: shownHeight, layout: layout, pixels: shown)
    }
}
