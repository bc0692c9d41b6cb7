// `digits read`: find and read every digit in a picture (a meter, a page number, a date), line
// by line, and show how it was read.

import ArgumentParser
import DigitData
import DigitRender
import Foundation
import NeuralNet
import PNG

struct Read: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read the whole numbers in pictures (PNG or JPEG): every digit, line by line.",
        discussion: """
            Prints which model answers, then one line a file: `path: 2024 (98.7%)`, the \
            confidence being the product of the digits' confidences, or `path: no digits`. \
            Digits that share rows are one line, read left to right; several lines are read top \
            to bottom and joined by a space (`path: 12 345`), and a gap wider than 1.2 times the \
            digit height inside a line is a space too. Dashes, dots and specks (shorter than \
            half the line's digits) and marks the model calls no digit are left out; digits \
            that touch are cut where the model reads them best. A folder stands for the PNG and \
            JPEG files in it. A file that cannot be read gets its own `error:` line and the \
            others go on; the exit code is 1 if any file failed ("no digits" is an answer).
            """
    )

    @Argument(help: ArgumentHelp("PNG or JPEG files, or folders of them.", valueName: "file-or-folder"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("A trained model checkpoint to use instead of the built-in one.", valueName: "file"))
    var model = ModelFile.builtInName

    @Flag(help: "Print one JSON object a line: file, text, confidence, model, and each digit's box (in the picture's own pixels), digit, confidence and top 3 alternatives; lines when there are several.")
    var json = false

    @Option(help: ArgumentHelp("Write, for each file, DIR/<name>.png: the picture with a box and the digit read over each piece (orange when under 80% sure) and the reading under it.", valueName: "dir"))
    var annotate: String?

    @Flag(name: .customLong("no-reject"), help: "Read every digit-sized mark as a digit, never leaving one out as \"not a digit\".")
    var noReject = false

    /// The longer side a large JPEG is decoded towards: larger than `classify`'s, so that the
    /// gap between two close digits stays a few pixels wide.
    static let workingSide = 1600
    /// A piece is left out as no digit only when the model gives that class at least this: in a
    /// number, a digit-sized mark among digits is most likely one (the model's own rule, "not a
    /// digit" above the best digit, left out narrow 1s and 4s).
    static let rejectAt = 0.8
    /// Below this a digit is drawn in the annotation's warning colour.
    static let sureConfidence = 0.8

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one PNG or JPEG file or folder") }
    }

    func run() throws {
        let classifier = try DigitClassifier(model: model, rejecting: !noReject)
        if let annotate { try OutputFolder.create(annotate) }
        if !json { print("model: \(classifier.name)") }
        try Classify.forEachPicture(in: paths) { file in
            let (picture, originalWidth, originalHeight) = try PictureFile.readWithOriginalSize(
                file, layout: .gray, minimumSide: Self.workingSide)
            let analysis = PageAnalysis.analyze(picture)
            let reading = NumberSegmenter.read(analysis, rejecting: !noReject) { Self.score($0, classifier: classifier) }
            let scale = (x: Double(originalWidth) / Double(max(1, picture.width)),
                         y: Double(originalHeight) / Double(max(1, picture.height)))
            print(json ? Self.jsonLine(file: file, reading: reading, scale: scale, model: classifier.name)
                       : "\(file): \(Self.verdict(reading))")
            if let annotate {
                let colour = try PictureFile.read(file, layout: .rgb, minimumSide: Self.workingSide)
                try Self.annotation(reading, on: colour).render().writePNG(to: Classify.picturePath(in: annotate, for: file))
            }
        }
    }

    /// The classifier's verdict on one piece, for the segmenter: the calibrated decision, the
    /// piece counted as a digit unless the model's "not a digit" class reaches `rejectAt`.
    static func score(_ pixels: [UInt8], classifier: DigitClassifier) -> PieceScore {
        let all = classifier.probabilities(for: pixels)
        let decision = classifier.calibration.decision(for: all, refusing: true)
        let digits = all.prefix(10)
        let ranked = digits.indices.sorted { digits[$0] != digits[$1] ? digits[$0] > digits[$1] : $0 < $1 }
        return PieceScore(digit: decision.guess, confidence: Double(decision.confidence),
                          isDigit: all.count <= 10 || Double(all[10]) < rejectAt,
                          alternatives: ranked.prefix(3).map { DigitAlternative(digit: $0, probability: Double(digits[$0])) })
    }

    /// `2024 (98.7%)` or `no digits`.
    static func verdict(_ reading: NumberReading) -> String {
        reading.digits.isEmpty ? "no digits" : "\(reading.text) (\(percent(reading.confidence, digits: 1)))"
    }

    /// The picture with each digit's box and the reading as its caption.
    static func annotation(_ reading: NumberReading, on picture: Image) -> ReadingPicture {
        let marks = reading.digits.map { digit in
            ReadingPicture.Mark(box: Rect(x: digit.box.x, y: digit.box.y, width: digit.box.width, height: digit.box.height),
                                label: String(digit.score.digit),
                                color: digit.score.confidence < sureConfidence ? .orange : .bluishGreen)
        }
        return ReadingPicture(width: picture.width, height: picture.height, rgb: picture.pixels, marks: marks,
                              caption: "read: \(verdict(reading))")
    }

    /// `{"file":…,"text":"2024","confidence":0.98,"model":…,"digits":[{"box":{…},"digit":2,…}]}`;
    /// boxes are in the picture's own pixels (a JPEG decoded at a reduced scale has its boxes
    /// scaled back); `lines` lists each line's text and confidence when there are several.
    static func jsonLine(file: String, reading: NumberReading, scale: (x: Double, y: Double), model: String) -> String {
        struct Box: Encodable { let x, y, width, height: Int }
        struct Alternative: Encodable { let digit: Int; let probability: Double }
        struct Digit: Encodable {
            let box: Box
            let digit: Int
            let confidence: Double
            let alternatives: [Alternative]
        }
        struct Line: Encodable { let text: String; let confidence: Double }
        struct Output: Encodable {
            let file: String
            let text: String
            let confidence: Double
            let model: String
            let digits: [Digit]
            let lines: [Line]?
        }
        func original(_ box: InkBox) -> Box {
            let left = Int((Double(box.x) * scale.x).rounded(.down)), top = Int((Double(box.y) * scale.y).rounded(.down))
            let right = Int((Double(box.maxX) * scale.x).rounded(.up)), bottom = Int((Double(box.maxY) * scale.y).rounded(.up))
            return Box(x: left, y: top, width: right - left, height: bottom - top)
        }
        let digits = reading.digits.map { digit in
            Digit(box: original(digit.box), digit: digit.score.digit, confidence: digit.score.confidence,
                  alternatives: digit.score.alternatives.map { Alternative(digit: $0.digit, probability: $0.probability) })
        }
        let output = Output(file: file, text: reading.text, confidence: reading.digits.isEmpty ? 0 : reading.confidence,
                            model: model, digits: digits,
                            lines: reading.lines.count > 1 ? reading.lines.map { Line(text: $0.text, confidence: $0.confidence) } : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(output)) ?? Data(), as: UTF8.self)
    }
}
