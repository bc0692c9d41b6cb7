import DigitData
import PNG
import Testing

/// A small page drawn pixel by pixel: `paper(x, y)` is the paper's grey there, and the ink's
/// reflectance is `inkShare` of the paper's, as in a photo where light times reflectance is
/// what the camera sees.
private struct Page {
    var width = 200, height = 150
    var paper: (Int, Int) -> Double = { _, _ in 235 }
    var inkShare = 0.25
    /// Rectangles of ink: x, y, width, height.
    var strokes: [(Int, Int, Int, Int)] = []
    var noise = 0.0
    var seed: UInt64 = 1

    func image() -> Image {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let inked = strokes.contains { x >= $0.0 && x < $0.0 + $0.2 && y >= $0.1 && y < $0.1 + $0.3 }
                // The sum of three uniforms: about Gaussian, standard deviation `noise`.
                let grain = noise * 2 * (uniform() + uniform() + uniform())
                let value = paper(x, y) * (inked ? inkShare : 1) + grain
                pixels[y * width + x] = UInt8(max(0, min(255, value.rounded())))
            }
        }
        return Image(width: width, height: height, layout: .gray, pixels: pixels)
    }
}

/// A 7 of two rectangles, 8 pixels thick: its bar and its stem; its box is 60 × 81 at (60, 30).
private let seven = [(60, 30, 60, 8), (112, 30, 8, 81)]
private let sevenBox = InkBox(x: 60, y: 30, width: 60, height: 81)

/// How far column `x` is inside a band of `halfWidth` about `centre`, 0…1, its edges a
/// smoothstep over `2 × soft` pixels: a shadow's soft rim.
private func bandShare(_ x: Int, centre: Double, halfWidth: Double, soft: Double) -> Double {
    let t = max(0, min(1, (halfWidth - abs(Double(x) - centre) + soft) / (2 * soft)))
    return t * t * (3 - 2 * t)
}

/// Whether two boxes agree within `tolerance` pixels on every side.
private func near(_ a: InkBox?, _ b: InkBox, tolerance: Int = 1) -> Bool {
    guard let a else { return false }
    return abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
        && abs(a.maxX - b.maxX) <= tolerance && abs(a.maxY - b.maxY) <= tolerance
}

@Suite("Page analysis")
struct PageAnalysisTests {
    // MARK: Finding the digit

    @Test("a dark digit on a white page lit from one side is found to the pixel")
    func gradient() {
        // The paper goes from 95 to 245 across the page: the ink at the right (61) is darker
        // than the paper at the left.
        let page = Page(paper: { x, _ in 95 + 150 * Double(x) / 199 }, strokes: seven, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(!analysis.isLightOnDark)
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("the same digit light on dark is found the same way, and says so")
    func lightOnDark() {
        var image = Page(paper: { x, _ in 95 + 150 * Double(x) / 199 }, strokes: seven, noise: 2).image()
        image.pixels = image.pixels.map { 255 - $0 }
        let analysis = PageAnalysis.analyze(image)
        #expect(analysis.isLightOnDark)
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("a shadow with a sharp edge across the page and the digit leaves the digit alone")
    func shadow() {
        let page = Page(paper: { x, y in x + y > 160 ? 140 : 235 }, strokes: seven, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("a soft shadow band narrower than the background's window, across the digit, leaves the digit whole")
    func shadowBand() {
        // A band 40 pixels wide down the page (the window is 51), its light at 55 %, its edges
        // soft over 8 pixels, through the 7's stem and the end of its bar.
        let page = Page(paper: { x, _ in 235 * (1 - 0.45 * bandShare(x, centre: 110, halfWidth: 20, soft: 4)) },
                        strokes: seven, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox, tolerance: 2))
        // In the shadow the stem is as strong as the bar in full light: strength is relative to
        // the light there.
        let stem = Int(analysis.corrected[70 * 200 + 116]), bar = Int(analysis.corrected[34 * 200 + 70])
        #expect(abs(stem - bar) <= 24)
        // The band beside the digit is paper again.
        #expect(analysis.labels[130 * 200 + 110] == PageAnalysis.paper)
    }

    @Test("a faint pencil line one pixel wide survives")
    func faintPencil() {
        // Pencil at 80 % of the paper's brightness, one pixel wide: a 1 drawn lightly.
        let page = Page(inkShare: 0.8, strokes: [(100, 30, 1, 90)], noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, InkBox(x: 100, y: 30, width: 1, height: 90)))
    }

    @Test("a digit drawn in two strokes keeps both, and its box is their union")
    func brokenDigit() {
        let page = Page(strokes: [(60, 30, 48, 8), (112, 40, 8, 71)], noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 2)
        #expect(near(analysis.inkBox, InkBox(x: 60, y: 30, width: 60, height: 81)))
        // Left to right, each with its own pixels.
        #expect(analysis.components.map(\.box.x) == [60, 112])
        for component in analysis.components {
            #expect(analysis.labels.count { $0 == Int32(component.label) } == component.pixelCount)
        }
    }

    // MARK: What is not the digit

    @Test("specks of dust are removed")
    func specks() {
        let dust = [(10, 10, 1, 1), (180, 20, 2, 2), (30, 130, 3, 3), (150, 120, 1, 2), (90, 5, 2, 1)]
        let page = Page(strokes: seven + dust, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("ruled lines are removed, and the digit they cross is kept whole")
    func ruledLines() {
        // Two-pixel lines at 70 % of the paper, every 25 rows, one through the bar.
        let page = Page(paper: { _, y in y % 25 == 5 || y % 25 == 6 ? 165 : 235 }, strokes: seven, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
        // The lines' pixels beside the digit are ink the cleaning rejected.
        #expect(analysis.labels[55 * 200 + 10] == PageAnalysis.rejected)
        // The stem below the bar, where a line crosses it, is still the digit's.
        #expect(analysis.labels[80 * 200 + 115] == 0)
    }

    @Test("a margin line down the page is removed")
    func marginLine() {
        let page = Page(paper: { x, _ in x == 30 || x == 31 ? 160 : 235 }, strokes: seven, noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("the page's edge, with a dark table beyond it, is ignored")
    func pageEdge() {
        let page = Page(paper: { x, y in x < 22 + y / 10 ? 45 : 235 }, strokes: seven, noise: 3)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(!analysis.isLightOnDark)
        #expect(analysis.components.count == 1)
        #expect(near(analysis.inkBox, sevenBox))
    }

    @Test("a page with no digit has no components", arguments: ["blank", "noisy", "gradient", "shadow", "shadow band", "ruled"])
    func noDigit(kind: String) {
        var page = Page(noise: kind == "noisy" ? 6 : 1.5)
        switch kind {
        case "gradient": page.paper = { x, y in 120 + 0.6 * Double(x) + 0.1 * Double(y) }
        case "shadow": page.paper = { x, y in x + 2 * y > 250 ? 180 : 235 }
        case "shadow band": page.paper = { x, _ in 235 * (1 - 0.45 * bandShare(x, centre: 110, halfWidth: 20, soft: 4)) }
        case "ruled": page.paper = { _, y in y % 25 == 5 || y % 25 == 6 ? 175 : 235 }
        default: break
        }
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.components.isEmpty)
        #expect(analysis.inkBox == nil)
        #expect(throws: DataError.noDigit(source: kind)) { try DigitNormalizer.normalize(page.image(), source: kind) }
    }

    // MARK: MNIST's own pictures

    @Test("an MNIST digit comes through unchanged, its box that of its strong ink")
    func mnistDigit() {
        let digit = Array(mnistTest.image(at: 0))
        let analysis = PageAnalysis.analyze(Image(width: 28, height: 28, layout: .gray, pixels: digit))
        #expect(analysis.isLightOnDark)
        #expect(analysis.corrected == digit)
        let strong = digit.indices.filter { digit[$0] >= 64 }
        let xs = strong.map { $0 % 28 }, ys = strong.map { $0 / 28 }
        #expect(analysis.inkBox == InkBox(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()! + 1,
                                          height: ys.max()! - ys.min()! + 1))
    }

    @Test("an MNIST digit inverted and enlarged ×4 keeps its strength and its box ×4")
    func mnistEnlarged() {
        let digit = Array(mnistTest.image(at: 0))
        let enlarged: [UInt8] = (0..<112 * 112).map { (index: Int) -> UInt8 in digit[(index / 448) * 28 + (index % 112) / 4] }
        let analysis = PageAnalysis.analyze(Image(width: 112, height: 112, layout: .gray,
                                                  pixels: enlarged.map { 255 - $0 }))
        let small = PageAnalysis.analyze(Image(width: 28, height: 28, layout: .gray, pixels: digit))
        #expect(!analysis.isLightOnDark)
        #expect(analysis.corrected == enlarged)
        let box = small.inkBox!
        #expect(analysis.inkBox == InkBox(x: 4 * box.x, y: 4 * box.y, width: 4 * box.width, height: 4 * box.height))
    }

    // MARK: The result

    @Test("the mask, the labels and the components agree")
    func consistent() {
        let page = Page(strokes: [(60, 30, 48, 8), (112, 40, 8, 71)], noise: 2)
        let analysis = PageAnalysis.analyze(page.image())
        #expect(analysis.corrected.count == 200 * 150)
        #expect(analysis.mask.count { $0 } == analysis.components.reduce(0) { $0 + $1.pixelCount })
        for component in analysis.components {
            let box = component.box
            #expect(box.x >= 0 && box.y >= 0 && box.maxX <= 200 && box.maxY <= 150)
            #expect(box.contains(x: Int(component.centroid.x.rounded()), y: Int(component.centroid.y.rounded())))
            #expect(component.inkSum > 0 && component.peak >= UInt8(analysis.seedThreshold))
        }
        #expect(analysis.correctedImage.width == 200 && analysis.maskImage.height == 150)
        #expect(Set(analysis.maskImage.pixels).isSubset(of: [0, 96, 255]))
    }

    @Test("normalising all of an analysis's components is normalising the picture")
    func normaliseComponents() throws {
        let image = Page(strokes: [(60, 30, 48, 8), (112, 40, 8, 71)], noise: 2).image()
        let analysis = PageAnalysis.analyze(image)
        let all = DigitNormalizer.normalize(analysis, components: Array(analysis.components.indices))
        #expect(all == (try DigitNormalizer.normalize(image, source: "page")))
        // One component alone is a digit of its own: the stem fills the 20-pixel height.
        let stem = DigitNormalizer.normalize(analysis, components: [1])
        #expect(stem.count == 784)
        #expect((0..<28).count { row in (0..<28).contains { stem[row * 28 + $0] > 0 } } == 20)
        #expect(DigitNormalizer.normalize(analysis, components: []) == [UInt8](repeating: 0, count: 784))
    }

    @Test("an empty picture and a one-pixel picture are analysed without ink")
    func tiny() {
        #expect(PageAnalysis.analyze(Image(width: 0, height: 0, layout: .gray, pixels: [])).components.isEmpty)
        #expect(PageAnalysis.analyze(Image(width: 1, height: 1, layout: .gray, pixels: [0])).components.isEmpty)
        #expect(PageAnalysis.analyze(Image(width: 3, height: 1, layout: .gray, pixels: [255, 0, 255])).components.count <= 1)
    }
}
