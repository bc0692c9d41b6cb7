// A line chart panel: one or more series over x = 1, 2, …, n, with axes, ticks, grid and legend.

/// Series of values plotted at x = 1, 2, …, n (epochs, say) on one y axis.
///
/// The legend sits between the title and the plot, so it never hides a line. Points are
/// marked when there are few enough to tell apart, so a single epoch still shows. Values that
/// are not finite (a diverged loss) are left out and break the line.
public struct LineChart: Sendable {
    /// One line: a name for the legend, its colour and its values at x = 1, 2, ….
    public struct Series: Sendable {
        public var name: String
        public var color: Color
        public var values: [Double]

        public init(name: String, color: Color, values: [Double]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    /// How y values are written on the axis.
    public enum ValueStyle: Sendable {
        /// As they are.
        case number
        /// Fractions 0…1 written as percentages; the axis stops at 100%.
        case percent
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var style: ValueStyle
    /// Whether the y axis reaches down (or up) to 0.
    public var includesZero: Bool
    public var width: Int
    public var height: Int

    public init(title: String, xLabel: String = "epoch", yLabel: String, series: [Series],
                style: ValueStyle = .number, includesZero: Bool = false, width: Int = 560, height: Int = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.style = style
        self.includesZero = includesZero
        self.width = width
        self.height = height
    }

    // MARK: - Layout (pixels)

    static let textScale = 2
    static let margin = 12
    static let gap = 8
    static let tickLength = 5
    static let markerSide = 7
    static let lineThickness = 2
    /// More points than this and markers would merge into the line.
    static let maximumMarkedPoints = 30
    /// The least range a percentage axis spans: 2 percentage points.
    static let minimumPercentSpan = 0.02

    private var lineHeight: Int { BitmapFont.lineHeight(scale: Self.textScale) }

    private var pointCount: Int {
        series.map(\.values.count).max() ?? 0
    }

    /// x runs over the epochs; a single one sits in the middle of a unit-wide axis.
    private var xRange: (low: Double, high: Double) {
        pointCount <= 1 ? (0.5, 1.5) : (1, Double(pointCount))
    }

    var yTicks: AxisTicks {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if includesZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        let dataHigh = high
        if style == .percent && high - low < Self.minimumPercentSpan {
            // Otherwise one epoch's 91.0% and 91.2% would fill the whole height.
            let middle = min((low + high) / 2, 1 - Self.minimumPercentSpan / 2)
            (low, high) = (middle - Self.minimumPercentSpan / 2, middle + Self.minimumPercentSpan / 2)
        }
        let ticks = AxisTicks(covering: low, high)
        guard style == .percent, ticks.high > 1, dataHigh <= 1 else { return ticks }
        return AxisTicks(covering: ticks.low, 1, targetCount: Int(((1 - ticks.low) / ticks.step).rounded()))
    }

    private var xTicks: [Int] {
        guard pointCount > 1 else { return [1] }
        let step = max(1, Int(AxisTicks.niceStep(near: Double(pointCount) / 8).step.rounded()))
        // Epoch 1 is where training starts: worth a tick when the others are far enough away.
        return (step >= 5 ? [1] : []) + Array(stride(from: step, through: pointCount, by: step))
    }

    private func yText(_ value: Double, _ ticks: AxisTicks) -> String {
        switch style {
        case .number: NumberFormat.fixed(value, decimals: ticks.decimals)
        case .percent: NumberFormat.percent(value, decimals: max(ticks.decimals - 2, 0))
        }
    }

    /// The rectangle the data is drawn in; the axes run along its left and bottom edges.
    public var plotArea: Rect {
        let ticks = yTicks
        let labelWidth = ticks.values.map { BitmapFont.width(of: yText($0, ticks), scale: Self.textScale) }.max() ?? 0
        let left = Self.margin + BitmapFont.height(scale: Self.textScale) + Self.gap + labelWidth + Self.gap + Self.tickLength
        let top = Self.margin + 2 * lineHeight + Self.gap + BitmapFont.capHeight * Self.textScale / 2
        let bottom = height - Self.margin - 2 * lineHeight - Self.tickLength
        let right = width - Self.margin - BitmapFont.width(of: String(pointCount), scale: Self.textScale) / 2
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    // MARK: - Drawing

    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let plot = plotArea, ticks = yTicks, x = xRange
        func screenX(_ value: Double) -> Int {
            plot.x + Int(((value - x.low) / (x.high - x.low) * Double(plot.width - 1)).rounded())
        }
        func screenY(_ value: Double) -> Int {
            plot.maxY - 1 - Int(((value - ticks.low) / (ticks.high - ticks.low) * Double(plot.height - 1)).rounded())
        }

        canvas.drawText(title, x: Self.margin, y: Self.margin, scale: Self.textScale)
        drawLegend(on: &canvas, y: Self.margin + lineHeight)

        let textHeight = BitmapFont.capHeight * Self.textScale
        for value in ticks.values {
            let y = screenY(value)
            canvas.fill(Rect(x: plot.x, y: y, width: plot.width, height: 1), with: .lightGray)
            canvas.fill(Rect(x: plot.x - Self.tickLength, y: y, width: Self.tickLength, height: 1), with: .ink)
            canvas.drawText(yText(value, ticks), x: plot.x - Self.tickLength - Self.gap, y: y - textHeight / 2,
                            scale: Self.textScale, alignment: .right)
        }
        for epoch in xTicks {
            let x = screenX(Double(epoch))
            canvas.fill(Rect(x: x, y: plot.maxY, width: 1, height: Self.tickLength), with: .ink)
            canvas.drawText(String(epoch), x: x + 1, y: plot.maxY + Self.tickLength + Self.gap / 2,
                            scale: Self.textScale, alignment: .center)
        }
        canvas.fill(Rect(x: plot.x - 1, y: plot.y, width: 1, height: plot.height + 1), with: .ink)
        canvas.fill(Rect(x: plot.x - 1, y: plot.maxY, width: plot.width + 1, height: 1), with: .ink)
        canvas.drawText(xLabel, x: plot.x + plot.width / 2, y: height - Self.margin - BitmapFont.height(scale: Self.textScale),
                        scale: Self.textScale, alignment: .center)
        canvas.drawTextUpward(yLabel, x: Self.margin, centerY: plot.y + plot.height / 2, scale: Self.textScale)

        let marked = pointCount <= Self.maximumMarkedPoints
        for line in series {
            var previous: (x: Int, y: Int)?
            for (index, value) in line.values.enumerated() {
                guard value.isFinite else {
                    previous = nil
                    continue
                }
                let point = (x: screenX(Double(index + 1)), y: screenY(value))
                if let previous {
                    canvas.drawLine(fromX: previous.x, y: previous.y, toX: point.x, y: point.y,
                                    color: line.color, thickness: Self.lineThickness)
                }
                if marked {
                    let half = Self.markerSide / 2
                    canvas.fill(Rect(x: point.x - half, y: point.y - half, width: Self.markerSide, height: Self.markerSide),
                                with: line.color)
                }
                previous = point
            }
        }
        return canvas
    }

    private func drawLegend(on canvas: inout Canvas, y: Int) {
        let swatchWidth = 24, textHeight = BitmapFont.capHeight * Self.textScale
        var x = Self.margin
        for line in series where !line.values.isEmpty {
            canvas.fill(Rect(x: x, y: y + textHeight / 2 - 1, width: swatchWidth, height: 3), with: line.color)
            canvas.fill(Rect(x: x + swatchWidth / 2 - Self.markerSide / 2, y: y + textHeight / 2 - Self.markerSide / 2,
                             width: Self.markerSide, height: Self.markerSide), with: line.color)
            x += swatchWidth + Self.gap
            canvas.drawText(line.name, x: x, y: y, scale: Self.textScale)
            x += BitmapFont.width(of: line.name, scale: Self.textScale) + 3 * Self.gap
        }
    }
}
