// Loading the bundled MNIST files, saying what is happening while it happens.

import DigitData
import Foundation
import NeuralNet

enum MNISTLoading {
    /// The training or test split from `directory`, the first `limit` images when given.
    static func load(_ split: MNIST.Split, from directory: String, limit: Int? = nil, quiet: Bool = false) throws -> Dataset {
        let start = Date()
        let dataset = try MNIST.load(split, from: directory)
        let result = limit.map { dataset.prefix($0) } ?? dataset
        if !quiet { report(result, split, from: directory, seconds: Date().timeIntervalSince(start)) }
        return result
    }

    /// The line that says a split has loaded.
    private static func report(_ dataset: Dataset, _ split: MNIST.Split, from directory: String, seconds: Double) {
        let name = split == .training ? "training" : "test"
        print("loaded \(dataset.count) \(name) images from \(directory) in \(String(format: "%.2f", seconds)) s")
    }

    /// The training split (the first `limit` images when given) and the test split, decoded at
    /// the same time on two threads: unzipping the 47 MB of training images takes 0.2 s, a
    /// tenth of a fast training run, and the test images can come in meanwhile. Prints the
    /// same two lines as two `load` calls; a failure reports the training split's first.
    static func loadTrainingAndTest(from directory: String, limit: Int? = nil) throws -> (training: Dataset, test: Dataset) {
        let start = Date()
        let results = SplitResults()
        parallelFor(2) { part in
            let split: MNIST.Split = part == 0 ? .training : .test
            let result = Result { try MNIST.load(split, from: directory) }
            results.store(result, for: split, seconds: Date().timeIntervalSince(start))
        }
        let training = try results.training!.result.get()
        let test = try results.test!.result.get()
        let limited = limit.map { training.prefix($0) } ?? training
        report(limited, .training, from: directory, seconds: results.training!.seconds)
        report(test, .test, from: directory, seconds: results.test!.seconds)
        return (limited, test)
    }
}

/// What the two loading threads found; each writes its own field.
private final class SplitResults: @unchecked Sendable {
    var training: (result: Result<Dataset, any Error>, seconds: Double)?
    var test: (result: Result<Dataset, any Error>, seconds: Double)?

    func store(_ result: Result<Dataset, any Error>, for split: MNIST.Split, seconds: Double) {
        if split == .training { training = (result, seconds) } else { test = (result, seconds) }
    }
}
