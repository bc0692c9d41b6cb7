// Training samples beyond MNIST: printed digits and pictures that are no digit at all (label
// 10), so a network learns what fonts look like and when to say "not a digit". They are made
// by bench/realworld/make_training_extras.py and kept in data/extra/ (see its README).

import PNG

/// Loads the extra training samples and normalises each as a user's picture is normalised.
public enum ExtraSamples {
    /// Where the project keeps them.
    public static let defaultDirectory = "data/extra"
    /// The label of a sample that is no digit.
    public static let notADigitLabel: UInt8 = 10
    /// The file names, without `.gz`, in the directory.
    public static let imagesName = "extra-images-idx3-ubyte"
    public static let labelsName = "extra-labels-idx1-ubyte"

    /// The samples in `directory` as 28×28 MNIST-style images with labels 0…10.
    ///
    /// The files hold clean pictures of any size (bright ink on black); each goes through
    /// `DigitNormalizer.normalizeClean`, the MNIST steps a user's picture takes after page
    /// analysis. A picture with no ink is left out.
    public static func load(from directory: String = defaultDirectory) throws(DataError) -> Dataset {
        let imagesPath = try MNIST.path(of: imagesName, in: directory)
        let labelsPath = try MNIST.path(of: labelsName, in: directory)
        let images = try IDXReader.readImages(at: imagesPath)
        let labels = try IDXReader.readLabels(at: labelsPath)
        guard images.count == labels.count else {
            throw .countMismatch(imagesPath: imagesPath, images: images.count, labelsPath: labelsPath, labels: labels.count)
        }
        if let index = labels.firstIndex(where: { $0 > notADigitLabel }) {
            throw .unreadable(path: labelsPath, reason: "label \(labels[index]) at index \(index) is neither a digit 0–9 nor 10 (no digit)")
        }
        let side = DigitNormalizer.side
        let pictureBytes = images.rows * images.columns
        var pixels: [UInt8] = []
        var kept: [UInt8] = []
        pixels.reserveCapacity(images.count * side * side)
        for index in 0..<images.count {
            let start = index * pictureBytes
            let picture = Image(width: images.columns, height: images.rows, layout: .gray,
                                pixels: Array(images.pixels[start..<start + pictureBytes]))
            guard let normalized = DigitNormalizer.normalizeClean(picture) else { continue }
            pixels += normalized
            kept.append(labels[index])
        }
        return Dataset(pixels: pixels, labels: kept, imageWidth: side, imageHeight: side)
    }
}
