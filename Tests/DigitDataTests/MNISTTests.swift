import DigitData
import Testing

@Suite("MNIST files")
struct MNISTTests {
    let directory = TemporaryDirectory()

    @Test("the test set loads: 10,000 28×28 images with digits for labels")
    func loadsTestSet() {
        #expect(mnistTest.count == 10_000)
        #expect(mnistTest.imageWidth == 28 && mnistTest.imageHeight == 28)
        #expect(mnistTest.pixels.count == 7_840_000)
        #expect(mnistTest.labels.prefix(5) == [7, 2, 1, 0, 4])
        // Every digit appears; MNIST's test set has 980 zeros and 1,135 ones.
        let counts = (0..<10).map { digit in mnistTest.labels.count { $0 == digit } }
        #expect(counts[0] == 980 && counts[1] == 1_135 && counts.reduce(0, +) == 10_000)
    }

    @Test("un-gzipped files under the standard names load too")
    func plainFiles() throws {
        directory.write(idxImages(count: 3, rows: 28, columns: 28), to: "t10k-images-idx3-ubyte")
        directory.write(idxLabels([1, 2, 3]), to: "t10k-labels-idx1-ubyte.gz", gzip: true)
        let dataset = try MNIST.load(.test, from: directory.path)
        #expect(dataset.count == 3 && dataset.labels == [1, 2, 3])
        #expect(try MNIST.path(of: "t10k-images-idx3-ubyte", in: directory.path + "/") == "\(directory.path)/t10k-images-idx3-ubyte")
    }

    @Test("a missing file is named with the directory")
    func missing() {
        directory.write(idxImages(count: 3, rows: 28, columns: 28), to: "train-images-idx3-ubyte.gz", gzip: true)
        let error = dataError { try MNIST.load(.training, from: directory.path) }
        #expect(error == .missingFile(directory: directory.path, name: "train-labels-idx1-ubyte"))
        #expect(error?.description == "\(directory.path) has no train-labels-idx1-ubyte.gz (nor train-labels-idx1-ubyte); the MNIST files belong there")
    }

    @Test("images that are not 28×28")
    func wrongSize() {
        let images = directory.write(idxImages(count: 2, rows: 32, columns: 30), to: "t10k-images-idx3-ubyte")
        directory.write(idxLabels([1, 2]), to: "t10k-labels-idx1-ubyte")
        let error = dataError { try MNIST.load(.test, from: directory.path) }
        #expect(error?.description == "\(images): images are 30×32, MNIST's are 28×28")
    }

    @Test("image and label counts that disagree")
    func countMismatch() {
        let images = directory.write(idxImages(count: 3, rows: 28, columns: 28), to: "images.gz", gzip: true)
        let labels = directory.write(idxLabels([1, 2]), to: "labels")
        let error = dataError { try Dataset(imagesAt: images, labelsAt: labels) }
        #expect(error?.description == "\(images) has 3 images but \(labels) has 2 labels")
    }

    @Test("a label that is not a digit")
    func invalidLabel() {
        let images = directory.write(idxImages(count: 3, rows: 28, columns: 28), to: "images")
        let labels = directory.write(idxLabels([1, 12, 2]), to: "labels")
        let error = dataError { try Dataset(imagesAt: images, labelsAt: labels) }
        #expect(error?.description == "\(labels): label 12 at index 1 is not a digit 0–9")
    }
}
