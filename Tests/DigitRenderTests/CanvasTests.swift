import Foundation
import Testing
import PNG
@testable import DigitRender

@Suite("Canvas")
struct CanvasTests {
    // MARK: - Colours

    @Test func colorFromHexSplitsChannels() {
        #expect(Color(hex: 0x12_34_56) == Color(red: 0x12, green: 0x34, blue: 0x56))
    }

    @Test func mixingGoesFromOneColourToTheOther() {
        #expect(Color.black.mixed(with: .white, by: 0) == .black)
        #expect(Color.black.mixed(with: .white, by: 1) == .white)
        #expect(Color.black.mixed(with: .white, by: 0.5) == Color(gray: 128))
        #expect(Color.black.mixed(with: .white, by: 7) == .white)
    }

    @Test func contrastingTextIsDarkOnLightAndWhiteOnDark() {
        #expect(Color.white.contrastingText == .ink)
        #expect(Color(hex: 0x08306B).contrastingText == .white)
    }

    // MARK: - Shapes

    @Test func newCanvasIsTheBackgroundColour() {
        let canvas = Canvas(width: 3, height: 2, background: .orange)
        #expect(canvas[0, 0] == .orange && canvas[2, 1] == .orange)
        #expect(canvas.pixels.count == 3 * 2 * 3)
    }

    @Test func fillPaintsTheRectangleAndClipsAtTheEdges() {
        var canvas = Canvas(width: 6, height: 4)
        canvas.fill(Rect(x: 4, y: -2, width: 10, height: 4), with: .red)
        #expect(canvas.asciiArt() == ["....##", "....##", "......", "......"])
        canvas.fill(Rect(x: 10, y: 10, width: 3, height: 3), with: .red)
        canvas[-1, 0] = .red
        #expect(canvas.asciiArt() == ["....##", "....##", "......", "......"])
    }

    @Test func strokeDrawsOnlyTheBorderInside() {
        var canvas = Canvas(width: 7, height: 6)
        canvas.stroke(Rect(x: 1, y: 1, width: 5, height: 4), with: .black)
        #expect(canvas.asciiArt() == [
            ".......",
            ".#####.",
            ".#...#.",
            ".#...#.",
            ".#####.",
            ".......",
        ])
    }

    @Test func thickStrokeGrowsInwards() {
        var canvas = Canvas(width: 6, height: 6)
        canvas.stroke(Rect(x: 0, y: 0, width: 6, height: 6), with: .black, thickness: 2)
        #expect(canvas.asciiArt() == ["######", "######", "##..##", "##..##", "######", "######"])
    }

    @Test(arguments: [(0, 0, 4, 2), (4, 2, 0, 0), (0, 2, 4, 0), (1, 0, 1, 2)])
    func linesJoinBothEndsWithOnePixelAStep(x0: Int, y0: Int, x1: Int, y1: Int) {
        var canvas = Canvas(width: 5, height: 3)
        canvas.drawLine(fromX: x0, y: y0, toX: x1, y: y1, color: .black)
        let inked = (0..<3).flatMap { y in (0..<5).filter { canvas[$0, y] == .black }.map { (x: $0, y: y) } }
        #expect(canvas[x0, y0] == .black && canvas[x1, y1] == .black)
        #expect(inked.count == max(abs(x1 - x0), abs(y1 - y0)) + 1)
        if x0 != x1 {
            #expect(Set(inked.map(\.x)).count == inked.count, "one pixel a column along a shallow line")
        }
    }

    @Test func thickLinesStampSquares() {
        var canvas = Canvas(width: 5, height: 4)
        canvas.drawLine(fromX: 1, y: 1, toX: 3, y: 1, color: .black, thickness: 2)
        #expect(canvas.asciiArt() == [".....", ".####", ".####", "....."])
    }

    // MARK: - Images

    @Test func grayImageIsDarkInkOnWhitePaperAtScale() {
        var canvas = Canvas(width: 5, height: 4, background: .red)
        canvas.drawGrayImage([0, 255, 128, 0], width: 2, height: 2, x: 1, y: 0, scale: 2)
        #expect(canvas[1, 0] == .white && canvas[2, 1] == .white)
        #expect(canvas[3, 0] == .black && canvas[4, 1] == .black)
        #expect(canvas[1, 2] == Color(gray: 127) && canvas[2, 3] == Color(gray: 127))
        #expect(canvas[0, 0] == .red)
    }

    @Test func grayImageTakesOtherInkAndPaper() {
        var canvas = Canvas(width: 2, height: 1)
        canvas.drawGrayImage([0, 255], width: 2, height: 1, x: 0, y: 0, ink: .white, paper: .black)
        #expect(canvas[0, 0] == .black && canvas[1, 0] == .white)
    }

    @Test func blitCopiesAndClips() {
        var small = Canvas(width: 2, height: 2, background: .blue)
        small[1, 1] = .orange
        var canvas = Canvas(width: 3, height: 3)
        canvas.blit(small, x: 2, y: 2)
        #expect(canvas[2, 2] == .blue && canvas[1, 1] == .white)
        canvas.blit(small, x: -1, y: 0)
        #expect(canvas[0, 0] == .blue && canvas[0, 1] == .orange && canvas[1, 0] == .white)
    }

    // MARK: - PNG output

    @Test func pngRoundTripKeepsEveryPixel() throws {
        var canvas = Canvas(width: 9, height: 5)
        canvas.fill(Rect(x: 2, y: 1, width: 3, height: 3), with: .vermillion)
        canvas.drawLine(fromX: 0, y: 4, toX: 8, y: 0, color: .blue)
        let decoded = try Image(pngData: try canvas.pngData(), layout: .rgb)
        #expect(decoded == canvas.image)
        #expect(decoded[2, 1, 0] == Color.vermillion.red)
    }

    @Test func writePNGCreatesAReadableFile() throws {
        let path = NSTemporaryDirectory() + "digit-render-test-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var canvas = Canvas(width: 4, height: 3)
        canvas[3, 2] = .green
        try canvas.writePNG(to: path)
        let decoded = try Image(contentsOfPNGFile: path, layout: .rgb)
        #expect(decoded == canvas.image)
        #expect(throws: PNGError.self) { try canvas.writePNG(to: "/nonexistent-folder/picture.png") }
    }
}
