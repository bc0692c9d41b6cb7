import Testing
@testable import PNG

@Suite("PNG round trip")
struct PNGRoundTripTests {
    @Test func grayRoundTripIsBitExact() throws {
        let pixels = (0..<(7 * 5)).map { UInt8(($0 * 37) % 256) }
        let image = Image(width: 7, height: 5, layout: .gray, pixels: pixels)
        let decoded = try Image(pngData: try image.pngData(), layout: .gray)
        #expect(decoded == image)
    }
}
