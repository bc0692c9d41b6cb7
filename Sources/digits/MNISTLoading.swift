// Loading the bundled MNIST files, saying what is happening while it happens.

import DigitData
import Foundation

enum MNISTLoading {
    /// The training or test split from `directory`, the first `limit` images when given.
    static func load(_ split: MNIST.Split, from directory: String, limit: Int? = nil, quiet: Bool = false) throws -> Dataset {
        let start = Date()
        let dataset = try MNIST.load(split, from: directory)
        let result = limit.map { dataset.prefix($0) } ?? dataset
        if !quiet {
            let name = split == .training ? "training" : "test"
            print("loaded \(result.count) \(name) images from \(directory) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        }
        return result
    }
}
