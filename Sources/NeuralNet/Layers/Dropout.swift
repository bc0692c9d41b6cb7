/// Inverted dropout: in training each feature is kept with probability `1 − rate` and scaled
/// by `1 / (1 − rate)`, otherwise zeroed, so the expected output equals the input; at
/// evaluation the layer passes its input through unchanged.
///
/// The mask of the `t`-th training pass comes from its own `SeededGenerator`, made from the
/// seed and `t`, so a seed gives the same masks, and a resumed run (`resume(afterTrainingPasses:)`)
/// draws the masks an uninterrupted one would.
public final class Dropout: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    /// The probability of dropping a feature, in [0, 1).
    public let rate: Float
    public private(set) var output: Matrix
    private var inputGradient: Matrix
    /// The last training pass's mask, `0` or `1 / (1 − rate)` a feature, `[batch, features]`.
    private var mask: [Float] = []
    private var seed: UInt64
    /// Training passes so far: the number of masks drawn.
    public private(set) var trainingPasses = 0
    private var wasTraining = false

    /// Dropout of `featureCount` features with probability `rate`, masks drawn from `seed`.
    public init(featureCount: Int, rate: Float, seed: UInt64 = 0) {
        precondition((0..<1).contains(rate), "the dropout rate must be in [0, 1)")
        inputCount = featureCount
        self.rate = rate
        output = Matrix(rows: 0, columns: featureCount)
        inputGradient = Matrix(rows: 0, columns: featureCount)
        self.seed = seed
    }

    /// Continues a run whose masks were drawn from `seed`, after `passes` training passes. (A
    /// layer read from a checkpoint does not know the run's seed.)
    public func resume(seed: UInt64, afterTrainingPasses passes: Int) {
        precondition(passes >= 0, "a negative number of passes")
        self.seed = seed
        trainingPasses = passes
    }

    public var parameters: [Parameter] { [] }

    public var layerDescription: LayerDescription { .dropout(rate: rate) }

    /// Training: draws a fresh mask `m` and returns `y = m ⊙ x`; evaluation: `y = x`.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Dropout expects \(inputCount) features, got \(input.columns)")
        output.resizeRows(input.rows)
        wasTraining = isTraining
        if isTraining {
            resize(&mask, to: input.values.count)
            let scale = 1 / (1 - rate)
            var generator = SeededGenerator(seed: seed ^ (UInt64(trainingPasses) &* 0xC2B2_AE3D_27D4_EB4F), stream: 2)
            trainingPasses += 1
            for i in mask.indices {
                mask[i] = generator.nextUniform() < rate ? 0 : scale
            }
        }
        output.values.withUnsafeMutableBufferPointer { y in
            input.values.withUnsafeBufferPointer { x in
                if isTraining {
                    mask.withUnsafeBufferPointer { m in
                        for i in x.indices { y[i] = m[i] * x[i] }
                    }
                } else {
                    _ = y.update(fromContentsOf: x)
                }
            }
        }
        return output
    }

    /// Backward of `y = m ⊙ x` (the mask of the last forward pass; `m = 1` at evaluation):
    /// `dx = m ⊙ dy`.
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        featurewiseBackward(input: input, outputGradient: outputGradient, needsInputGradient: needsInputGradient,
                            into: &inputGradient) { dx, dy in
            if wasTraining {
                precondition(mask.count == dy.count, "backward needs the forward pass of the same batch")
                mask.withUnsafeBufferPointer { m in
                    for i in dy.indices { dx[i] = m[i] * dy[i] }
                }
            } else {
                _ = dx.update(fromContentsOf: dy)
            }
        }
    }
}

extension Network {
    /// Sets every dropout layer to continue a run seeded by `seed` after `passes` training
    /// passes (see `Dropout`).
    public func resumeDropout(seed: UInt64, afterTrainingPasses passes: Int) {
        for case let dropout as Dropout in layers {
            dropout.resume(seed: seed, afterTrainingPasses: passes)
        }
    }
}
