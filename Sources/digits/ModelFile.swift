// Reading and writing the model checkpoint, with messages that say what to do next.

import BuiltInModel
import Foundation
import NeuralNet

enum ModelFile {
    /// What `--model` says to mean the model built into the executable.
    static let builtInName = "builtin"

    /// The checkpoint at `path` (or the built-in one for `builtin`), or a one-line error that
    /// says how to make one.
    static func load(_ path: String) throws -> Checkpoint {
        if path == builtInName { return try builtIn() }
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuntimeError("no model at \(path): run `digits train` (or `digits`) first, or pass --model FILE")
        }
        return try checkedForDigits(try Checkpoint.read(from: URL(fileURLWithPath: path)), source: path)
    }

    /// The model compiled into the executable (see bench/make_builtin_model.sh).
    static func builtIn() throws -> Checkpoint {
        let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: digits_builtin_model_bytes()),
                         count: digits_builtin_model_count(), deallocator: .none)
        return try checkedForDigits(try Checkpoint.decode(bytes, path: "the built-in model"), source: "the built-in model")
    }

    /// `checkpoint`, if it reads 28×28 pictures into ten digits (and perhaps "not a digit").
    private static func checkedForDigits(_ checkpoint: Checkpoint, source: String) throws -> Checkpoint {
        guard checkpoint.network.inputCount == 784, [10, 11].contains(checkpoint.network.outputCount) else {
            throw RuntimeError("\(source): the model takes \(checkpoint.network.inputCount) inputs and gives "
                + "\(checkpoint.network.outputCount) outputs, not 784 and 10 (or 11 with \"not a digit\"): it is not a digit model")
        }
        return checkpoint
    }

    /// How to name a model in output: `the built-in model` or its path, with its network and
    /// the test accuracy its training recorded.
    static func describe(_ checkpoint: Checkpoint, source: String) -> String {
        let name = source == builtInName ? "built-in" : source
        let accuracy = checkpoint.training?.testAccuracy.map { ", MNIST test \(percent($0))" } ?? ""
        return "\(name) (\(checkpoint.network.shapeDescription)\(accuracy))"
    }

    /// Writes `checkpoint` atomically, creating the folder when needed.
    static func save(_ checkpoint: Checkpoint, to path: String) throws {
        try OutputFolder.create(for: path)
        try checkpoint.write(to: URL(fileURLWithPath: path))
    }
}

extension Network {
    /// `784-256-128-10`: the widths of the dense layers, input first (with convolutions and
    /// pooling as `conv5x5x32` and `pool2`).
    var shapeDescription: String { description }
}

enum OutputFolder {
    /// Creates the folder that will hold `filePath`, with a one-line error if that fails.
    static func create(for filePath: String) throws {
        let folder = (filePath as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        try create(folder)
    }

    /// Creates `folder` (and its parents) unless it exists, and checks that a file can be
    /// created in it, so that a command fails before its work rather than after it. The
    /// messages name the part of the path that is in the way.
    static func create(_ folder: String) throws {
        var path = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/", omittingEmptySubsequences: true) {
            path = path.isEmpty || path.hasSuffix("/") ? path + component : path + "/" + component
            var status = stat()
            if stat(path, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw RuntimeError("cannot write into \(folder): \(path) is a file, not a folder")
                }
                continue
            }
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                throw RuntimeError("cannot create folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
        let probe = (folder as NSString).appendingPathComponent(".digits-write-test-\(getpid())")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw RuntimeError("cannot write into \(folder): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe)
    }
}
