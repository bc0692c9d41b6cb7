// Shared helpers for the DigitRender tests: reading canvases as ASCII art and finding colours.

@testable import DigitRender

extension Canvas {
    /// The canvas as rows of `#` (ink: anything darker than mid-grey) and `.` (paper).
    func asciiArt() -> [String] {
        (0..<height).map { y in
            String((0..<width).map { x in self[x, y].luma < 0.5 ? "#" : "." })
        }
    }

    /// Whether any pixel inside `rect` (whole canvas by default) is exactly `color`.
    func contains(_ color: Color, in rect: Rect? = nil) -> Bool {
        let area = rect ?? Rect(x: 0, y: 0, width: width, height: height)
        let target = [color.red, color.green, color.blue]
        return pixels.withUnsafeBufferPointer { buffer in
            (area.y..<area.maxY).contains { y in
                stride(from: (y * width + area.x) * 3, to: (y * width + area.maxX) * 3, by: 3).contains { offset in
                    buffer[offset] == target[0] && buffer[offset + 1] == target[1] && buffer[offset + 2] == target[2]
                }
            }
        }
    }
}

/// A 28×28 MNIST-style image: a filled square of ink (255) from 8 to 19 on a 0 background.
let squareDigit: [UInt8] = (0..<784).map { index in
    let (row, column) = (index / 28, index % 28)
    return (8..<20).contains(row) && (8..<20).contains(column) ? 255 : 0
}
