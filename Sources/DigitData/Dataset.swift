// Labelled digit images as bytes, and what training needs from them: Float batches written
// into a caller's buffer, a seeded shuffle, and smaller subsets.

import CIntrinsics

/// Images and their labels, kept as bytes (47 MB for MNIST's 60,000 training images).
///
/// Image `i` is `pixels[i * featureCount ..< (i + 1) * featureCount]`, row by row; 0 is
/// background and 255 full ink. Labels are 0…9.
public struct Dataset: Equatable, Sendable {
    public let count: Int
    public let imageWidth: Int
    public let imageHeight: Int
    /// `count × imageHeight × imageWidth` bytes.
    public let pixels: [UInt8]
    /// `count` labels, each 0…9.
    public let labels: [UInt8]

    /// Pixels a sample: the length of one input row.
    public var featureCount: Int { imageWidth * imageHeight }

    /// Wraps pixels and labels that agree (`pixels.count == labels.count × width × height`).
    public init(pixels: [UInt8], labels: [UInt8], imageWidth: Int = 28, imageHeight: Int = 28) {
        precondition(imageWidth > 0 && imageHeight > 0, "images need at least one pixel")
        precondition(pixels.count == labels.count * imageWidth * imageHeight,
                     "\(labels.count) images of \(imageWidth)×\(imageHeight) need \(labels.count * imageWidth * imageHeight) bytes, got \(pixels.count)")
        self.count = labels.count
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.pixels = pixels
        self.labels = labels
    }

    /// Loads an IDX image file and its IDX label file (each gzipped or plain), checking
    /// that they hold the same number of samples and that every label is a digit.
    public init(imagesAt imagesPath: String, labelsAt labelsPath: String) throws(DataError) {
        let images = try IDXReader.readImages(at: imagesPath)
        let labels = try IDXReader.readLabels(at: labelsPath)
        guard images.count == labels.count else {
            throw .countMismatch(imagesPath: imagesPath, images: images.count, labelsPath: labelsPath, labels: labels.count)
        }
        if let index = labels.firstIndex(where: { $0 > 9 }) {
            throw .invalidLabel(path: labelsPath, index: index, value: labels[index])
        }
        self.init(pixels: images.pixels, labels: labels, imageWidth: images.columns, imageHeight: images.rows)
    }

    /// The pixels of sample `index`, row by row.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "sample \(index) is outside 0..<\(count)")
        return pixels[index * featureCount..<(index + 1) * featureCount]
    }

    /// The label of sample `index`.
    public func label(at index: Int) -> Int {
        Int(labels[index])
    }

    // MARK: Batches

    /// Starts loading the images at `indices` into the CPU's caches and returns at once, so
    /// that a `fillBatch` for them soon after finds them there.
    ///
    /// A shuffled batch reads images from all over the 47 MB training set, which is not in
    /// cache; without this, converting a batch waited on one memory read after another, a
    /// quarter of the time of a 784-10-10 epoch. The trainer calls it for the next batch
    /// before it trains on the current one.
    public func prefetch(indices: ArraySlice<Int>) {
        pixels.withUnsafeBufferPointer { source in
            for index in indices where index >= 0 && index < count {
                prefetch_bytes_for_reading(source.baseAddress! + index * featureCount, featureCount)
            }
        }
    }

    /// Writes the samples at `indices` as rows of `inputs` (`[indices.count, featureCount]`,
    /// each pixel as `x / 255`) and their labels into `labels` (`indices.count` values).
    ///
    /// Both buffers belong to the caller, who reuses them from batch to batch.
    public func fillBatch(indices: [Int], inputs: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int>) {
        fillBatch(indices: indices[...], inputs: inputs, labels: labels)
    }

    /// `fillBatch` for a slice of indices, e.g. one batch of a shuffled order. (Concrete types,
    /// not `some Collection`: a generic function called from another module ran unspecialised,
    /// through witness tables and run-time metadata look-ups.)
    public func fillBatch(indices: ArraySlice<Int>, inputs: UnsafeMutablePointer<Float>,
                          labels labelOutput: UnsafeMutablePointer<Int>) {
        let width = featureCount
        pixels.withUnsafeBufferPointer { source in
            for (row, index) in zip(0..., indices) {
                precondition(index >= 0 && index < count, "sample \(index) is outside 0..<\(count)")
                let from = source.baseAddress! + index * width
                let to = inputs + row * width
                // x / 255: a plain loop, which the compiler turns into vector conversions and
                // divisions (a table look-up a pixel took four times as long).
                for pixel in 0..<width {
                    to[pixel] = Float(from[pixel]) / 255
                }
                labelOutput[row] = Int(labels[index])
            }
        }
    }

    // MARK: Shuffling and subsets

    /// The indices `0..<count` in an order drawn from `generator` by Fisher–Yates.
    ///
    /// The draws use only `generator.next()`, never the standard library's shuffle or
    /// bounded-random algorithms, so a seed gives the same order on every platform and
    /// Swift version.
    public func shuffledIndices(using generator: inout some RandomNumberGenerator) -> [Int] {
        var indices = Array(0..<count)
        var remaining = count
        while remaining > 1 {
            let pick = Int(Self.uniform(below: UInt64(remaining), using: &generator))
            remaining -= 1
            indices.swapAt(remaining, pick)
        }
        return indices
    }

    /// A uniform value in `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    static func uniform(below bound: UInt64, using generator: inout some RandomNumberGenerator) -> UInt64 {
        let threshold = (0 &- bound) % bound
        while true {
            let product = generator.next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return product.high }
        }
    }

    /// The samples in `range`, in order: a new data set holding a copy of their bytes
    /// (10,000 MNIST images are 7.8 MB, copied in milliseconds), indexed from 0.
    public func subset(_ range: Range<Int>) -> Dataset {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "\(range) is outside 0..<\(count)")
        return Dataset(pixels: Array(pixels[range.lowerBound * featureCount..<range.upperBound * featureCount]),
                       labels: Array(labels[range]), imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// The first `maxCount` samples (all of them if there are fewer).
    public func prefix(_ maxCount: Int) -> Dataset {
        subset(0..<min(max(maxCount, 0), count))
    }
}

