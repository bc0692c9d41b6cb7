import Testing
@testable import DigitRender

@Suite("Contact sheet")
struct ContactSheetTests {
    private func tiles(_ count: Int, wrongEvery: Int = 3) -> [ContactSheet.Tile] {
        (0..<count).map { index in
            let truth = index % 10
            let predicted = index % wrongEvery == wrongEvery - 1 ? (truth + 1) % 10 : truth
            return ContactSheet.Tile(pixels: squareDigit, predicted: predicted, truth: truth, confidence: 0.875)
        }
    }

    // MARK: - Layout

    @Test func gridHasTheRequestedColumnsAndEnoughRows() {
        let sheet = ContactSheet(tiles: tiles(23), columns: 8, header: ["model 784-10"])
        let first = sheet.frame(ofTile: 0), second = sheet.frame(ofTile: 1)
        let ninth = sheet.frame(ofTile: 8), last = sheet.frame(ofTile: 22)
        #expect(second.y == first.y && second.x > first.maxX)
        #expect(ninth.x == first.x && ninth.y > first.maxY)
        #expect(last.x == sheet.frame(ofTile: 6).x && last.y == sheet.frame(ofTile: 16).y)
        let canvas = sheet.render()
        #expect(canvas.width == sheet.size.width && canvas.height == sheet.size.height)
        #expect(canvas.width == sheet.frame(ofTile: 7).maxX + ContactSheet.margin)
        #expect(canvas.height == last.maxY + ContactSheet.margin)
    }

    @Test func moreColumnsMakeAWiderShorterSheet() {
        let narrow = ContactSheet(tiles: tiles(20), columns: 4).size
        let wide = ContactSheet(tiles: tiles(20), columns: 10).size
        #expect(wide.width > narrow.width && wide.height < narrow.height)
    }

    @Test func fewTilesStillFitTheHeader() {
        let header = "model 784-256-128-10 · test accuracy 98.21% · 1 of 2 shown wrong"
        let sheet = ContactSheet(tiles: tiles(2), columns: 10, header: [header])
        #expect(sheet.size.width == BitmapFont.width(of: header, scale: 2) + 2 * ContactSheet.margin)
        #expect(sheet.render().width == sheet.size.width)
    }

    @Test func noTilesDrawsTheHeaderAlone() {
        let canvas = ContactSheet(tiles: [], header: ["no images"]).render()
        let hasText = canvas.contains(.ink)
        #expect(canvas.height < 100 && hasText)
    }

    // MARK: - Pixels

    @Test func rightTileIsFramedGreenAndWrongTileRed() {
        let sheet = ContactSheet(tiles: tiles(3), columns: 3)
        let canvas = sheet.render()
        for (index, color) in [(0, Color.green), (1, .green), (2, .red)] {
            let frame = sheet.frame(ofTile: index)
            #expect(canvas[frame.x, frame.y + frame.height / 2] == color, "tile \(index) left edge")
            #expect(canvas[frame.x + frame.width / 2, frame.maxY - 1] == color, "tile \(index) bottom edge")
            #expect(canvas[frame.maxX - ContactSheet.frameThickness, frame.y + 1] == color, "tile \(index) frame width")
            #expect(canvas[frame.maxX - ContactSheet.frameThickness - 1, frame.y + frame.height / 2] == .white,
                    "tile \(index) just inside its frame")
        }
    }

    @Test func digitIsDarkInkOnWhiteAtThreeTimesSize() {
        let sheet = ContactSheet(tiles: tiles(1), columns: 1)
        let canvas = sheet.render()
        let image = sheet.frame(ofTile: 0).insetBy(ContactSheet.frameThickness + ContactSheet.padding)
        #expect(canvas[image.x + 8 * 3, image.y + 8 * 3] == .black)
        #expect(canvas[image.x + 20 * 3 - 1, image.y + 20 * 3 - 1] == .black)
        #expect(canvas[image.x + 20 * 3, image.y + 20 * 3] == .white)
        #expect(canvas[image.x + 8 * 3 - 1, image.y + 8 * 3] == .white)
    }

    @Test func wrongPredictionIsWrittenInRed() {
        let sheet = ContactSheet(tiles: tiles(3), columns: 3)
        let canvas = sheet.render()
        let right = sheet.frame(ofTile: 0).insetBy(ContactSheet.frameThickness)
        let wrong = sheet.frame(ofTile: 2).insetBy(ContactSheet.frameThickness)
        let redText = [wrong, right].map { canvas.contains(.red, in: $0) }
        #expect(redText == [true, false])
    }
}
