// Ctrl-C and SIGTERM sent to a running `digits train`, and `digits train --resume`: the last
// finished epoch is saved with the optimiser state, and resuming ends with the same file as a
// run that was never interrupted.

import Foundation
import Testing

/// A `digits` process that the test talks to while it runs: waits for a line, sends a signal.
final class RunningDigits {
    private let process = Process()
    private let output = Pipe()
    private let errors: ReadAll
    private var received = Data()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = DigitsExecutable.url
        process.arguments = arguments
        process.currentDirectoryURL = DigitsExecutable.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        errors = ReadAll(error.fileHandleForReading)
    }

    /// Reads standard output until a line starts with `prefix`; false if the output ends first.
    func waitForLine(startingWith prefix: String) -> Bool {
        while true {
            let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
            if lines.contains(where: { $0.hasPrefix(prefix) }) { return true }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return false }
            received += more
        }
    }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns everything it printed.
    func finish() -> ProcessResult {
        received += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            wasSignalled: process.terminationReason == .uncaughtSignal,
            standardOutput: String(decoding: received, as: UTF8.self),
            standardError: String(decoding: errors.wait(), as: UTF8.self))
    }
}

@Suite("Interrupting and resuming digits train")
struct InterruptTests {
    static let settings = ["--limit", "300", "--epochs", "3", "--hidden", "16", "--seed", "5"]

    /// `digits train` with the suite's settings into `folder`, its model named `name`.
    static func trainArguments(_ folder: URL, _ name: String) -> [String] {
        ["train"] + settings + ["--model", folder.appendingPathComponent("\(name).safetensors").path,
                                "--output", folder.appendingPathComponent(name).path]
    }

    /// Starts training paused after `epoch` (0: before the first), sends `signal` there and
    /// returns what the run printed.
    static func interrupt(_ arguments: [String], after epoch: Int, with signal: Int32) throws -> ProcessResult {
        let run = try RunningDigits(arguments, environment: ["DIGITS_TEST_PAUSE_AFTER_EPOCH": "\(epoch)"])
        let paused = run.waitForLine(startingWith: "paused after epoch \(epoch)")
        if paused { run.send(signal) }
        let result = run.finish()
        #expect(paused, "the run never paused: \(result.standardOutput) \(result.standardError)")
        return result
    }

    @Test func ctrlCAfterAnEpochSavesItAndResumingGivesTheUninterruptedModel() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let uninterrupted = try DigitsExecutable.run(Self.trainArguments(folder, "whole"))
        #expect(uninterrupted.status == 0)

        let model = folder.appendingPathComponent("parts.safetensors")
        let stopped = try Self.interrupt(Self.trainArguments(folder, "parts"), after: 1, with: SIGINT)
        #expect(stopped.status == 130 && !stopped.wasSignalled)
        #expect(stopped.outputLines.filter { $0.hasPrefix("epoch ") }.count == 1)
        let resumeCommand = "digits train --resume --model \(model.path) --output \(folder.appendingPathComponent("parts").path)"
        #expect(stopped.errorLines == ["interrupted: saved epoch 1 of 3 to \(model.path); resume with: \(resumeCommand)"])
        let saved = try Data(contentsOf: model)
        #expect(saved.range(of: Data("optimizer.second_moment.0".utf8)) != nil, "Adam's state is saved with the weights")

        let resumed = try DigitsExecutable.run(Array(resumeCommand.split(separator: " ").dropFirst().map(String.init)))
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("resuming after epoch 1 of 3"))
        #expect(resumed.outputLines.filter { $0.hasPrefix("epoch ") }.map { $0.prefix(9) } == ["epoch 2/3", "epoch 3/3"])
        let whole = try Data(contentsOf: folder.appendingPathComponent("whole.safetensors"))
        #expect(try Data(contentsOf: model) == whole, "the same bytes: weights, layers and training summary")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("parts/training.png").path))
    }

    @Test func sigtermSavesTheLastEpochToo() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stopped = try Self.interrupt(Self.trainArguments(folder, "model"), after: 2, with: SIGTERM)
        #expect(stopped.status == 130 && !stopped.wasSignalled)
        #expect(stopped.errorLines.count == 1)
        #expect(stopped.standardError.hasPrefix("interrupted: saved epoch 2 of 3 to "))
    }

    @Test func ctrlCBeforeTheFirstEpochEndsLeavesThePreviousModelAlone() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.safetensors")
        let previous = Data("the previous model".utf8)
        try previous.write(to: model)
        let stopped = try Self.interrupt(Self.trainArguments(folder, "model"), after: 0, with: SIGINT)
        #expect(stopped.status == 130 && !stopped.wasSignalled)
        #expect(stopped.errorLines == ["interrupted during epoch 1 of 3: no epoch finished, nothing saved"])
        #expect(try Data(contentsOf: model) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["model", "model.safetensors"])
    }

    // MARK: --resume refusals

    @Test func resumingAFinishedRunSaysThereIsNothingToResume() throws {
        let result = try DigitsExecutable.run(["train", "--resume", "--model", TrainedModel.model])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.contains("holds a finished run, not an interrupted one"))
    }

    @Test func resumingWithOtherSettingsOrWithoutAModelIsRefused() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stopped = try Self.interrupt(Self.trainArguments(folder, "model"), after: 1, with: SIGINT)
        #expect(stopped.status == 130)
        let model = folder.appendingPathComponent("model.safetensors").path
        let otherSettings = try DigitsExecutable.run(["train", "--resume", "--model", model, "--epochs", "7"])
        #expect(otherSettings.status == 1)
        #expect(otherSettings.standardError.contains("leave out the other training options"))
        let otherLimit = try DigitsExecutable.run(["train", "--resume", "--model", model, "--limit", "200"])
        #expect(otherLimit.status == 1)
        #expect(otherLimit.standardError.contains("trained on 300 images"))
        let missing = try DigitsExecutable.run(["train", "--resume", "--model", folder.appendingPathComponent("none").path])
        #expect(missing.status == 1 && missing.errorLines.count == 1)
        #expect(missing.standardError.contains("no model at"))
    }
}
