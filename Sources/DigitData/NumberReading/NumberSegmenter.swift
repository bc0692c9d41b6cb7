// Reading a number: the page's components (a digit's bar or cross joined to it) in lines, the strokes of each digit merged, dashes,
// dots and specks left out by their size against the line's digits, wide glyphs split by
// recognition, and every piece normalised as a single digit and scored.

/// Finds and reads the digits on an analysed page, with the classifier given as a closure.
public enum NumberSegmenter {
    /// A glyph shorter than this share of its line's digit height is a mark, not a digit (a
    /// dash, a dot, a comma, a speck): the shortest digits, a printed 0 or a 4's cap, are over
    /// half as tall as the tallest.
    public static let markShare = 0.45
    /// The line's digit height is the median height of its glyphs at least this share of the
    /// tallest one, so that dashes and dots do not pull it down.
    public static let tallShare = 0.6
    /// A glyph wider than this share of the digit height may be touching digits (a single digit
    /// is rarely wider than 0.9 of its height, two touching ones hardly narrower), and is tried
    /// for cuts (the single piece competes with the splits).
    public static let splitWidthShare = 0.9
    /// A narrower glyph is tried for cuts too when the classifier doubts it as one digit (calls
    /// it none, or gives its best digit less than `doubtfulConfidence`), it is wider than
    /// `doubtfulWidthShare` and as tall as `doubtfulHeightShare` of the digit height: two
    /// slanted touching digits can be narrower than 0.9 of their height, but they are as tall as
    /// the line's digits, where a shorter mark the classifier rejects is no pair of digits.
    public static let doubtfulWidthShare = 0.7
    public static let doubtfulHeightShare = 0.85
    public static let doubtfulConfidence = 0.6
    /// A gap between two digits wider than this share of the digit height is a space inside
    /// the line's reading (`12 34`); narrower gaps join the digits.
    public static let spaceGap = 1.2

    /// Every line of digits on `analysis`, top to bottom.
    ///
    /// `score` is called once for every candidate piece (with its normalised 28×28). With
    /// `rejecting`, pieces that the classifier calls no digit are left out of the reading.
    public static func read(_ analysis: PageAnalysis, rejecting: Bool = true, score: PieceScorer) -> NumberReading {
        let components = analysis.components.map(\.box)
        let groups = StrokeMerging.fragmentsJoined(components)
        let boxes = groups.map { group in analysis.box(of: group)! }
        var lines: [ReadLine] = []
        for line in InkLines.lines(of: boxes) {
            let glyphs = StrokeMerging.glyphs(line, boxes: boxes).map { members in
                (members: members.flatMap { groups[$0] }.sorted(),
                 box: members.dropFirst().reduce(boxes[members[0]]) { $0.union(boxes[$1]) })
            }
            let digitHeight = Self.digitHeight(glyphs.map(\.box.height))
            var digits: [ReadDigit] = []
            for glyph in glyphs where Double(glyph.box.height) >= markShare * Double(digitHeight) {
                digits += pieces(of: glyph.members, box: glyph.box, analysis: analysis, digitHeight: digitHeight, score: score)
            }
            if rejecting { digits.removeAll { !$0.score.isDigit } }
            guard !digits.isEmpty else { continue }
            for index in digits.indices.dropFirst() {
                let gap = digits[index].box.x - digits[index - 1].box.maxX
                digits[index].followsSpace = Double(gap) > spaceGap * Double(digitHeight)
            }
            lines.append(ReadLine(digits: digits, digitHeight: digitHeight))
        }
        return NumberReading(lines: lines)
    }

    /// The median height of the glyphs at least `tallShare` of the tallest.
    static func digitHeight(_ heights: [Int]) -> Int {
        let tallest = heights.max() ?? 0
        let tall = heights.filter { Double($0) >= tallShare * Double(tallest) }.sorted()
        return tall.isEmpty ? tallest : tall[tall.count / 2]
    }

    /// The digits of one glyph: itself, or the pieces that the best cuts give.
    static func pieces(of members: [Int], box: InkBox, analysis: PageAnalysis, digitHeight: Int,
                       score: PieceScorer) -> [ReadDigit] {
        let whole = box.x..<box.maxX
        let wholeScore = score(DigitNormalizer.normalize(analysis, components: members))
        let width = Double(box.width), height = Double(digitHeight)
        let doubtful = (!wholeScore.isDigit || wholeScore.confidence < doubtfulConfidence)
            && Double(box.height) >= doubtfulHeightShare * height
        guard width > splitWidthShare * height || (doubtful && width > doubtfulWidthShare * height) else {
            return [ReadDigit(box: box, components: members, columns: whole, score: wholeScore)]
        }
        let glyph = GlyphColumns(analysis, components: members, box: box)
        let edges = members.flatMap { [analysis.components[$0].box.x, analysis.components[$0].box.maxX] }
        let cuts = RecognitionSplit.candidateCuts(glyph, digitHeight: digitHeight, componentEdges: edges)
        let total = glyph.pixelCount
        var scored: [Int: (box: InkBox, score: PieceScore)?] = [:]
        func piece(_ start: Int, _ end: Int) -> (box: InkBox, score: PieceScore)? {
            if start == 0 && end == cuts.count - 1 { return (box, wholeScore) }
            let key = start * cuts.count + end
            if let known = scored[key] { return known }
            var result: (box: InkBox, score: PieceScore)?
            // A sliver of a neighbour's stroke is not worth reading.
            if let cut = PieceInk.ink(analysis, glyph: glyph, columns: cuts[start]..<cuts[end]),
               Double(cut.pixelCount) >= 0.03 * Double(total) {
                result = (cut.box, score(DigitNormalizer.normalize(ink: cut.ink, width: cut.box.width, height: cut.box.height)))
            }
            scored[key] = result
            return result
        }
        let cutInk = cuts.map { glyph.crossings(at: $0) }
        let path = RecognitionSplit.bestPath(cuts: cuts, cutInk: cutInk, digitHeight: digitHeight) { piece($0, $1)?.score }
        return zip(path, path.dropFirst()).compactMap { start, end in
            piece(start, end).map { ReadDigit(box: $0.box, components: members, columns: cuts[start]..<cuts[end], score: $0.score) }
        }
    }
}
