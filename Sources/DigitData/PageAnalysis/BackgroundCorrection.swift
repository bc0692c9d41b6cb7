// The page's own brightness under the ink (lighting gradient, shadow, tinted paper, a grey
// blackboard) and the ink that stands out from it, kept in grey levels, not binarised.

/// Estimates the background of a picture oriented so that ink is bright, and how strongly
/// each pixel stands out from it.
///
/// The background is the picture's morphological *opening*: the minimum over a square window
/// (which wipes out any bright stroke narrower than the window), then the maximum over the
/// same window (which gives back the level of everything wider). In the paper's polarity
/// this is a closing, the classic "remove the dark text" filter. The opening never exceeds
/// the picture and keeps exactly what is wide and smooth: a linear lighting gradient, the
/// plateau of a shadow or of a dark table beyond the page, each with its sharp edges, so
/// neither leaves a halo of false ink. The window is a third of the picture's shorter side
/// (radius a sixth): wider than the blots of ink of a digit that fills the frame, yet narrow
/// enough to fit into most of a shadow. Measured on MNIST's test digits drawn ×4 dark on
/// white, a radius of an eighth hollows out the boldest blots (2 digits in 2,000 change by
/// more than a grey level on average), a sixth changes none by more than 0.3. The radius is
/// never under 7 pixels (or half the side): a bold MNIST digit in its own 28 pixels has blots
/// 10 across. The filters cost the same at any radius.
///
/// Ink strength is `max(0, picture − background)`. For dark ink on light paper it is then
/// divided by the paper's brightness under it, `(b − p) / b · 255` in the paper's polarity:
/// a photo is light times reflectance, so ink in a shadow that halves the light keeps the
/// strength it has in full light. The divisor is held at half the page's median or more, so
/// a dark table or a deep shadow, where there is little but noise to recover, is amplified at
/// most twice as much as the paper. White paper (`b = 255`) and any light-on-dark picture
/// keep the plain difference, so MNIST's own pixels come through unchanged.
///
/// On a picture whose shorter side is 400 pixels or more the opening is taken at half
/// resolution, the picture first reduced to the minimum of each 2 × 2 block: a quarter of the
/// work. The reduced erosion's windows are up to a pixel wider on each side, which would pull
/// the background back from the sharp edge of a shadow or of the page by a pixel or two and
/// leave a thin false stroke along it, as strong as the edge is high; so the maximum's radius
/// is one block more than the minimum's, pushing every edge of the background two pixels
/// out. The cost is ink within two pixels of such an edge, and two pixels of slope on a
/// gradient, beside a window of 130 pixels or more.
enum BackgroundCorrection {
    /// From this shorter side on, the background is estimated at half resolution.
    static let halfResolutionSide = 400

    /// The radius of the square window for a `width × height` picture.
    static func radius(width: Int, height: Int) -> Int {
        let side = min(width, height)
        return max(1, side / 6, min(7, side / 2))
    }

    /// The opening of `oriented` (ink bright): its background.
    static func background(_ oriented: [UInt8], width: Int, height: Int) -> [UInt8] {
        let radius = radius(width: width, height: height)
        guard min(width, height) >= halfResolutionSide else {
            let eroded = MinMaxFilter.minimum(oriented, width: width, height: height, radius: radius)
            return MinMaxFilter.maximum(eroded, width: width, height: height, radius: radius)
        }
        let halfWidth = (width + 1) / 2, halfHeight = (height + 1) / 2
        var reduced = [UInt8](repeating: 255, count: halfWidth * halfHeight)
        oriented.withUnsafeBufferPointer { source in
            reduced.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = source.baseAddress! + y * width, out = target.baseAddress! + (y / 2) * halfWidth
                    var x = 0
                    while x + 1 < width {
                        out[x / 2] = min(out[x / 2], min(row[x], row[x + 1]))
                        x &+= 2
                    }
                    if x < width { out[x / 2] = min(out[x / 2], row[x]) }
                }
            }
        }
        let halfRadius = (radius + 1) / 2
        let eroded = MinMaxFilter.minimum(reduced, width: halfWidth, height: halfHeight, radius: halfRadius)
        let opened = MinMaxFilter.maximum(eroded, width: halfWidth, height: halfHeight, radius: halfRadius + 1)
        var background = [UInt8](repeating: 0, count: width * height)
        opened.withUnsafeBufferPointer { source in
            background.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = source.baseAddress! + (y / 2) * halfWidth, out = target.baseAddress! + y * width
                    var x = 0
                    while x < width { out[x] = row[x >> 1]; x &+= 1 }
                }
            }
        }
        return background
    }

    /// The ink strength of each pixel of `oriented` (ink bright) above `background`, 0…255.
    /// `paperLevel` is the page's median grey in its own polarity when the ink is dark on
    /// light, so the strength becomes relative to the paper's brightness; nil for light ink.
    static func inkStrength(_ oriented: [UInt8], background: [UInt8], paperLevel: Int?) -> [UInt8] {
        var strength = [UInt8](repeating: 0, count: oriented.count)
        // scale[v] = 255 / max(255 − v, floor) in 16.16 fixed point, for an oriented background
        // v (the paper's brightness is 255 − v); 1.0 exactly for white paper.
        var scale = [Int32](repeating: 1 << 16, count: 256)
        if let paperLevel {
            let floor = max(16, paperLevel / 2)
            for value in 0..<256 { scale[value] = Int32((255 << 16) / max(255 - value, floor)) }
        }
        oriented.withUnsafeBufferPointer { picture in
            background.withUnsafeBufferPointer { background in
                scale.withUnsafeBufferPointer { scale in
                    strength.withUnsafeMutableBufferPointer { strength in
                        for index in 0..<picture.count {
                            let level = background[index]
                            let difference = Int32(picture[index]) - Int32(level)
                            let scaled = (max(0, difference) * scale[Int(level)] + 32768) >> 16
                            strength[index] = UInt8(min(255, scaled))
                        }
                    }
                }
            }
        }
        return strength
    }
}
