// `digits classify`: read people's own digit pictures and say which digit each one is.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet
import PNG

struct Classify: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify pictures of handwritten or printed digits (PNG or JPEG: photos, scans, drawings).",
        discussion: """
            Prints which model answers, then one line a file: `path: 7 (98.2%)`, or \
            `path: not a digit (best guess 4, 31.0%)` when the picture holds no digit (a blank \
            page, a letter, a scribble). The model is the one built into digits unless --model \
            names a trained checkpoint. A folder stands for the PNG and JPEG files in it. A \
            file that cannot be read gets its own `error:` line and the others go on; the exit \
            code is 1 if any file failed ("not a digit" is an answer, not a failure).
            """
    )

    @Argument(help: ArgumentHelp("PNG or JPEG files, or folders of them.", valueName: "file-or-folder"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("A trained model checkpoint to use instead of the built-in one.", valueName: "file"))
    var model = ModelFile.builtInName

    @Option(help: ArgumentHelp("Show the K most likely digits for each file.", valueName: "K"))
    var top = 1

    @OptionGroup var engine: EngineOption

    @Flag(help: "Print one JSON object a line: file, prediction (null for not a digit), confidence, probabilities, model.")
    var json = false

    @Flag(name: .customLong("no-reject"), help: "Always name a digit, never \"not a digit\" (unless the picture has no ink at all).")
    var noReject = false

    @Option(name: .customLong("show-input"),
            help: ArgumentHelp("Write, for each file, a strip of the steps from the picture to the 28×28 image the network saw into this folder.", valueName: "dir"))
    var showInput: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one PNG or JPEG file or folder") }
        guard (1...10).contains(top) else { throw ValidationError("--top must be between 1 and 10") }
    }

    func run() throws {
        let classifier = try DigitClassifier(model: model, rejecting: !noReject, engine: engine.engine)
        if let showInput { try OutputFolder.create(showInput) }
        if !json { print("model: \(classifier.name)") }
        try Self.forEachPicture(in: paths) { file in
            let ink = try PictureInk(file: file)
            let reading = DigitReading(ink, classifier: classifier)
            print(json ? Self.jsonLine(file: file, reading: reading, top: top, model: classifier.name)
                       : "\(file): \(reading.verdict(top: top))")
            if let showInput {
                try Pictures.inputSteps(ink, networkInput: reading.pixels)
                    .writePNG(to: Self.picturePath(in: showInput, for: file))
            }
        }
    }

    /// Runs `body` on each picture of `paths` (a folder stands for its pictures; a folder with
    /// none stays in the list, to get an error line of its own). A file whose `body` throws gets
    /// one `error:` line and the others go on; at the end the exit code is 1 if any failed.
    static func forEachPicture(in paths: [String], _ body: (String) throws -> Void) throws {
        var failures = 0
        for file in try paths.flatMap({ path in try expand([path]).nonEmpty ?? [path] }) {
            do {
                try body(file)
            } catch {
                failures += 1
                fflush(nil)
                FileHandle.standardError.write(Data("error: \(Digits.message(for: error))\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// `folder/NAME.png` for the picture `file` (its name without the folder and the ending).
    static func picturePath(in folder: String, for file: String) -> String {
        (folder as NSString).appendingPathComponent(((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".png")
    }

    /// The endings of the files a folder stands for.
    static let pictureExtensions = Set(PictureFile.fileExtensions)

    /// Files as given; a folder becomes its PNG and JPEG files in name order.
    static func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [path]
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { pictureExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted()
            return names.map { (path as NSString).appendingPathComponent($0) }
        }
    }

    /// `{"file":"a.png","prediction":7,"confidence":0.98,"probabilities":[…],"model":"built-in (…)"}`;
    /// for a picture that is no digit `prediction` is null, `reason` says why and `guess`
    /// is the most probable digit; `top` lists the `top` most probable digits when asked for
    /// more than one; `not_a_digit` is the probability of that class for a model that has it.
    static func jsonLine(file: String, reading: DigitReading, top: Int, model: String) -> String {
        struct Ranked: Encodable {
            let digit: Int
            let probability: Float
        }
        struct Line: Encodable {
            let file: String
            let prediction: Int?
            let confidence: Float
            let guess: Int?
            let reason: String?
            let probabilities: [Float]
            let notADigit: Float?
            let top: [Ranked]?
            let model: String

            enum CodingKeys: String, CodingKey {
                case file, prediction, confidence, guess, reason, probabilities, top, model
                case notADigit = "not_a_digit"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(file, forKey: .file)
                try container.encode(prediction, forKey: .prediction)  // null, not left out
                try container.encode(confidence, forKey: .confidence)
                try container.encodeIfPresent(guess, forKey: .guess)
                try container.encodeIfPresent(reason, forKey: .reason)
                try container.encode(probabilities, forKey: .probabilities)
                try container.encodeIfPresent(notADigit, forKey: .notADigit)
                try container.encodeIfPresent(top, forKey: .top)
                try container.encode(model, forKey: .model)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Line(file: file, prediction: reading.digit, confidence: reading.guess?.probability ?? 0,
                        guess: reading.guess?.label, reason: reading.reason, probabilities: reading.probabilities,
                        notADigit: reading.notADigitProbability,
                        top: top > 1 ? reading.ranked(top: top).map { Ranked(digit: $0.label, probability: $0.probability) } : nil,
                        model: model)
        return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
    }
}

extension Array {
    /// The array, or nil when it is empty.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
