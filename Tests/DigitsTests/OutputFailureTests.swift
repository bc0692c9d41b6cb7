// Writing where it cannot be done: an output folder under a file, a read-only folder, a full
// disk. Each gives one clear error line, and the model and pictures already there stay as they were.

import Foundation
import Testing

/// A tmpfs of `kilobytes` mounted on a fresh folder, for as long as the value lives; nil where
/// mounting is not allowed (not root, or no CAP_SYS_ADMIN in a container).
final class TinyDisk {
    let folder: URL

    /// Whether this machine lets the tests mount one (root in CI and on the project's machines).
    static let isAvailable: Bool = (try? TinyDisk(kilobytes: 8)) != nil

    init?(kilobytes: Int, readOnly: Bool = false) throws {
        folder = try makeTemporaryDirectory()
        let options = "size=\(kilobytes)k" + (readOnly ? ",ro" : "")
        guard Self.command("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder.path]) else {
            try? FileManager.default.removeItem(at: folder)
            return nil
        }
    }

    deinit {
        _ = Self.command("/bin/umount", [folder.path])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Fills the disk with one file so that no more can be written.
    func fill() {
        let path = folder.appendingPathComponent("filler").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        let block = Data(count: 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
    }

    /// The files on the disk and their bytes.
    func contents() throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != "filler" {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    private static func command(_ path: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite("Writing where it cannot be done")
struct OutputFailureTests {
    static let quickTraining = ["train", "--limit", "100", "--epochs", "1", "--hidden", "10"]

    /// One `error: …` line mentioning `text`, exit 1, no crash.
    func expectOneError(_ result: ProcessResult, mentioning text: String) {
        #expect(result.status == 1 && !result.wasSignalled)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.errorLines.first?.hasPrefix("error: ") == true)
        #expect(result.standardError.contains(text), "\(result.standardError)")
    }

    @Test func aFolderUnderAFileIsNamedBeforeTraining() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let underFile = file.appendingPathComponent("output").path

        let model = try DigitsExecutable.run(Self.quickTraining + ["--model", underFile + "/model.safetensors"])
        expectOneError(model, mentioning: "\(file.path) is a file, not a folder")
        #expect(!model.standardOutput.contains("epoch 1/1"), "refused before training")
        let pictures = try DigitsExecutable.run(["weights", "--model", TrainedModel.model, "--output", underFile])
        expectOneError(pictures, mentioning: "\(file.path) is a file, not a folder")
        let shown = try DigitsExecutable.run(["classify", "samples/7-grey.png", "--model", TrainedModel.model,
                                              "--show-input", file.path])
        expectOneError(shown, mentioning: "is a file, not a folder")
    }

    @Test func theMainJobCreatesAMissingOutputFolderForASavedModel() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("new/pictures")
        let result = try DigitsExecutable.run(["--model", TrainedModel.model, "--output", output.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("confusion.png").path))
    }

    @Test func aMissingFolderThatCannotBeCreatedIsOneErrorLine() throws {
        let result = try DigitsExecutable.run(["sheet", "--model", TrainedModel.model, "--output", "/proc/digits-test/out"])
        expectOneError(result, mentioning: "cannot create folder /proc/digits-test/out")
    }

    @Test(.enabled(if: TinyDisk.isAvailable, "needs to mount a tmpfs"))
    func aReadOnlyFolderIsRefusedBeforeTraining() throws {
        let disk = try #require(try TinyDisk(kilobytes: 64, readOnly: true))
        let result = try DigitsExecutable.run(Self.quickTraining + [
            "--model", disk.folder.appendingPathComponent("model.safetensors").path, "--output", disk.folder.path])
        expectOneError(result, mentioning: "cannot write into \(disk.folder.path): Read-only file system")
        #expect(!result.standardOutput.contains("epoch 1/1"))
    }

    @Test(.enabled(if: TinyDisk.isAvailable, "needs to mount a tmpfs"))
    func aFullDiskLeavesThePreviousModelAndPicturesAsTheyWere() throws {
        let disk = try #require(try TinyDisk(kilobytes: 96))
        let model = disk.folder.appendingPathComponent("model.safetensors").path
        let first = try DigitsExecutable.run(Self.quickTraining + ["--model", model, "--output", disk.folder.path])
        #expect(first.status == 0, "\(first.standardError)")
        let weights = try DigitsExecutable.run(["weights", "--model", model, "--output", disk.folder.path])
        #expect(weights.status == 0, "\(weights.standardError)")
        let before = try disk.contents()
        #expect(Set(before.keys) == ["model.safetensors", "training.png", "weights.png"])
        disk.fill()

        let retrain = try DigitsExecutable.run(Self.quickTraining + ["--seed", "2", "--model", model, "--output", disk.folder.path])
        expectOneError(retrain, mentioning: model)
        let redraw = try DigitsExecutable.run(["weights", "--model", TrainedModel.model, "--output", disk.folder.path])
        expectOneError(redraw, mentioning: "No space left on device")
        #expect(try disk.contents() == before, "same files, same bytes, no temporary files left")
    }
}
