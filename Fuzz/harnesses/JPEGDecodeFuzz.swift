// libFuzzer harness: the JPEG decoder (through the C wrapper of libjpeg-turbo) in every
// layout and at every scale, and the EXIF orientation parser, over arbitrary bytes.

import JPEG
import PNG

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The parser on the bytes as they are, and as the TIFF block of an EXIF segment.
    for payload in [bytes, Array("Exif".utf8) + [0, 0] + bytes] {
        if let orientation = EXIF.orientation(inAPP1: payload) { precondition((1...8).contains(orientation)) }
    }
    if let orientation = EXIF.orientation(inJPEG: bytes) { precondition((1...8).contains(orientation)) }

    guard let full = try? Image(jpegData: bytes, layout: .gray, source: "fuzz") else { return 0 }
    for layout in [Image.Layout.rgb, .rgba] {
        if let image = try? Image(jpegData: bytes, layout: layout, source: "fuzz") {
            precondition(image.width == full.width && image.height == full.height && image.layout == layout)
        }
    }
    // A scaled decoding is no larger than the full one, and its longer side reaches what was asked.
    let longer = max(full.width, full.height)
    for minimumSide in [1, 64, longer / 3, longer] {
        guard let scaled = try? Image(jpegData: bytes, minimumSide: minimumSide, source: "fuzz") else { continue }
        precondition(scaled.width <= full.width && scaled.height <= full.height
                     && max(scaled.width, scaled.height) >= min(minimumSide, longer))
    }
    return 0
}
