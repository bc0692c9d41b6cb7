// What the classifier says about one candidate piece of a number: the segmenter's only view of
// the network, so DigitData never imports it.

/// The classifier's verdict on one 28×28 piece.
public struct PieceScore: Equatable, Sendable {
    /// The most probable digit.
    public var digit: Int
    /// Its probability (calibrated, over all the classes, "not a digit" among them).
    public var confidence: Double
    /// False when the classifier calls the piece no digit (a letter, a scribble, half a digit).
    public var isDigit: Bool
    /// The most probable digits, most probable first, with their probabilities.
    public var alternatives: [DigitAlternative]

    public init(digit: Int, confidence: Double, isDigit: Bool, alternatives: [DigitAlternative] = []) {
        self.digit = digit
        self.confidence = confidence
        self.isDigit = isDigit
        self.alternatives = alternatives
    }
}

/// One digit a piece might be, and how probable it is.
public struct DigitAlternative: Equatable, Sendable {
    public var digit: Int
    public var probability: Double

    public init(digit: Int, probability: Double) {
        self.digit = digit
        self.probability = probability
    }
}

/// Scores a normalised 28×28 piece (row by row, 0 background, 255 ink).
public typealias PieceScorer = (_ pixels28x28: [UInt8]) -> PieceScore
