import Testing
@testable import DigitRender

@Suite("Weight grid")
struct WeightGridTests {
    /// `units` tiles of 28×28, every weight `value(unit)`.
    private func constantWeights(units: Int, _ value: (Int) -> Float) -> [Float] {
        (0..<units).flatMap { unit in [Float](repeating: value(unit), count: 784) }
    }

    // MARK: - Layout

    @Test(arguments: [(1, 1), (3, 3), (10, 5), (12, 4), (13, 4), (32, 8), (64, 8), (100, 10), (128, 16), (256, 16)])
    func columnsSuitTheCount(units: Int, columns: Int) {
        #expect(WeightGrid.columns(forUnits: units) == columns)
    }

    @Test func tenUnitsMakeFiveByTwoLargeTiles() {
        let grid = WeightGrid(weights: constantWeights(units: 10) { Float($0) - 5 })
        #expect(grid.units == 10 && grid.columns == 5 && grid.scale == 4)
        #expect(grid.tile(ofUnit: 0).width == 112 && grid.tile(ofUnit: 0).height == 112)
        #expect(grid.tile(ofUnit: 5).x == grid.tile(ofUnit: 0).x && grid.tile(ofUnit: 5).y > grid.tile(ofUnit: 4).maxY)
        let canvas = grid.render()
        #expect(canvas.width == grid.size.width && canvas.height == grid.size.height)
        #expect(canvas.width == grid.tile(ofUnit: 4).maxX + 1 + WeightGrid.margin)
    }

    @Test func twoHundredFiftySixUnitsMakeSixteenBySixteenSmallTiles() {
        let grid = WeightGrid(weights: [Float](repeating: 0.1, count: 256 * 784))
        #expect(grid.columns == 16 && grid.scale == 2)
        let last = grid.tile(ofUnit: 255)
        #expect(last.x == grid.tile(ofUnit: 15).x && last.y == grid.tile(ofUnit: 240).y)
        #expect(grid.size.width == grid.tile(ofUnit: 15).maxX + 1 + WeightGrid.margin)
        #expect(grid.size.height > last.maxY + BitmapFont.height(scale: 2))
    }

    @Test func smallFiltersGetLargerScales() {
        let grid = WeightGrid(weights: [Float](repeating: 1, count: 8 * 25), tileWidth: 5, tileHeight: 5)
        #expect(grid.units == 8 && grid.scale == 22)
        #expect(grid.render().width == grid.size.width)
    }

    // MARK: - Colour scale

    @Test func positiveIsRedNegativeBlueAndZeroWhite() {
        let grid = WeightGrid(weights: constantWeights(units: 3) { [2, -2, 0][$0] }, limit: 1)
        let canvas = grid.render()
        let deepRed = ColorMap.diverging(1), deepBlue = ColorMap.diverging(-1)
        for (unit, color) in [(0, deepRed), (1, deepBlue), (2, Color.white)] {
            let tile = grid.tile(ofUnit: unit)
            #expect(canvas[tile.x + 10, tile.y + 10] == color, "unit \(unit)")
        }
        #expect(deepRed.red > 150 && deepRed.blue < 80)
        #expect(deepBlue.blue > 150 && deepBlue.red < 80)
    }

    @Test func theScaleIsSymmetricAndSharedByAllTiles() {
        let grid = WeightGrid(weights: constantWeights(units: 2) { $0 == 0 ? 0.5 : -0.25 }, limit: 1)
        let canvas = grid.render()
        let half = grid.tile(ofUnit: 0), quarter = grid.tile(ofUnit: 1)
        #expect(canvas[half.x, half.y] == ColorMap.diverging(0.5))
        #expect(canvas[quarter.x, quarter.y] == ColorMap.diverging(-0.25))
    }

    @Test func defaultLimitIgnoresTheLargestOnePercent() {
        var weights = (0..<784).map { Float($0 % 100) / 100 }
        weights[0] = 50
        let limit = WeightGrid(weights: weights).limit
        #expect(limit > 0.9 && limit < 1)
        #expect(WeightGrid(weights: [Float](repeating: 0, count: 784)).limit == 1)
    }
}
