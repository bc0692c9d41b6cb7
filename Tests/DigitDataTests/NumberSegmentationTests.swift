// Reading numbers on small synthetic pages with known boxes: digits are rectangular rings
// ("8"s), a fake classifier calls any tall piece an 8 and anything wide no digit, so the tests
// hold the segmentation to its rules without a trained model.

import DigitData
import PNG
import Testing

/// A white page to draw black rectangles on.
struct RingPage {
    let width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height)
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int) {
        for row in y..<(y + h) { for column in x..<(x + w) { pixels[row * width + column] = 0 } }
    }

    /// A ring `w × h` with strokes 4 pixels thick: the page's stand-in for a digit.
    mutating func ring(x: Int, y: Int, width w: Int = 30, height h: Int = 50) {
        fill(x: x, y: y, width: w, height: 4)
        fill(x: x, y: y + h - 4, width: w, height: 4)
        fill(x: x, y: y, width: 4, height: h)
        fill(x: x + w - 4, y: y, width: 4, height: h)
    }

    var analysis: PageAnalysis { PageAnalysis.analyze(Image(width: width, height: height, layout: .gray, pixels: pixels)) }
}

/// The fake classifier: an 8, sure, when the piece's ink is taller than wide; no digit otherwise.
func fakeScore(_ pixels: [UInt8]) -> PieceScore {
    var left = 28, right = -1, top = 28, bottom = -1
    for y in 0..<28 {
        for x in 0..<28 where pixels[y * 28 + x] > 64 {
            left = min(left, x); right = max(right, x); top = min(top, y); bottom = max(bottom, y)
        }
    }
    guard right >= 0 else { return PieceScore(digit: 0, confidence: 0.1, isDigit: false) }
    let aspect = Double(right - left + 1) / Double(bottom - top + 1)
    return aspect <= 0.85 ? PieceScore(digit: 8, confidence: 0.99, isDigit: true,
                                       alternatives: [DigitAlternative(digit: 8, probability: 0.99)])
                          : PieceScore(digit: 0, confidence: 0.2, isDigit: false)
}

@Suite("Number segmentation")
struct NumberSegmentationTests {
    func read(_ page: RingPage) -> NumberReading {
        NumberSegmenter.read(page.analysis, score: fakeScore)
    }

    /// Whether `box` is `expected` within a pixel on each side.
    func near(_ box: InkBox, _ expected: InkBox) -> Bool {
        abs(box.x - expected.x) <= 1 && abs(box.y - expected.y) <= 1
            && abs(box.maxX - expected.maxX) <= 1 && abs(box.maxY - expected.maxY) <= 1
    }

    // MARK: - Pages

    @Test func twoDigitsApartAreTwoPiecesWithTheirBoxes() {
        var page = RingPage(width: 160, height: 90)
        page.ring(x: 20, y: 20)
        page.ring(x: 70, y: 20)
        let reading = read(page)
        #expect(reading.text == "88")
        #expect(reading.lines.count == 1)
        #expect(reading.digits.count == 2)
        #expect(near(reading.digits[0].box, InkBox(x: 20, y: 20, width: 30, height: 50)), "\(reading.digits[0].box)")
        #expect(near(reading.digits[1].box, InkBox(x: 70, y: 20, width: 30, height: 50)), "\(reading.digits[1].box)")
        #expect(abs(reading.confidence - 0.99 * 0.99) < 1e-9)
    }

    @Test func twoTouchingDigitsAreCutAtTheirJoin() {
        var page = RingPage(width: 160, height: 90)
        page.ring(x: 20, y: 20)
        page.fill(x: 50, y: 43, width: 6, height: 4)  // the join
        page.ring(x: 56, y: 20)
        let analysis = page.analysis
        #expect(analysis.components.count == 1, "one blot")
        let reading = NumberSegmenter.read(analysis, score: fakeScore)
        #expect(reading.text == "88")
        #expect(reading.digits.count == 2)
        if reading.digits.count == 2 {
            let cut = reading.digits[0].columns.upperBound
            #expect((49...57).contains(cut), "the cut at \(cut) is in the join")
            #expect(abs(reading.digits[0].box.x - 20) <= 1 && abs(reading.digits[1].box.maxX - 86) <= 1)
            #expect(reading.digits[1].columns.lowerBound == cut)
        }
    }

    @Test func aNarrowPairTheClassifierDoubtsIsTriedForCuts() {
        // 44 px wide, under 0.9 of the 50-px height, but wider than the fake classifier's 0.85:
        // as a whole no digit, so it is cut, and the halves are two 8s.
        var page = RingPage(width: 120, height: 90)
        page.ring(x: 20, y: 20, width: 20)
        page.fill(x: 40, y: 43, width: 4, height: 4)  // the join
        page.ring(x: 44, y: 20, width: 20)
        let analysis = page.analysis
        #expect(analysis.components.count == 1, "one blot")
        let reading = NumberSegmenter.read(analysis, score: fakeScore)
        #expect(reading.text == "88")
        #expect(reading.digits.map(\.columns.upperBound).first.map { (39...45).contains($0) } == true,
                "\(reading.digits.map(\.columns))")
    }

    @Test func aBrokenFiveIsOneDigitWithItsBar() {
        var page = RingPage(width: 120, height: 100)
        page.fill(x: 30, y: 20, width: 32, height: 5)  // the bar, apart from the body
        page.ring(x: 30, y: 30, width: 30, height: 50)
        let analysis = page.analysis
        #expect(analysis.components.count == 2)
        let reading = NumberSegmenter.read(analysis, score: fakeScore)
        #expect(reading.digits.count == 1)
        #expect(reading.digits.first.map { near($0.box, InkBox(x: 30, y: 20, width: 32, height: 60)) } == true,
                "\(reading.digits.map(\.box))")
        #expect(reading.digits.first?.components.count == 2)
    }

    @Test func aDashBetweenGroupsIsLeftOut() {
        var page = RingPage(width: 300, height: 90)
        page.ring(x: 20, y: 20)
        page.ring(x: 60, y: 20)
        page.fill(x: 110, y: 43, width: 24, height: 5)  // the dash
        page.ring(x: 150, y: 20)
        page.ring(x: 190, y: 20)
        let reading = read(page)
        #expect(reading.text == "8888")
        #expect(reading.digits.allSatisfy { $0.box.height >= 45 })
    }

    @Test func aWideGapIsASpaceInsideTheLine() {
        var page = RingPage(width: 300, height: 90)
        page.ring(x: 20, y: 20)
        page.ring(x: 60, y: 20)
        page.ring(x: 170, y: 20)  // 80 px after the last: wider than 1.2 digit heights
        #expect(read(page).text == "88 8")
    }

    @Test func twoLinesAreTwoReadingsTopFirst() {
        var page = RingPage(width: 160, height: 170)
        page.ring(x: 20, y: 100)
        page.ring(x: 60, y: 100)
        page.ring(x: 20, y: 20)
        page.ring(x: 60, y: 20)
        page.ring(x: 100, y: 20)
        let reading = read(page)
        #expect(reading.lines.count == 2)
        #expect(reading.lines.map(\.text) == ["888", "88"])
        #expect(reading.text == "888 88")
        #expect(reading.lines.first?.digits.allSatisfy { $0.box.y < 30 } == true)
    }

    @Test func anEmptyPageHasNoDigits() {
        let reading = read(RingPage(width: 100, height: 60))
        #expect(reading.lines.isEmpty)
        #expect(reading.text == "")
        #expect(reading.confidence == 1)
    }

    @Test func piecesTheClassifierRejectsAreLeftOutUnlessAsked() {
        var page = RingPage(width: 200, height: 90)
        page.ring(x: 20, y: 20)
        page.ring(x: 70, y: 30, width: 44, height: 36)  // wider than tall: "no digit" for the fake classifier
        #expect(read(page).text == "8")
        #expect(NumberSegmenter.read(page.analysis, rejecting: false, score: fakeScore).text == "80")
    }

    // MARK: - Parts

    @Test func linesGroupBoxesThatShareRows() {
        let boxes = [InkBox(x: 50, y: 0, width: 10, height: 20), InkBox(x: 0, y: 40, width: 10, height: 20),
                     InkBox(x: 0, y: 2, width: 10, height: 20), InkBox(x: 20, y: 8, width: 8, height: 3)]
        #expect(InkLines.lines(of: boxes) == [[2, 3, 0], [1]])
    }

    @Test func strokesThatShareColumnsMerge() {
        let boxes = [InkBox(x: 0, y: 0, width: 20, height: 5), InkBox(x: 1, y: 8, width: 18, height: 30),
                     InkBox(x: 24, y: 0, width: 20, height: 38)]
        #expect(StrokeMerging.glyphs([0, 1, 2], boxes: boxes) == [[0, 1], [2]])
    }

    @Test func theBestPathSumsLogConfidencesAndKeepsTheWholeWhenItIsBelieved() {
        let cuts = [0, 30, 60]
        // The whole is a sure digit: cutting it costs more than it gains.
        let whole = RecognitionSplit.bestPath(cuts: cuts, cutInk: [0, 0, 0], digitHeight: 50) { start, end in
            start == 0 && end == 2 ? PieceScore(digit: 0, confidence: 0.95, isDigit: true)
                                   : PieceScore(digit: 1, confidence: 0.9, isDigit: true)
        }
        #expect(whole == [0, 2])
        // The whole is no digit: the two sure halves win.
        let split = RecognitionSplit.bestPath(cuts: cuts, cutInk: [0, 0, 0], digitHeight: 50) { start, end in
            start == 0 && end == 2 ? PieceScore(digit: 0, confidence: 0.4, isDigit: false)
                                   : PieceScore(digit: 1, confidence: 0.99, isDigit: true)
        }
        #expect(split == [0, 1, 2])
    }

    @Test func aWholeFarWiderThanADigitLosesToItsSplit() {
        // 80 px at a 50-px digit height is 1.6 heights: the uncut glyph, read as a fairly sure
        // digit, falls off beyond 1.3 heights, and two as sure halves win.
        let cuts = [0, 40, 80]
        let path = RecognitionSplit.bestPath(cuts: cuts, cutInk: [0, 0, 0], digitHeight: 50) { _, _ in
            PieceScore(digit: 2, confidence: 0.9, isDigit: true)
        }
        #expect(path == [0, 1, 2])
    }
}
