// libFuzzer harness: the page analysis (polarity, background, thresholds, ruled lines,
// components) over arbitrary grey pictures, checking what it hands on stays in bounds.
//
// The first two bytes give the width and height (1–128 each); the rest are the pixels, row by
// row, repeated as needed to fill the picture.

import DigitData
import PNG

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPageAnalysis(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let width = Int(bytes[0]) % 128 + 1, height = Int(bytes[1]) % 128 + 1
    let source = bytes[2...]
    let pixels = (0..<width * height).map { source[source.startIndex + $0 % source.count] }
    let page = PageAnalysis.analyze(Image(width: width, height: height, layout: .gray, pixels: pixels))

    precondition(page.width == width && page.height == height)
    precondition(page.corrected.count == width * height && page.labels.count == width * height)
    for label in page.labels {
        precondition(label == PageAnalysis.paper || label == PageAnalysis.rejected
            || (0..<Int32(page.components.count)).contains(label), "label \(label) names no component")
    }
    for component in page.components {
        let box = component.box
        precondition(box.x >= 0 && box.y >= 0 && box.width > 0 && box.height > 0
            && box.x + box.width <= width && box.y + box.height <= height, "box \(box) outside the picture")
    }
    if let box = page.inkBox {
        let ink = page.ink(of: Array(page.components.indices), in: box, fringe: 2)
        precondition(ink.count == box.width * box.height, "ink of the digit's box, row by row")
    }
    if let digit = try? DigitNormalizer.normalize(Image(width: width, height: height, layout: .gray, pixels: pixels),
                                                  source: "fuzz") {
        precondition(digit.count == DigitNormalizer.side * DigitNormalizer.side)
    }
    return 0
}
