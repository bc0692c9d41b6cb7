// End-to-end runs of the `digits` executable: every command, its output lines, exit codes
// and the files it writes, on a small model trained on a subset of MNIST.

import Foundation
import NeuralNet
import PNG
import Testing

/// A small model trained once for the whole suite: 784-10-10 on 600 images for 2 epochs.
enum TrainedModel {
    static let folder: URL = {
        let folder = makeSharedTemporaryDirectory()
        let result = try! DigitsExecutable.run([
            "train", "--limit", "600", "--epochs", "2", "--hidden", "10",
            "--model", folder.appendingPathComponent("model.safetensors").path,
            "--output", folder.path,
        ])
        precondition(result.status == 0, "training the suite's model failed: \(result.standardError)")
        return folder
    }()
    static var model: String { folder.appendingPathComponent("model.safetensors").path }
    /// The test accuracy the model's training recorded.
    static var testAccuracy: Double? {
        (try? Checkpoint.read(from: URL(fileURLWithPath: model)))?.training?.testAccuracy
    }
    static let trainOutput: ProcessResult = try! DigitsExecutable.run([
        "train", "--limit", "300", "--epochs", "3", "--hidden", "16,8", "--seed", "7",
        "--model", folder.appendingPathComponent("second.safetensors").path,
        "--output", folder.appendingPathComponent("second").path,
    ])
}

private func pngSize(_ path: String) throws -> (Int, Int) {
    let image = try Image(contentsOfPNGFile: path, layout: .rgb)
    return (image.width, image.height)
}

@Suite("digits train")
struct TrainCommandTests {
    @Test func writesTheModelAndChartAndPrintsOneLineAnEpoch() throws {
        let result = TrainedModel.trainOutput
        #expect(result.status == 0)
        let epochLines = result.outputLines.filter { $0.hasPrefix("epoch ") }
        #expect(epochLines.count == 3, "not a terminal, so one plain line an epoch: \(result.standardOutput)")
        #expect(epochLines.allSatisfy { $0.contains("loss") && $0.contains("test accuracy") })
        #expect(result.standardOutput.contains("training 784-16-8-10"))
        #expect(!result.standardOutput.contains("\u{1B}["), "no terminal control codes in a pipe")
        let folder = TrainedModel.folder
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("second.safetensors").path))
        let (width, height) = try pngSize(folder.appendingPathComponent("second/training.png").path)
        #expect(width > 400 && height > 200)
    }

    @Test func sameSeedGivesTheSameModelFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["a", "b"] {
            let result = try DigitsExecutable.run([
                "train", "--limit", "200", "--epochs", "1", "--hidden", "8", "--seed", "3",
                "--model", folder.appendingPathComponent("\(name).safetensors").path, "--output", folder.path,
            ])
            #expect(result.status == 0)
        }
        let a = try Data(contentsOf: folder.appendingPathComponent("a.safetensors"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b.safetensors"))
        #expect(a == b)
    }

    @Test(arguments: [
        ["--epochs", "0"], ["--hidden", "12,x"], ["--batch-size", "0"], ["--learning-rate", "-1"],
        ["--optimizer", "rmsprop"], ["--schedule", "sometimes"], ["--limit", "0"],
    ])
    func rejectsBadOptionsAsUsageErrors(arguments: [String]) throws {
        let result = try DigitsExecutable.run(["train"] + arguments)
        #expect(result.status != 0 && result.status != 1, "usage errors keep the parser's exit code")
        #expect(!result.wasSignalled)
        #expect(result.standardError.contains("Error") || result.standardError.contains("error"))
    }

    @Test func missingDataIsOneErrorLine() throws {
        let result = try DigitsExecutable.run(["train", "--data", "/nonexistent/mnist", "--epochs", "1"])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: ") == true)
        #expect(result.standardError.contains("/nonexistent/mnist"))
    }
}

@Suite("digits evaluate")
struct EvaluateCommandTests {
    @Test func printsAccuracyTableAndDrawsTheConfusionMatrix() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try DigitsExecutable.run(["evaluate", "--model", TrainedModel.model, "--output", output.path,
                                               "--limit", "500"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.contains { $0.contains("of 500 test images correct, accuracy") })
        #expect(result.outputLines.contains { $0.hasPrefix("digit  precision  recall") })
        #expect(result.outputLines.contains { $0.contains("confusion matrix") })
        let (width, height) = try pngSize(output.appendingPathComponent("confusion.png").path)
        #expect(width > 300 && height > 300)
    }

    @Test func missingModelSaysHowToMakeOne() throws {
        let result = try DigitsExecutable.run(["evaluate", "--model", "/nonexistent/model.safetensors"])
        #expect(result.status == 1)
        #expect(result.errorLines == ["error: no model at /nonexistent/model.safetensors: run `digits train` (or `digits`) first, or pass --model FILE"])
    }

    @Test func corruptModelIsOneErrorLine() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.safetensors").path
        try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: path))
        let result = try DigitsExecutable.run(["evaluate", "--model", path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: \(path)") == true)
    }
}

@Suite("digits classify")
struct ClassifyCommandTests {
    let samples = DigitsExecutable.packageRoot.appendingPathComponent("samples").path

    @Test func oneLineAFileForAFolder() throws {
        let result = try DigitsExecutable.run(["classify", samples, "--model", TrainedModel.model])
        #expect(result.status == 0, "\(result.standardError)")
        let pictures = try FileManager.default.contentsOfDirectory(atPath: samples)
            .filter { ["png", "jpg"].contains(($0 as NSString).pathExtension) }
        #expect(result.outputLines.count == pictures.count + 1)
        #expect(result.outputLines.first == "model: \(TrainedModel.model) (784-10-10, MNIST test "
                + "\(String(format: "%.2f", 100 * (TrainedModel.testAccuracy ?? 0)))%)")
        let pattern = /^.+\.(png|jpg): (\d \(\d{1,3}\.\d%\)|not a digit \(.+\))$/
        #expect(result.outputLines.dropFirst().allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(result.outputLines)")
    }

    @Test func topKListsKDigitsMostLikelyFirst() throws {
        let file = samples + "/7-grey.png"
        let result = try DigitsExecutable.run(["classify", file, "--top", "3", "--model", TrainedModel.model])
        #expect(result.status == 0)
        let line = try #require(result.outputLines.last)
        let percents = line.matches(of: /(\d) \((\d+\.\d)%\)/).map { Double($0.output.2)! }
        #expect(percents.count == 3)
        #expect(percents == percents.sorted(by: >))
    }

    @Test func jsonIsOneObjectALineWithTenProbabilities() throws {
        let result = try DigitsExecutable.run(["classify", samples + "/3-interlaced.png", samples + "/0-grey.png",
                                               "--json", "--model", TrainedModel.model])
        #expect(result.status == 0)
        #expect(result.outputLines.count == 2)
        for line in result.outputLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let probabilities = try #require(object["probabilities"] as? [Double])
            #expect(probabilities.count == 10)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
            let prediction = try #require(object["prediction"] as? Int)
            #expect(probabilities[prediction] == probabilities.max())
            #expect((object["file"] as? String)?.hasSuffix(".png") == true)
        }
    }

    @Test func aBadFileGetsItsOwnErrorLineAndTheOthersGoOn() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = samples + "/1-transparent.png"
        let text = folder.appendingPathComponent("notes.png")
        try Data("hello".utf8).write(to: text)
        let blank = folder.appendingPathComponent("blank.png")
        try Image(width: 40, height: 30, layout: .gray, filledWith: 250).writePNG(to: blank.path)
        let result = try DigitsExecutable.run(["classify", text.path, good, blank.path, "/nonexistent.png",
                                               "--model", TrainedModel.model])
        #expect(result.status == 1)
        #expect(!result.wasSignalled)
        #expect(result.outputLines.count == 3 && result.outputLines[1].hasPrefix(good + ": "))
        #expect(result.outputLines[2] == "\(blank.path): not a digit (no ink found)", "a blank page is an answer, not an error")
        #expect(result.errorLines.count == 2)
        #expect(result.errorLines.allSatisfy { $0.hasPrefix("error: ") })
    }
}

@Suite("digits sheet and weights")
struct PictureCommandTests {
    @Test func sheetHonoursCountAndColumns() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let small = try DigitsExecutable.run(["sheet", "--count", "6", "--columns", "3", "--model", TrainedModel.model,
                                              "--output", output.path])
        #expect(small.status == 0, "\(small.standardError)")
        let (smallWidth, smallHeight) = try pngSize(output.appendingPathComponent("contact-sheet.png").path)
        let wide = try DigitsExecutable.run(["sheet", "--count", "12", "--columns", "6", "--random", "--errors-only",
                                             "--model", TrainedModel.model, "--output", output.path])
        #expect(wide.status == 0, "\(wide.standardError)")
        let (wideWidth, wideHeight) = try pngSize(output.appendingPathComponent("contact-sheet.png").path)
        #expect(wideWidth > smallWidth, "6 columns are wider than 3")
        #expect(wideHeight == smallHeight, "both have two rows")
    }

    @Test func weightsDrawOneTileAHiddenUnit() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try DigitsExecutable.run(["weights", "--model", TrainedModel.model, "--output", output.path])
        #expect(result.status == 0)
        #expect(result.outputLines.last == "wrote \(output.path)/weights.png")
        let (width, height) = try pngSize(output.appendingPathComponent("weights.png").path)
        #expect(width > 5 * 28 && height > 2 * 28)
    }

    @Test func unwritableOutputIsOneErrorLine() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data().write(to: file)
        let result = try DigitsExecutable.run(["weights", "--model", TrainedModel.model, "--output", file.path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1 && result.errorLines[0].hasPrefix("error: "))
    }
}

@Suite("digits (the main job)")
struct MainJobTests {
    @Test func reusesTheSavedModelDrawsEverythingAndClassifiesTheSamples() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let model = output.appendingPathComponent("model.safetensors").path
        try FileManager.default.copyItem(atPath: TrainedModel.model, toPath: model)
        let result = try DigitsExecutable.run(["--model", model, "--output", output.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("using the saved model \(model)"))
        #expect(result.outputLines.contains { $0.hasPrefix("test accuracy: ") })
        #expect(result.outputLines.contains { $0.contains("of \(DigitsExecutable.samplePictureCount) right in samples/") })
        for picture in ["contact-sheet.png", "weights.png", "confusion.png"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(picture).path), "\(picture)")
        }
    }

    @Test func helpListsEveryCommand() throws {
        let result = try DigitsExecutable.run(["--help"])
        #expect(result.status == 0)
        for command in ["train", "evaluate", "classify", "sheet", "weights"] {
            #expect(result.standardOutput.contains(command))
        }
    }
}

@Suite("digits bench")
struct BenchCommandTests {
    @Test func printsOneJSONObjectANetworkWithTheAgreedKeys() throws {
        let result = try DigitsExecutable.run([
            "bench", "--networks", "784-10-10", "--epochs", "1", "--batch-size", "256", "--threads", "1", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.outputLines[0].utf8)) as? [String: Any]
        #expect(object?["network"] as? String == "784-10-10")
        #expect(object?["batch"] as? Int == 256)
        #expect(object?["threads"] as? Int == 1)
        for key in ["train_samples_per_s", "infer_samples_per_s", "infer_fastest_samples_per_s", "epoch_seconds"] {
            #expect((object?[key] as? NSNumber)?.doubleValue ?? 0 > 0, "\(key)")
        }
    }

    @Test(arguments: [["--threads", "3"], ["--networks", "784-x-10"], ["--networks", "100-10-10"], ["--epochs", "0"],
                      ["--inference-passes", "0"]])
    func rejectsBadOptionsAsUsageErrors(_ arguments: [String]) throws {
        let result = try DigitsExecutable.run(["bench"] + arguments)
        #expect(result.status != 0 && result.status != 1, "usage errors keep the parser's exit code")
    }
}
