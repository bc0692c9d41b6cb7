// libFuzzer harness: the PNG decoder in every layout, then the user-image normalisation
// of the grey decoding, over arbitrary bytes.

import DigitData
import PNG

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGNormalize(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for layout in [Image.Layout.rgba, .rgb] {
        _ = try? Image(pngData: bytes, layout: layout, source: "fuzz")
    }
    guard let gray = try? Image(pngData: bytes, layout: .gray, source: "fuzz") else { return 0 }
    if let digit = try? DigitNormalizer.normalize(gray, source: "fuzz") {
        precondition(digit.count == DigitNormalizer.side * DigitNormalizer.side)
    }
    return 0
}
