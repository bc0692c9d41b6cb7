import Testing
@testable import DigitRender

@Suite("Confusion matrix chart")
struct ConfusionMatrixChartTests {
    /// 980 right answers a class and a few errors off the diagonal.
    private let counts: [[Int]] = (0..<10).map { truth in
        (0..<10).map { predicted in
            predicted == truth ? 980 : (predicted == (truth + 1) % 10 ? 7 : 0)
        }
    }

    // MARK: - Layout

    @Test func cellsMakeATenByTenSquareInsideThePicture() {
        let chart = ConfusionMatrixChart(counts: counts, header: ["confusion matrix"])
        let first = chart.cell(truth: 0, predicted: 0), last = chart.cell(truth: 9, predicted: 9)
        #expect(first.width == first.height && first.width >= BitmapFont.width(of: "980", scale: 2) + 10)
        #expect(last.maxX - first.x == 10 * first.width && last.maxY - first.y == 10 * first.height)
        #expect(chart.cell(truth: 3, predicted: 0).x == first.x && chart.cell(truth: 0, predicted: 3).y == first.y)
        let canvas = chart.render()
        #expect(canvas.width == chart.size.width && canvas.height == chart.size.height)
        #expect(canvas.width > last.maxX && canvas.height > last.maxY + 2 * BitmapFont.lineHeight(scale: 2))
    }

    @Test func largeCountsWidenTheCells() {
        var big = counts
        big[1][1] = 123_456
        let chart = ConfusionMatrixChart(counts: big)
        #expect(chart.cell(truth: 0, predicted: 0).width >= BitmapFont.width(of: "123456", scale: 2) + 10)
    }

    // MARK: - Pixels

    @Test func diagonalIsDarkerThanAnErrorCellWhichIsDarkerThanAnEmptyOne() {
        let chart = ConfusionMatrixChart(counts: counts)
        let canvas = chart.render()
        func shade(_ truth: Int, _ predicted: Int) -> Double {
            let cell = chart.cell(truth: truth, predicted: predicted)
            return canvas[cell.x + 2, cell.y + 2].luma
        }
        #expect(shade(4, 4) < shade(4, 5))
        #expect(shade(4, 5) < shade(4, 7))
        #expect(canvas[chart.cell(truth: 4, predicted: 7).x + 2, chart.cell(truth: 4, predicted: 7).y + 2] == .white)
    }

    @Test func countsAreWrittenInAContrastingColour() {
        let chart = ConfusionMatrixChart(counts: counts)
        let canvas = chart.render()
        let diagonal = chart.cell(truth: 2, predicted: 2), error = chart.cell(truth: 2, predicted: 3)
        let whiteOnDark = canvas.contains(.white, in: diagonal), inkOnLight = canvas.contains(.ink, in: error)
        #expect(whiteOnDark && inkOnLight)
    }
}
