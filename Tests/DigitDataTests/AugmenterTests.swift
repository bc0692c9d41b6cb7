import DigitData
import Testing

@Suite("Augmenter")
struct AugmenterTests {
    /// A 28×28 image: a bright 6×10 bar at columns 11…16, rows 9…18.
    let bar: [UInt8] = (0..<784).map { index in
        let (y, x) = index.quotientAndRemainder(dividingBy: 28)
        return (11...16).contains(x) && (9...18).contains(y) ? 200 : 0
    }

    func apply(_ distortion: Augmenter.Distortion, augmenter: Augmenter = Augmenter(), to image: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: image.count)
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { augmenter.apply(distortion, to: source.baseAddress!, into: $0.baseAddress!) }
        }
        return output
    }

    func identity(_ augmenter: Augmenter = Augmenter()) -> Augmenter.Distortion {
        var generator = SplitMix64(state: 0)
        var distortion = augmenter.randomDistortion(using: &generator)
        distortion.rotation = 0
        distortion.scale = 1
        distortion.shiftX = 0
        distortion.shiftY = 0
        distortion.field = distortion.field.map { _ in 0 }
        return distortion
    }

    /// The ink's centre of mass, (x, y).
    func centre(_ image: [UInt8]) -> (Float, Float) {
        var (sum, sx, sy): (Float, Float, Float) = (0, 0, 0)
        for (index, value) in image.enumerated() {
            let (y, x) = index.quotientAndRemainder(dividingBy: 28)
            sum += Float(value)
            sx += Float(value) * Float(x)
            sy += Float(value) * Float(y)
        }
        return (sx / sum, sy / sum)
    }

    @Test("no rotation, scale 1, no shift and no field give the image back")
    func identityTransform() {
        #expect(apply(identity(), to: bar) == bar)
    }

    @Test("a whole-pixel shift moves the image by that many pixels")
    func shift() {
        var distortion = identity()
        distortion.shiftX = 2
        distortion.shiftY = -1
        let moved = apply(distortion, to: bar)
        for y in 0..<28 {
            for x in 0..<28 {
                let source = (x - 2 >= 0 && y + 1 < 28) ? bar[(y + 1) * 28 + x - 2] : 0
                #expect(moved[y * 28 + x] == source)
            }
        }
    }

    @Test("a quarter turn makes the tall bar wide; scaling by 1.1 spreads its ink")
    func rotationAndScale() {
        var turn = identity(Augmenter(maximumRotation: 90))
        turn.rotation = .pi / 2
        let turned = apply(turn, to: bar)
        let columns = Set(turned.indices.filter { turned[$0] > 100 }.map { $0 % 28 })
        let rows = Set(turned.indices.filter { turned[$0] > 100 }.map { $0 / 28 })
        #expect(columns.count == 10 && rows.count == 6)
        var grow = identity()
        grow.scale = 1.1
        #expect(apply(grow, to: bar).filter { $0 > 0 }.count > bar.filter { $0 > 0 }.count)
    }

    @Test("random distortions stay within their ranges, keep the digit near the centre, and repeat with the seed")
    func randomDistortions() {
        let augmenter = Augmenter()
        var first = SplitMix64(state: 42), second = SplitMix64(state: 42)
        for _ in 0..<50 {
            let distortion = augmenter.randomDistortion(using: &first)
            #expect(abs(distortion.rotation) <= 10 * .pi / 180 + 1e-6)
            #expect((0.9...1.1).contains(distortion.scale))
            #expect(abs(distortion.shiftX) <= 2 && abs(distortion.shiftY) <= 2)
            #expect(distortion.field.allSatisfy { abs($0) <= 1.5 })
            var output = [UInt8](repeating: 0, count: 784)
            bar.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { augmenter.distort(source.baseAddress!, into: $0.baseAddress!, using: &second) }
            }
            #expect(output == apply(distortion, to: bar), "the same seed gives the same image")
            let (x, y) = centre(output)
            #expect(abs(x - 13.5) < 4 && abs(y - 13.5) < 4)
        }
    }

    @Test("the elastic field moves pixels smoothly: neighbours move by similar amounts")
    func elasticField() {
        var distortion = identity()
        distortion.field = distortion.field.indices.map { $0 % 2 == 0 ? 1 : 0 }  // every point 1 px in x
        let moved = apply(distortion, to: bar)
        let (x, _) = centre(moved)
        #expect(abs(x - (centre(bar).0 - 1)) < 0.05, "a uniform field shifts the whole image")
    }
}
