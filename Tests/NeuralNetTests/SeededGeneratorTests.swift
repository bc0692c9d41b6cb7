import Testing
@testable import NeuralNet

@Suite("Seeded generator")
struct SeededGeneratorTests {
    @Test("SplitMix64 gives the reference first output for seed 0")
    func splitMixReference() {
        var splitMix = SplitMix64(state: 0)
        #expect(splitMix.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("The same seed gives the same sequence; another seed or stream a different one")
    func determinism() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        var d = SeededGenerator(seed: 42, stream: 1)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        #expect(first != (0..<8).map { _ in d.next() })
    }

    @Test("Uniform values lie in [0, 1) with mean near 1/2; normal values have mean 0 and deviation 1")
    func distributions() {
        var generator = SeededGenerator(seed: 7)
        let uniforms = (0..<20_000).map { _ in generator.nextUniform() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniforms.reduce(0, +) / 20_000 - 0.5) < 0.01)
        let normals = (0..<20_000).map { _ in Double(generator.nextNormal()) }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20_000
        #expect(abs(mean) < 0.03)
        #expect(abs(variance.squareRoot() - 1) < 0.03)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(generator.nextInt(below: 7)) })
    }

    @Test("Fisher–Yates shuffling is a deterministic permutation")
    func shuffle() {
        var first = Array(0..<100)
        var second = Array(0..<100)
        var a = SeededGenerator(seed: 3)
        var b = SeededGenerator(seed: 3)
        a.shuffle(&first)
        b.shuffle(&second)
        #expect(first == second)
        #expect(first != Array(0..<100))
        #expect(first.sorted() == Array(0..<100))
    }
}
