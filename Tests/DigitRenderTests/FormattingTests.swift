import Testing
@testable import DigitRender

@Suite("Colour maps and number text")
struct FormattingTests {
    // MARK: - Colour maps

    @Test func divergingRunsBlueWhiteRedAndClamps() {
        #expect(ColorMap.diverging(0) == .white)
        #expect(ColorMap.diverging(-1) == Color(hex: 0x2166AC))
        #expect(ColorMap.diverging(1) == Color(hex: 0xB2182B))
        #expect(ColorMap.diverging(-5) == ColorMap.diverging(-1) && ColorMap.diverging(9) == ColorMap.diverging(1))
        #expect(ColorMap.diverging(.nan) == .white)
    }

    @Test func sequentialDarkensSteadily() {
        #expect(ColorMap.sequential(0) == .white)
        #expect(ColorMap.sequential(1) == Color(hex: 0x08306B))
        let lumas = stride(from: 0.0, through: 1, by: 0.1).map { ColorMap.sequential($0).luma }
        #expect(zip(lumas, lumas.dropFirst()).allSatisfy { $0 > $1 })
    }

    // MARK: - Numbers

    @Test(arguments: [
        (0.125, 2, "0.13"), (0.1, 3, "0.100"), (98.2149, 2, "98.21"), (-0.5, 1, "-0.5"),
        (-0.0001, 2, "0.00"), (7, 0, "7"), (1234.5, 1, "1234.5"), (0.999, 2, "1.00"),
    ])
    func fixedRoundsToTheDecimals(value: Double, decimals: Int, text: String) {
        #expect(NumberFormat.fixed(value, decimals: decimals) == text)
    }

    @Test func percentMultipliesByAHundred() {
        #expect(NumberFormat.percent(0.98213, decimals: 1) == "98.2%")
        #expect(NumberFormat.percent(1, decimals: 0) == "100%")
    }

    @Test func logarithmMatchesKnownValues() {
        #expect(abs(logarithm(1)) < 1e-12)
        #expect(abs(logarithm(2.718_281_828_459_045) - 1) < 1e-12)
        #expect(abs(logarithm(1000) - 6.907_755_278_982_137) < 1e-12)
    }
}
