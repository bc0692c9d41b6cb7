import Testing
@testable import DigitRender

@Suite("Bitmap font")
struct BitmapFontTests {
    /// Draws `text` at `scale` on a canvas exactly its size.
    private func rendered(_ text: String, scale: Int = 1) -> [String] {
        var canvas = Canvas(width: BitmapFont.width(of: text, scale: scale), height: BitmapFont.height(scale: scale))
        canvas.drawText(text, x: 0, y: 0, scale: scale, color: .black)
        return canvas.asciiArt()
    }

    private let sevenPercent = [
        "#####.##...",
        "....#.##..#",
        "...#.....#.",
        "..#.....#..",
        ".#.....#...",
        ".#....#..##",
        ".#.......##",
        "...........",
        "...........",
    ]

    // MARK: - Golden bitmaps

    @Test func sevenPercentMatchesGoldenBitmap() {
        #expect(rendered("7%") == sevenPercent)
    }

    @Test func scaleTwoDoublesEveryPixel() {
        let doubled = sevenPercent.flatMap { row in
            let wide = String(row.flatMap { [$0, $0] })
            return [wide, wide]
        }
        #expect(rendered("7%", scale: 2) == doubled)
    }

    @Test func descendersHangBelowTheBaseline() {
        #expect(rendered("gy") == [
            "...........",
            "...........",
            ".####.#...#",
            "#...#.#...#",
            "#...#.#...#",
            "#...#.#...#",
            ".####..####",
            "....#.....#",
            ".###...###.",
        ])
    }

    @Test func upwardTextIsTheLineTurnedAnticlockwise() {
        var canvas = Canvas(width: 9, height: 5)
        canvas.drawTextUpward("7", x: 0, centerY: 2, scale: 1, color: .black)
        #expect(canvas.asciiArt() == [
            "##.......",
            "#.#......",
            "#..#.....",
            "#...###..",
            "#........",
        ])
    }

    @Test func unknownCharactersDrawAsABox() {
        #expect(!BitmapFont.hasGlyph(for: "é"))
        #expect(rendered("é").prefix(7) == ["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####"])
    }

    // MARK: - Coverage

    @Test func everyPrintableASCIICharacterAndTheExtrasHaveGlyphs() {
        let printable = (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
        let missing = (printable + ["×", "→", "·", "−"]).filter { !BitmapFont.hasGlyph(for: $0) }
        #expect(missing.isEmpty)
    }

    @Test func visibleGlyphsAreDistinct() {
        let printable = (33...126).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        let bitmaps = printable.map { rendered($0) }
        #expect(Set(bitmaps.map { $0.joined(separator: "/") }).count == printable.count)
        #expect(rendered(" ").allSatisfy { !$0.contains("#") })
    }

    // MARK: - Measuring and placing

    @Test(arguments: [("", 1, 0), ("7", 1, 5), ("7%", 1, 11), ("7%", 2, 22), ("98.21%", 2, 70)])
    func widthIsAdvanceTimesCountLessTheLastGap(text: String, scale: Int, width: Int) {
        #expect(BitmapFont.width(of: text, scale: scale) == width)
    }

    @Test func heightsScale() {
        #expect(BitmapFont.height(scale: 2) == 18)
        #expect(BitmapFont.lineHeight(scale: 2) == 22)
    }

    @Test func alignmentPlacesTheAnchor() {
        for (alignment, left) in [(TextAlignment.left, 10), (.center, 8), (.right, 5)] {
            var canvas = Canvas(width: 20, height: 9)
            canvas.drawText("1", x: 10, y: 0, scale: 1, color: .black, alignment: alignment)
            let inked = (0..<20).filter { x in (0..<9).contains { canvas[x, $0] == .black } }
            #expect(inked.min() == left + 1 && inked.max() == left + 3, "\(alignment)")
        }
    }
}
