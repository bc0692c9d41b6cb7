import DigitData
import Testing

@Suite("Dataset")
struct DatasetTests {
    /// Four 2×3 images; image `i` has every pixel `40·i + position`, label `9 − i`.
    let small = Dataset(pixels: (0..<4).flatMap { image in (0..<6).map { UInt8(40 * image + $0) } },
                        labels: [9, 8, 7, 6], imageWidth: 3, imageHeight: 2)

    // MARK: Access

    @Test("sizes, images and labels")
    func access() {
        #expect(small.count == 4 && small.featureCount == 6)
        #expect(Array(small.image(at: 2)) == [80, 81, 82, 83, 84, 85])
        #expect(small.label(at: 3) == 6)
    }

    // MARK: Batches

    @Test("a batch is rows of x/255 and the labels, in the order of the indices")
    func fillBatch() {
        var inputs = [Float](repeating: -1, count: 3 * 6)
        var labels = [Int](repeating: -1, count: 3)
        inputs.withUnsafeMutableBufferPointer { inputBuffer in
            labels.withUnsafeMutableBufferPointer { labelBuffer in
                small.fillBatch(indices: [3, 0, 3], inputs: inputBuffer.baseAddress!, labels: labelBuffer.baseAddress!)
            }
        }
        let expected = ([120, 121, 122, 123, 124, 125] + [0, 1, 2, 3, 4, 5] + [120, 121, 122, 123, 124, 125])
            .map { Float($0) / 255 }
        #expect(inputs == expected)
        #expect(labels == [6, 9, 6])
    }

    @Test("a batch from a slice of a shuffled order, as the trainer passes it; prefetching first changes nothing")
    func fillBatchFromSlice() {
        let order = [0, 2, 1]
        var inputs = [Float](repeating: -1, count: 12)
        var labels = [Int](repeating: -1, count: 2)
        small.prefetch(indices: order[1...])
        small.prefetch(indices: [-1, 99][...])   // a hint: indices outside the set are ignored
        small.fillBatch(indices: order[1...], inputs: &inputs, labels: &labels)
        #expect(inputs[0] == 80 / 255 && inputs[6] == 40 / 255 && inputs[11] == 45 / 255)
        #expect(labels == [7, 8])
    }

    @Test("MNIST pixels 0 and 255 become exactly 0 and 1")
    func unitRange() {
        var inputs = [Float](repeating: -1, count: 784)
        var label: Int = -1
        mnistTest.fillBatch(indices: [0], inputs: &inputs, labels: &label)
        #expect(label == 7)
        #expect(inputs.min() == 0 && inputs.max() == 1)
        #expect(zip(inputs, mnistTest.image(at: 0)).allSatisfy { $0 == Float($1) / 255 })
    }

    // MARK: Shuffling

    @Test("the shuffle is a permutation, fixed by the generator's seed")
    func shuffle() {
        var generator = SplitMix64(state: 42)
        let first = mnistTest.shuffledIndices(using: &generator)
        #expect(first.sorted() == Array(0..<10_000))
        #expect(first != Array(0..<10_000))
        var again = SplitMix64(state: 42)
        #expect(mnistTest.shuffledIndices(using: &again) == first)
        var other = SplitMix64(state: 43)
        #expect(mnistTest.shuffledIndices(using: &other) != first)
    }

    // The expected order was computed independently with a Python transcription of
    // SplitMix64, Fisher–Yates from the end and Lemire's bounded draw.
    @Test("the shuffle draws only from next(), so this order is the same everywhere")
    func shuffleIsPinned() {
        var generator = SplitMix64(state: 7)
        let ten = Dataset(pixels: [UInt8](repeating: 0, count: 10), labels: [UInt8](repeating: 0, count: 10),
                          imageWidth: 1, imageHeight: 1)
        #expect(ten.shuffledIndices(using: &generator) == [9, 5, 8, 6, 1, 2, 4, 7, 0, 3])
    }

    @Test("every position is equally likely")
    func shuffleIsUniform() {
        // 6,000 shuffles of 4: each index lands at position 0 about 1,500 times; a
        // binomial standard deviation is 34, so 1,500 ± 170 is five of them.
        var generator = SplitMix64(state: 1)
        var firsts = [Int](repeating: 0, count: 4)
        for _ in 0..<6_000 { firsts[small.shuffledIndices(using: &generator)[0]] += 1 }
        #expect(firsts.allSatisfy { abs($0 - 1_500) < 170 })
    }

    // MARK: Subsets

    @Test("subset and prefix keep the samples and renumber them from 0")
    func subsets() {
        let middle = small.subset(1..<3)
        #expect(middle.count == 2 && middle.labels == [8, 7])
        #expect(Array(middle.image(at: 0)) == Array(small.image(at: 1)))
        #expect(small.prefix(2) == small.subset(0..<2))
        #expect(small.prefix(99) == small)
        #expect(small.prefix(0).count == 0)
        let hundred = mnistTest.prefix(100)
        #expect(hundred.count == 100 && hundred.imageWidth == 28)
        #expect(hundred.image(at: 99) == mnistTest.image(at: 99))
    }
}
