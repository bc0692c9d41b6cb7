// What reading a number hands back: the lines of digits found on a page, each digit with its
// box and the classifier's score.

/// One digit of a reading.
public struct ReadDigit: Equatable, Sendable {
    /// Where its ink lies, in the analysed picture's pixels.
    public var box: InkBox
    /// The components whose ink (within `columns`) it is.
    public var components: [Int]
    /// The columns of those components it takes (all of them, unless touching digits were cut).
    public var columns: Range<Int>
    /// The classifier's verdict.
    public var score: PieceScore
    /// True when a wide gap (see `NumberSegmenter.spaceGap`) comes before it on its line.
    public var followsSpace: Bool

    public init(box: InkBox, components: [Int], columns: Range<Int>, score: PieceScore, followsSpace: Bool = false) {
        self.box = box
        self.components = components
        self.columns = columns
        self.score = score
        self.followsSpace = followsSpace
    }
}

/// The digits of one line, left to right.
public struct ReadLine: Equatable, Sendable {
    public var digits: [ReadDigit]
    /// The line's digit height, in pixels: what the size rules are relative to.
    public var digitHeight: Int

    public init(digits: [ReadDigit], digitHeight: Int) {
        self.digits = digits
        self.digitHeight = digitHeight
    }

    /// `2024`, or `12 34` with a wide gap inside the line.
    public var text: String {
        digits.map { ($0.followsSpace ? " " : "") + String($0.score.digit) }.joined()
    }

    /// The product of its digits' confidences.
    public var confidence: Double { digits.reduce(1) { $0 * $1.score.confidence } }
}

/// Every line of digits on a page, top to bottom.
public struct NumberReading: Equatable, Sendable {
    public var lines: [ReadLine]

    public init(lines: [ReadLine]) {
        self.lines = lines
    }

    /// All digits, line after line.
    public var digits: [ReadDigit] { lines.flatMap(\.digits) }

    /// The lines' texts joined by a space; empty when no digit was found.
    public var text: String { lines.map(\.text).joined(separator: " ") }

    /// The product of all digits' confidences (1 for no digits).
    public var confidence: Double { lines.reduce(1) { $0 * $1.confidence } }
}
