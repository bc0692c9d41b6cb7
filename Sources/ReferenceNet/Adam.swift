import Foundation

/// Adam (Kingma and Ba, 2015), with L2 weight decay added to the gradient (not AdamW's
/// decoupled decay). With `g = ∇L + λw`, step `t` counted from 1 and learning rate `η`:
///
/// - `m ← β₁·m + (1 − β₁)·g`        the running mean of `g`
/// - `v ← β₂·v + (1 − β₂)·g²`       the running mean of `g²`
/// - `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`   undo the bias of starting both at zero
/// - `w ← w − η·m̂ / (√v̂ + ε)`
public final class Adam: Optimizer {
    /// The decay rate `β₁` of the first moment.
    public let beta1: Float
    /// The decay rate `β₂` of the second moment.
    public let beta2: Float
    /// `ε`, which keeps the step finite where `v̂` is zero.
    public let epsilon: Float
    /// The L2 coefficient `λ`.
    public let weightDecay: Float
    /// Steps taken, `t`.
    public private(set) var stepCount = 0
    /// `m` and `v` of each parameter.
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []

    /// Adam with the paper's defaults.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
            secondMoments = firstMoments
        }
        stepCount += 1
        let (β1, β2, ε) = (beta1, beta2, epsilon)
        // The corrections in Double: for large t, 1 − βᵗ in Float would lose precision.
        let correction1 = Float(1 - pow(Double(β1), Double(stepCount)))
        let correction2 = Float(1 - pow(Double(β2), Double(stepCount)))
        for (p, parameter) in parameters.enumerated() {
            let λ = parameter.isDecayed ? weightDecay : 0
            for i in parameter.value.indices {
                let w = parameter.value[i]
                let g = parameter.gradient[i] + λ * w
                let m = β1 * firstMoments[p][i] + (1 - β1) * g
                let v = β2 * secondMoments[p][i] + (1 - β2) * g * g
                firstMoments[p][i] = m
                secondMoments[p][i] = v
                let mHat = m / correction1
                let vHat = v / correction2
                parameter.value[i] = w - η * mHat / (vHat.squareRoot() + ε)
            }
        }
    }
}
