// Runs the built `digits` executable as a subprocess, as a person would from a shell.

import Foundation

/// What one run of `digits` did.
struct ProcessResult {
    let status: Int32
    /// True when the process ended by a signal (a crash), not by exiting.
    let wasSignalled: Bool
    let standardOutput: String
    let standardError: String

    var outputLines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    var errorLines: [String] { standardError.split(separator: "\n").map(String.init) }
}

enum DigitsExecutable {
    /// The `digits` binary that `swift build` put beside the test bundle.
    static let url: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("digits")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/digits")
    }()

    /// The package's root folder (holding data/ and samples/).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// How many pictures (PNG and JPEG) the package's `samples/` folder holds.
    static var samplePictureCount: Int {
        let samples = packageRoot.appendingPathComponent("samples").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples)) ?? []
        return names.filter { ["png", "jpg"].contains(($0 as NSString).pathExtension) }.count
    }

    /// Runs `digits arguments…` in `directory` and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a chatty process cannot fill a pipe and stall.
        let errorData = ReadAll(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            wasSignalled: process.terminationReason == .uncaughtSignal,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.wait(), as: UTF8.self)
        )
    }
}

/// Reads a file handle to its end on a background thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A fresh temporary folder, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("digits-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fresh temporary folder for fixtures that a whole suite shares (a `static let`), which no
/// test can remove when it is done: it is removed when the test process exits.
func makeSharedTemporaryDirectory() -> URL {
    let url = try! makeTemporaryDirectory()
    SharedTemporaryDirectories.add(url.path)
    return url
}

/// The shared folders to remove at exit.
private enum SharedTemporaryDirectories {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: [String] = []
    private static let removalAtExit: Void = {
        atexit { SharedTemporaryDirectories.removeAll() }
    }()

    static func add(_ path: String) {
        lock.withLock {
            _ = removalAtExit
            paths.append(path)
        }
    }

    private static func removeAll() {
        lock.withLock {
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
            paths = []
        }
    }
}
