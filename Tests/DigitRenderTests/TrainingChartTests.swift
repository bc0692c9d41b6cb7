import Testing
@testable import DigitRender

@Suite("Training chart")
struct TrainingChartTests {
    private func chart(epochs: Int) -> TrainingChart {
        TrainingChart(trainingLoss: (1...epochs).map { 0.05 + 0.5 / Double($0) },
                      testLoss: (1...epochs).map { 0.08 + 0.45 / Double($0) },
                      trainAccuracy: (1...epochs).map { 0.99 - 0.08 / Double($0) },
                      testAccuracy: (1...epochs).map { 0.975 - 0.07 / Double($0) },
                      header: ["model 784-256-10"])
    }

    private let seriesColors = [TrainingChart.trainingLossColor, TrainingChart.testLossColor,
                                TrainingChart.trainAccuracyColor, TrainingChart.testAccuracyColor]

    // MARK: - Size and content

    @Test func twoPanelsSideBySideUnderTheHeader() {
        let subject = chart(epochs: 10)
        let canvas = subject.render()
        #expect(canvas.width == subject.size.width && canvas.height == subject.size.height)
        #expect(canvas.width == 2 * TrainingChart.panelWidth + TrainingChart.panelGap)
        #expect(canvas.height == TrainingChart.margin + BitmapFont.lineHeight(scale: 2) + TrainingChart.panelHeight)
    }

    @Test(arguments: [1, 10, 60])
    func everySeriesIsDrawnInsideItsPlot(epochs: Int) {
        let subject = chart(epochs: epochs)
        let canvas = subject.render()
        let top = canvas.height - TrainingChart.panelHeight
        var loss = subject.lossChart.plotArea, accuracy = subject.accuracyChart.plotArea
        loss.y += top
        accuracy.y += top
        accuracy.x += TrainingChart.panelWidth + TrainingChart.panelGap
        let found = [(TrainingChart.trainingLossColor, loss), (TrainingChart.testLossColor, loss),
                     (TrainingChart.trainAccuracyColor, accuracy), (TrainingChart.testAccuracyColor, accuracy)]
            .map { canvas.contains($0.0, in: $0.1) }
        #expect(found == [true, true, true, true])
    }

    @Test func emptySeriesAreLeftOut() {
        let canvas = TrainingChart(trainingLoss: [0.4, 0.2]).render()
        let found = [TrainingChart.trainingLossColor, TrainingChart.testAccuracyColor].map { canvas.contains($0) }
        #expect(found == [true, false])
    }

    @Test func aDivergedLossDoesNotBreakTheChart() {
        let found = TrainingChart(trainingLoss: [0.5, .nan, .infinity, 0.3]).render().contains(TrainingChart.trainingLossColor)
        #expect(found)
    }

    // MARK: - Axes

    @Test func lossAxisStartsAtZeroAndAccuracyAxisStopsAtAHundredPercent() {
        let subject = chart(epochs: 10)
        #expect(subject.lossChart.yTicks.low == 0)
        let highest = subject.testAccuracy.max()!, ticks = subject.accuracyChart.yTicks
        #expect(ticks.high >= highest && ticks.high <= 1 && ticks.low > 0.5)
        let nearlyAll = TrainingChart(trainingLoss: [0.1], trainAccuracy: [0.995]).accuracyChart.yTicks
        #expect(nearlyAll.high == 1)
    }

    @Test func oneEpochOfAccuracySpansAtLeastTwoPoints() {
        let ticks = TrainingChart(trainingLoss: [0.5], trainAccuracy: [0.91], testAccuracy: [0.912]).accuracyChart.yTicks
        #expect(ticks.high - ticks.low >= 0.02)
        #expect(ticks.low <= 0.91 && ticks.high >= 0.912)
    }

    @Test(arguments: [
        (0.0, 0.55, 0.0, 0.6, 0.1, 1),
        (0.912, 0.981, 0.91, 0.99, 0.01, 2),
        (3.0, 3.0, 2.7, 3.3, 0.1, 1),
        (0.0, 0.0, -1.0, 1.0, 0.5, 1),
        (-12.0, 130.0, -20.0, 140.0, 20.0, 0),
        (1.0, 2.0, 1.0, 2.0, 0.2, 1),
    ])
    func ticksAreRoundAndCoverTheRange(low: Double, high: Double, tickLow: Double, tickHigh: Double,
                                       step: Double, decimals: Int) {
        let ticks = AxisTicks(covering: low, high)
        #expect(abs(ticks.low - tickLow) < 1e-9 && abs(ticks.high - tickHigh) < 1e-9)
        #expect(abs(ticks.step - step) < 1e-12 && ticks.decimals == decimals)
        #expect(ticks.values.count == Int(((tickHigh - tickLow) / step).rounded()) + 1)
    }
}
