// The confusion matrix as a heat map: true class down, predicted class across, counts written in.

/// A heat map of a confusion matrix with every count written in its cell.
///
/// `counts[t][p]` is how many images of true class `t` were predicted as `p`. The shade is
/// `log(1 + count) / log(1 + largest count)` on a white-to-blue scale: on a linear scale a
/// classifier's few errors next to a thousand right answers would all be white.
public struct ConfusionMatrixChart: Sendable {
    public let counts: [[Int]]
    /// The name of each class, along both axes.
    public let classLabels: [String]
    /// Lines above the chart.
    public let header: [String]

    /// - Parameter classLabels: by default `"0"`, `"1"`, … one a row.
    public init(counts: [[Int]], classLabels: [String]? = nil, header: [String] = []) {
        precondition(!counts.isEmpty && counts.allSatisfy { $0.count == counts.count },
                     "a confusion matrix must be square, got rows of \(counts.map(\.count))")
        let labels = classLabels ?? counts.indices.map { String($0) }
        precondition(labels.count == counts.count, "\(labels.count) class labels for \(counts.count) classes")
        self.counts = counts
        self.classLabels = labels
        self.header = header
    }

    // MARK: - Layout (pixels)

    static let textScale = 2
    static let margin = 16
    static let gap = 8

    private var classes: Int { counts.count }

    private var lineHeight: Int { BitmapFont.lineHeight(scale: Self.textScale) }

    /// Wide enough for the longest count with 5 pixels either side, and at least 44.
    private var cellSide: Int {
        let widest = counts.joined().map { BitmapFont.width(of: String($0), scale: Self.textScale) }.max() ?? 0
        return max(44, widest + 10)
    }

    private var rowLabelWidth: Int {
        classLabels.map { BitmapFont.width(of: $0, scale: Self.textScale) }.max() ?? 0
    }

    // Left of the cells: the rotated axis title, then the row labels.
    private var gridX: Int {
        Self.margin + BitmapFont.height(scale: Self.textScale) + Self.gap + rowLabelWidth + Self.gap
    }

    private var gridY: Int {
        Self.margin + header.count * lineHeight + (header.isEmpty ? 0 : Self.gap)
    }

    /// Where the count of true class `truth` predicted as `predicted` is drawn.
    public func cell(truth: Int, predicted: Int) -> Rect {
        Rect(x: gridX + predicted * cellSide, y: gridY + truth * cellSide, width: cellSide, height: cellSide)
    }

    private static let xAxisTitle = "predicted"
    private static let yAxisTitle = "true"
    private static let caption = "shade: log(1 + count)"

    public var size: (width: Int, height: Int) {
        let gridWidth = classes * cellSide
        let textWidth = (header + [Self.caption]).map { BitmapFont.width(of: $0, scale: Self.textScale) }.max() ?? 0
        // Under the cells: column labels, the axis title and the caption, a line each.
        let height = gridY + classes * cellSide + Self.gap + 3 * lineHeight + Self.margin
        return (max(gridX + gridWidth, Self.margin + textWidth) + Self.margin, height)
    }

    // MARK: - Drawing

    public func render() -> Canvas {
        let (width, height) = size
        var canvas = Canvas(width: width, height: height)
        for (index, line) in header.enumerated() {
            canvas.drawText(line, x: Self.margin, y: Self.margin + index * lineHeight, scale: Self.textScale)
        }

        let largest = counts.joined().max() ?? 0
        let logLargest = largest > 0 ? logarithm(1 + Double(largest)) : 1
        let textHeight = BitmapFont.capHeight * Self.textScale
        for truth in 0..<classes {
            for predicted in 0..<classes {
                let count = counts[truth][predicted]
                let box = cell(truth: truth, predicted: predicted)
                let shade = ColorMap.sequential(logarithm(1 + Double(max(count, 0))) / logLargest)
                canvas.fill(box, with: shade)
                canvas.drawText(String(count), x: box.x + box.width / 2, y: box.y + (box.height - textHeight) / 2,
                                scale: Self.textScale, color: count == 0 ? .lightGray : shade.contrastingText,
                                alignment: .center)
            }
        }
        let grid = Rect(x: gridX, y: gridY, width: classes * cellSide, height: classes * cellSide)
        canvas.stroke(grid.insetBy(-1), with: .gray)

        let columnLabelY = grid.maxY + Self.gap
        for (index, label) in classLabels.enumerated() {
            canvas.drawText(label, x: gridX + index * cellSide + cellSide / 2, y: columnLabelY,
                            scale: Self.textScale, alignment: .center)
            canvas.drawText(label, x: gridX - Self.gap, y: gridY + index * cellSide + (cellSide - textHeight) / 2,
                            scale: Self.textScale, alignment: .right)
        }
        canvas.drawText(Self.xAxisTitle, x: grid.x + grid.width / 2, y: columnLabelY + lineHeight,
                        scale: Self.textScale, alignment: .center)
        canvas.drawTextUpward(Self.yAxisTitle, x: Self.margin, centerY: grid.y + grid.height / 2, scale: Self.textScale)
        canvas.drawText(Self.caption, x: Self.margin, y: columnLabelY + 2 * lineHeight, scale: Self.textScale, color: .darkGray)
        return canvas
    }
}

/// The natural logarithm, by `log(m · 2^e) = log m + e · log 2` and the series
/// `log m = 2 atanh((m − 1)/(m + 1))` for `m` in [1, 2); enough for shading, with no libm.
func logarithm(_ x: Double) -> Double {
    precondition(x > 0, "logarithm of \(x)")
    let exponent = Double(x.exponent)
    let mantissa = x.significand
    let z = (mantissa - 1) / (mantissa + 1), z2 = z * z
    var term = z, sum = 0.0
    for power in stride(from: 1, through: 41, by: 2) {
        sum += term / Double(power)
        term *= z2
    }
    return 2 * sum + exponent * 0.693_147_180_559_945_3
}
