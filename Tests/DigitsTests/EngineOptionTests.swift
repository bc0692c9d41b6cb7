// `--engine reference|fast` end to end: a model trained by the reference engine is written as
// the fast engine writes one, and either engine reads it to the same answers.

import Foundation
import Testing

/// One small MLP trained by each engine with the same settings, shared by the suite.
enum EngineModels {
    static let folder = makeSharedTemporaryDirectory()
    static let settings = ["--limit", "300", "--epochs", "2", "--hidden", "12", "--seed", "5"]

    static func path(_ engine: String) -> String { folder.appendingPathComponent("\(engine).safetensors").path }

    static let reference: ProcessResult = try! train("reference")
    static let fast: ProcessResult = try! train("fast")

    private static func train(_ engine: String) throws -> ProcessResult {
        try DigitsExecutable.run(["train", "--engine", engine] + settings
                                 + ["--model", path(engine), "--output", folder.appendingPathComponent(engine).path])
    }
}

/// The epoch lines without their timing (`, 0.12 s (2.5k samples/s)`).
private func epochFigures(_ result: ProcessResult) -> [String] {
    result.outputLines.filter { $0.hasPrefix("epoch ") }.map { line in
        line.components(separatedBy: "%, ").dropLast().joined(separator: "%, ") + "%"
    }
}

@Suite("--engine", .serialized)
struct EngineOptionTests {
    // MARK: train

    @Test func theReferenceTrainsAndWritesACheckpoint() throws {
        let result = EngineModels.reference
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("training 784-12-10 with adam"))
        #expect(result.outputLines.filter { $0.hasPrefix("epoch ") }.count == 2)
        #expect(result.outputLines.last?.hasPrefix("saved \(EngineModels.path("reference")) (784-12-10") == true)
        #expect(FileManager.default.fileExists(atPath: EngineModels.path("reference")))
    }

    @Test func bothEnginesTrainTheSameRunToThePrintedPrecision() throws {
        #expect(EngineModels.fast.status == 0)
        let reference = epochFigures(EngineModels.reference)
        #expect(reference.count == 2)
        #expect(reference == epochFigures(EngineModels.fast))
    }

    // MARK: evaluate and classify

    @Test func bothEnginesEvaluateTheReferenceCheckpointAlike() throws {
        #expect(EngineModels.reference.status == 0)
        var reports: [[String]] = []
        for engine in ["fast", "reference"] {
            let output = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let result = try DigitsExecutable.run(["evaluate", "--engine", engine, "--limit", "200",
                                                   "--model", EngineModels.path("reference"), "--output", output.path])
            #expect(result.status == 0, "\(result.standardError)")
            reports.append(result.outputLines.filter { !$0.hasPrefix("wrote ") && !$0.hasPrefix("loaded ") })
        }
        #expect(reports[0].first?.hasPrefix("784-12-10: ") == true && reports[0].first?.contains("of 200 test images correct, accuracy") == true)
        #expect(reports[0] == reports[1], "the accuracy, the table, the matrix and the confidence lines")
    }

    @Test func bothEnginesClassifyTheSamplesAlike() throws {
        #expect(EngineModels.reference.status == 0)
        let samples = DigitsExecutable.packageRoot.appendingPathComponent("samples").path
        let answers = try ["fast", "reference"].map { engine in
            try DigitsExecutable.run(["classify", "--engine", engine, "--top", "2", samples,
                                      "--model", EngineModels.path("reference")])
        }
        #expect(answers[0].status == 0 && answers[1].status == 0, "\(answers[1].standardError)")
        #expect(answers[0].outputLines.count > 10)
        #expect(answers[0].outputLines == answers[1].outputLines, "each file's digits and confidences as printed")
    }

    // MARK: Bad options

    @Test(arguments: ["train", "evaluate", "classify", "bench"])
    func anUnknownEngineIsAUsageError(command: String) throws {
        let result = try DigitsExecutable.run([command, "--engine", "bogus"] + (command == "classify" ? ["x.png"] : []))
        #expect(result.status != 0 && result.status != 1, "usage errors keep the parser's exit code")
        #expect(result.standardError.contains("bogus"))
    }

    @Test(arguments: [["--augment"], ["--resume"]])
    func whatTheReferenceCannotDoIsOneErrorLine(arguments: [String]) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try DigitsExecutable.run(["train", "--engine", "reference", "--limit", "50"] + arguments
                                              + ["--model", folder.appendingPathComponent("m.safetensors").path,
                                                 "--output", folder.path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: --engine reference cannot \(arguments[0])") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.safetensors").path))
    }

    // MARK: bench

    @Test func benchPrintsARowForEachEngine() throws {
        let result = try DigitsExecutable.run([
            "bench", "--networks", "784-10-10", "--epochs", "1", "--inference-passes", "1", "--threads", "1",
            "--reference-images", "100",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("reference engine: first 100 training and 100 test images"))
        #expect(result.outputLines.filter { $0.hasPrefix("784-10-10") }.map { $0.split(separator: " ")[1] } == ["fast", "reference"])
        let json = try DigitsExecutable.run([
            "bench", "--networks", "784-10-10", "--epochs", "1", "--inference-passes", "1", "--engine", "reference",
            "--reference-images", "100", "--json",
        ])
        #expect(json.status == 0, "\(json.standardError)")
        #expect(json.outputLines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.outputLines[0].utf8)) as? [String: Any]
        #expect(object?["engine"] as? String == "reference")
        #expect((object?["train_samples_per_s"] as? NSNumber)?.doubleValue ?? 0 > 0)
    }
}
