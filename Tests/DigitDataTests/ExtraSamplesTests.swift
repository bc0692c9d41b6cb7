// The extra training samples: loading labels 0…10, the clean normalisation each picture gets,
// and the files it refuses.

import DigitData
import PNG
import Testing

@Suite("Extra samples")
struct ExtraSamplesTests {
    /// A 12×12 picture with a bright bar in columns 3…5, rows 2…9 (or nothing).
    static func bar(_ present: Bool) -> [UInt8] {
        (0..<144).map { index in present && (3...5).contains(index % 12) && (2...9).contains(index / 12) ? 255 : 0 }
    }

    func folder(labels: [UInt8], pictures: [[UInt8]]) -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        directory.write(idx(magic: 2051, sizes: [UInt32(pictures.count), 12, 12], data: pictures.flatMap { $0 }),
                        to: ExtraSamples.imagesName + ".gz", gzip: true)
        directory.write(idx(magic: 2049, sizes: [UInt32(labels.count)], data: labels), to: ExtraSamples.labelsName)
        return directory
    }

    @Test func loadsDigitsAndNonDigitsAsMNISTStyleImagesAndSkipsBlankOnes() throws {
        let directory = folder(labels: [1, 10, 4], pictures: [Self.bar(true), Self.bar(true), Self.bar(false)])
        let samples = try ExtraSamples.load(from: directory.path)
        #expect(samples.count == 2, "the blank picture is left out")
        #expect(samples.labels == [1, 10])
        #expect(samples.imageWidth == 28 && samples.imageHeight == 28)
        let first = Array(samples.image(at: 0))
        #expect(first.max() == 255)
        // The bar, 8 tall and 3 wide, becomes 20 tall; its centre row 9.5 moves by 14 − 9.5 = 4.5,
        // rounded to 5.
        let inkRows = (0..<28).filter { row in (0..<28).contains { first[row * 28 + $0] > 0 } }
        #expect(inkRows.count == 20 && inkRows.first == 5)
    }

    @Test func aLabelAboveTenIsRefused() {
        let directory = folder(labels: [11], pictures: [Self.bar(true)])
        let error = dataError { try ExtraSamples.load(from: directory.path) }
        #expect(error?.description.contains("label 11 at index 0") == true, "\(String(describing: error))")
    }

    @Test func cleanNormalisationMatchesPageAnalysisOnACleanPicture() throws {
        let picture = Image(width: 12, height: 12, layout: .gray, pixels: Self.bar(true))
        #expect(DigitNormalizer.normalizeClean(picture) == (try DigitNormalizer.normalize(picture, source: "bar")))
        #expect(DigitNormalizer.normalizeClean(Image(width: 12, height: 12, layout: .gray, pixels: Self.bar(false))) == nil)
    }
}
