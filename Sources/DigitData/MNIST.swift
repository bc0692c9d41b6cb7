// The four standard MNIST files in a directory: their names, and loading them as data sets.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads MNIST's training or test set from the directory that holds the standard files
/// (`train-images-idx3-ubyte.gz` and so on, gzipped or not).
public enum MNIST {
    /// Where the project keeps the files.
    public static let defaultDirectory = "data/mnist"

    /// One of MNIST's two sets.
    public enum Split: String, Sendable, CaseIterable {
        /// 60,000 images.
        case training = "train"
        /// 10,000 images.
        case test = "t10k"

        public var imagesName: String { "\(rawValue)-images-idx3-ubyte" }
        public var labelsName: String { "\(rawValue)-labels-idx1-ubyte" }
    }

    /// Loads a split; its images must be 28×28.
    public static func load(_ split: Split, from directory: String = defaultDirectory) throws(DataError) -> Dataset {
        let imagesPath = try path(of: split.imagesName, in: directory)
        let labelsPath = try path(of: split.labelsName, in: directory)
        let dataset = try Dataset(imagesAt: imagesPath, labelsAt: labelsPath)
        guard dataset.imageWidth == 28, dataset.imageHeight == 28 else {
            throw .wrongImageSize(path: imagesPath, width: dataset.imageWidth, height: dataset.imageHeight)
        }
        return dataset
    }

    /// `directory/name.gz` if it exists, else `directory/name`.
    public static func path(of name: String, in directory: String) throws(DataError) -> String {
        let base = directory.hasSuffix("/") ? "\(directory)\(name)" : "\(directory)/\(name)"
        for candidate in ["\(base).gz", base] where access(candidate, F_OK) == 0 {
            return candidate
        }
        throw .missingFile(directory: directory, name: name)
    }
}
