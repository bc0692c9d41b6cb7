/// Inverted dropout. In training each feature is kept with probability `1 − rate` and scaled
/// by `1 / (1 − rate)`, otherwise zeroed, so the expected output is the input: `y = m ⊙ x`,
/// `m` the mask. At evaluation `y = x`. Shapes: `x`, `m` and `y` [B, I].
///
/// The mask of the `t`-th training pass is drawn from its own generator, made from the seed
/// and `t`, so that a seed gives the same masks (and the same ones the fast engine draws).
public final class Dropout: Layer {
    public let inputCount: Int
    public var outputCount: Int { inputCount }
    public var parameters: [Parameter] { [] }
    /// The probability of dropping a feature, in [0, 1).
    public let rate: Float
    /// The seed the masks are drawn from.
    public let seed: UInt64
    /// Training passes so far: the number of masks drawn.
    public private(set) var trainingPasses = 0
    /// The mask of the last forward pass: `0` or `1 / (1 − rate)` for each feature in training, all `1` otherwise.
    private var mask: [Float] = []

    /// Dropout of `featureCount` features with probability `rate`, the masks drawn from `seed`.
    public init(featureCount: Int, rate: Float, seed: UInt64 = 0) {
        precondition(rate >= 0 && rate < 1, "the dropout rate must be in [0, 1)")
        inputCount = featureCount
        self.rate = rate
        self.seed = seed
    }

    public func forward(_ input: [Float], isTraining: Bool) -> [Float] {
        _ = batchSize(ofInput: input)
        if isTraining {
            var generator = SeededGenerator(seed: seed ^ (UInt64(trainingPasses) &* 0xC2B2_AE3D_27D4_EB4F), stream: 2)
            trainingPasses += 1
            let scale = 1 / (1 - rate)
            mask = input.map { _ in generator.nextUniform() < rate ? 0 : scale }
        } else {
            mask = [Float](repeating: 1, count: input.count)
        }
        return (0..<input.count).map { mask[$0] * input[$0] }
    }

    /// Backward of `y = m ⊙ x` with the last forward pass's mask: `∂y/∂x = m`, so `dx = m ⊙ dy`.
    public func backward(input: [Float], outputGradient dy: [Float]) -> [Float] {
        precondition(dy.count == input.count && mask.count == dy.count,
                     "Dropout: backward needs the forward pass of the same batch")
        return (0..<dy.count).map { mask[$0] * dy[$0] }
    }
}
