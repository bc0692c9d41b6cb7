// `gemm` against the textbook `naiveGEMM` on shapes that cross every tile edge, in all four
// transpose forms, with and without accumulation; and the two-thread split against one thread.

import Testing
@testable import NeuralNet

/// A tiny linear congruential generator, so the fixtures do not depend on the project's RNG.
struct TestLCG {
    var state: UInt64

    /// A float uniform in [-1, 1).
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }

    mutating func matrix(_ count: Int) -> [Float] {
        (0..<count).map { _ in next() }
    }
}

/// Runs `gemm` on seeded inputs (or `blockedGEMM` when `threads` is given, or `naiveGEMM`);
/// returns C.
func runGEMM(
    m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool,
    seed: UInt64, threads: Int? = nil, kernels: GEMMKernelSet = .native, naive: Bool = false
) -> [Float] {
    var rng = TestLCG(state: seed)
    let a = rng.matrix(m * k)
    let b = rng.matrix(k * n)
    var c = rng.matrix(m * n)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                if naive {
                    naiveGEMM(
                        m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB,
                        c: c, accumulate: accumulate)
                } else if let threads {
                    blockedGEMM(
                        m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB,
                        c: c, accumulate: accumulate, threads: threads, kernels: kernels)
                } else {
                    gemm(
                        m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB,
                        c: c, accumulate: accumulate)
                }
            }
        }
    }
    return c
}

/// Shapes (m, n, k): the degenerate ones, the network's, and ones one off every tile edge
/// (6 rows and 16/64 columns in the outer-product kernels, 4×5 and 16-deep in the dot kernel,
/// k blocks of 256, 24 rows, from which B's panels are packed, and 256 rows, from which A·Bᵀ
/// transposes B).
let gemmShapes: [(Int, Int, Int)] = [
    (1, 1, 1), (3, 5, 7), (65, 129, 33), (64, 784, 10), (10, 784, 64), (64, 10, 784),
    (5, 15, 17), (6, 16, 16), (7, 17, 15), (11, 63, 31), (13, 65, 257), (4, 5, 16), (8, 10, 32),
    (9, 11, 513), (12, 80, 1), (2, 100, 3), (1, 200, 20), (30, 1, 40), (7, 130, 300),
    (255, 13, 33), (256, 17, 9), (301, 70, 100), (40, 33, 300),
]

@Suite("Matrix multiply")
struct MatrixMultiplyTests {
    // MARK: Against the naive loop

    @Test("gemm matches naiveGEMM", arguments: [false, true], [false, true])
    func matchesNaive(transposeA: Bool, transposeB: Bool) {
        for (shapeIndex, (m, n, k)) in gemmShapes.enumerated() {
            for accumulate in [false, true] {
                let seed = UInt64(shapeIndex * 4 + 1)
                let fast = runGEMM(
                    m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                    accumulate: accumulate, seed: seed)
                let slow = runGEMM(
                    m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                    accumulate: accumulate, seed: seed, naive: true)
                // Inputs lie in [-1, 1), so each sum's rounding error is a few ulps times k.
                let tolerance = Float(k + 1) * 4e-7 * 4
                let worst = zip(fast, slow).map { abs($0 - $1) }.max() ?? 0
                #expect(
                    worst <= tolerance,
                    "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) acc \(accumulate): error \(worst)")
            }
        }
    }

    @Test("k = 0 clears C, or leaves it when accumulating")
    func emptyDepth() {
        var c: [Float] = [1, 2, 3, 4]
        let a: [Float] = [], b: [Float] = []
        gemm(m: 2, n: 2, k: 0, a: a, transposeA: false, b: b, transposeB: false, c: &c, accumulate: true)
        #expect(c == [1, 2, 3, 4])
        gemm(m: 2, n: 2, k: 0, a: a, transposeA: false, b: b, transposeB: false, c: &c, accumulate: false)
        #expect(c == [0, 0, 0, 0])
    }

    @Test("Writes nothing outside C")
    func staysInBounds() {
        let (m, n, k) = (7, 19, 9)
        var rng = TestLCG(state: 99)
        let a = rng.matrix(m * k), b = rng.matrix(k * n)
        var c = [Float](repeating: 0, count: m * n + 32)
        for form in 0..<4 {
            for i in 0..<c.count { c[i] = -7 }
            c.withUnsafeMutableBufferPointer { c in
                gemm(
                    m: m, n: n, k: k, a: a, transposeA: form & 1 != 0, b: b, transposeB: form & 2 != 0,
                    c: c.baseAddress! + 16, accumulate: false)
            }
            #expect(c[0..<16].allSatisfy { $0 == -7 })
            #expect(c[(16 + m * n)...].allSatisfy { $0 == -7 })
        }
    }

    // MARK: Kernel sets and threads

    @Test("Both kernel sets match naiveGEMM and each other bit for bit", arguments: [false, true], [false, true])
    func kernelSetsAgree(transposeA: Bool, transposeB: Bool) {
        for (shapeIndex, (m, n, k)) in gemmShapes.enumerated() {
            let seed = UInt64(shapeIndex * 4 + 3)
            let wide = runGEMM(
                m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                accumulate: true, seed: seed, threads: 1, kernels: .wide)
            let narrow = runGEMM(
                m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                accumulate: true, seed: seed, threads: 1, kernels: .narrow)
            let slow = runGEMM(
                m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                accumulate: true, seed: seed, naive: true)
            let tolerance = Float(k + 1) * 4e-7 * 4
            let worst = zip(wide, slow).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= tolerance, "m \(m) n \(n) k \(k): error \(worst)")
            #expect(wide == narrow, "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB)")
        }
    }

    @Test("Two threads give bit-identical results to one", arguments: [false, true], [false, true])
    func threadsAreDeterministic(transposeA: Bool, transposeB: Bool) {
        for (m, n, k) in [(64, 200, 64), (50, 150, 20), (10, 784, 10), (64, 10, 100), (37, 300, 30), (9, 40, 20), (30, 12, 50)] {
            for accumulate in [false, true] {
                for kernels in GEMMKernelSet.allCases {
                    let one = runGEMM(
                        m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                        accumulate: accumulate, seed: 7, threads: 1, kernels: kernels)
                    let two = runGEMM(
                        m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                        accumulate: accumulate, seed: 7, threads: 2, kernels: kernels)
                    #expect(one == two, "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) \(kernels)")
                }
            }
        }
    }
}
