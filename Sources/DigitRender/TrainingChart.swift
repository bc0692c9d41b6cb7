// The training picture: loss and accuracy per epoch, side by side.

/// Two line-chart panels, loss on the left and accuracy on the right, over the epochs, under
/// an optional header. Any series may be empty and is then left out of its panel.
public struct TrainingChart: Sendable {
    /// Mean cross-entropy over each epoch's training batches.
    public var trainingLoss: [Double]
    /// Cross-entropy on the test set after each epoch.
    public var testLoss: [Double]
    /// Fractions 0…1 of training images classified right after each epoch.
    public var trainAccuracy: [Double]
    /// Fractions 0…1 of test images classified right after each epoch.
    public var testAccuracy: [Double]
    public var header: [String]

    public init(trainingLoss: [Double], testLoss: [Double] = [], trainAccuracy: [Double] = [],
                testAccuracy: [Double] = [], header: [String] = []) {
        self.trainingLoss = trainingLoss
        self.testLoss = testLoss
        self.trainAccuracy = trainAccuracy
        self.testAccuracy = testAccuracy
        self.header = header
    }

    public static let trainingLossColor = Color.blue
    public static let testLossColor = Color.vermillion
    public static let trainAccuracyColor = Color.orange
    public static let testAccuracyColor = Color.bluishGreen

    static let textScale = 2
    static let margin = LineChart.margin
    static let panelGap = 24
    static let panelWidth = 560
    static let panelHeight = 400

    /// The loss panel, as drawn on the left.
    public var lossChart: LineChart {
        LineChart(title: "loss", yLabel: "cross-entropy", series: [
            .init(name: "training", color: Self.trainingLossColor, values: trainingLoss),
            .init(name: "test", color: Self.testLossColor, values: testLoss),
        ], includesZero: true, width: Self.panelWidth, height: Self.panelHeight)
    }

    /// The accuracy panel, as drawn on the right.
    public var accuracyChart: LineChart {
        LineChart(title: "accuracy", yLabel: "classified right", series: [
            .init(name: "training", color: Self.trainAccuracyColor, values: trainAccuracy),
            .init(name: "test", color: Self.testAccuracyColor, values: testAccuracy),
        ], style: .percent, width: Self.panelWidth, height: Self.panelHeight)
    }

    private var headerHeight: Int {
        header.count * BitmapFont.lineHeight(scale: Self.textScale)
    }

    public var size: (width: Int, height: Int) {
        let textWidth = header.map { BitmapFont.width(of: $0, scale: Self.textScale) }.max() ?? 0
        return (max(2 * Self.panelWidth + Self.panelGap, textWidth + 2 * Self.margin),
                Self.margin + headerHeight + Self.panelHeight)
    }

    public func render() -> Canvas {
        let (width, height) = size
        var canvas = Canvas(width: width, height: height)
        for (index, line) in header.enumerated() {
            canvas.drawText(line, x: Self.margin, y: Self.margin + index * BitmapFont.lineHeight(scale: Self.textScale),
                            scale: Self.textScale)
        }
        let top = Self.margin + headerHeight
        canvas.blit(lossChart.render(), x: 0, y: top)
        canvas.blit(accuracyChart.render(), x: Self.panelWidth + Self.panelGap, y: top)
        return canvas
    }
}
