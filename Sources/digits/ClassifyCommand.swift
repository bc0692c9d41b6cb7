// `digits classify`: read people's own digit pictures and say which digit each one is.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet
import PNG

struct Classify: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify PNG pictures of handwritten digits (dark ink on light paper, any size).",
        discussion: """
            Prints one line a file, `path: 7 (98.2%)`. A folder stands for the PNG files in it. \
            A file that cannot be read gets its own `error:` line and the others go on; the \
            exit code is 1 if any file failed.
            """
    )

    @Argument(help: ArgumentHelp("PNG files, or folders of PNG files.", valueName: "file-or-folder"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("The model checkpoint to use.", valueName: "file"))
    var model = "output/model.safetensors"

    @Option(help: ArgumentHelp("Show the K most likely digits for each file.", valueName: "K"))
    var top = 1

    @Flag(help: "Print one JSON object a line: file, prediction, probabilities.")
    var json = false

    @Option(name: .customLong("show-input"),
            help: ArgumentHelp("Write the 28×28 image the network saw for each file, enlarged, into this folder.", valueName: "dir"))
    var showInput: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one PNG file or folder") }
        guard (1...10).contains(top) else { throw ValidationError("--top must be between 1 and 10") }
    }

    func run() throws {
        let network = try ModelFile.load(model).network
        if let showInput { try OutputFolder.create(showInput) }
        var failures = 0
        // A folder with no PNG in it stays in the list, to get an error line of its own.
        let files = try paths.flatMap { path in try Self.expand([path]).nonEmpty ?? [path] }
        for file in files {
            do {
                let reading = try DigitReading(file: file, network: network)
                let ranked = reading.ranked(top: top)
                print(json ? Self.jsonLine(file: file, ranked: ranked, probabilities: reading.probabilities)
                           : "\(file): " + ranked.map { "\($0.label) (\(percent(Double($0.probability), digits: 1)))" }
                                .joined(separator: ", "))
                if let showInput {
                    try Self.networkView(of: reading.pixels).writePNG(to: (showInput as NSString).appendingPathComponent(
                        ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".png"))
                }
            } catch {
                failures += 1
                fflush(nil)
                FileHandle.standardError.write(Data("error: \(Digits.message(for: error))\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Files as given; a folder becomes its `.png` files in name order.
    static func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [path]
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.lowercased().hasSuffix(".png") }
                .sorted()
            return names.map { (path as NSString).appendingPathComponent($0) }
        }
    }

    /// `{"file":"a.png","prediction":7,"probabilities":[…]}` (and `top` when asked for).
    static func jsonLine(file: String, ranked: [Prediction], probabilities: [Float]) -> String {
        struct Line: Encodable {
            let file: String
            let prediction: Int
            let confidence: Float
            let probabilities: [Float]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Line(file: file, prediction: ranked[0].label, confidence: ranked[0].probability,
                        probabilities: probabilities)
        return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
    }

    /// The 28×28 input as the network sees it (ink bright on black), each pixel an 8×8 block.
    static func networkView(of pixels: [UInt8], scale: Int = 8) -> Image {
        let side = 28 * scale
        var enlarged = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side { enlarged[y * side + x] = pixels[(y / scale) * 28 + x / scale] }
        }
        return Image(width: side, height: side, layout: .gray, pixels: enlarged)
    }
}

extension Array {
    /// The array, or nil when it is empty.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
