// CMYK (and YCCK, which libjpeg turns into CMYK) to RGB, the naive way: no colour profile,
// which is enough to tell ink from paper.

import PNG

extension Image {
    /// An RGB image from CMYK samples, 4 a pixel. `inverted` data (Adobe's convention, 255 is no
    /// ink) gives `R = C·K / 255`; plain data gives `R = (255 − C)(255 − K) / 255`; likewise G
    /// from M and B from Y, rounded to nearest.
    init(width: Int, height: Int, cmyk: [UInt8], inverted: Bool) {
        precondition(cmyk.count == width * height * 4)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        cmyk.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    let flip: UInt32 = inverted ? 0 : 255
                    let black = UInt32(source[pixel * 4 + 3]) ^ flip
                    for channel in 0..<3 {
                        let ink = UInt32(source[pixel * 4 + channel]) ^ flip
                        target[pixel * 3 + channel] = UInt8((ink * black + 127) / 255)
                    }
                }
            }
        }
        self.init(width: width, height: height, layout: .rgb, pixels: rgb)
    }
}
