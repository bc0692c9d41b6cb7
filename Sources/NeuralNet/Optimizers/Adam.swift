import Foundation

/// Adam (Kingma and Ba, 2015), with L2 weight decay added to the gradient. With
/// `g = ∇L + λw`, step `t` (from 1) and learning rate `η`:
///
/// - `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²` (running mean and uncentred variance of `g`)
/// - `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)` (undo the bias of starting both at zero)
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
    private var stepCount = 0
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []

    public var state: OptimizerState {
        get { OptimizerState(stepCount: stepCount, firstMoments: firstMoments, secondMoments: secondMoments) }
        set { (stepCount, firstMoments, secondMoments) = (newValue.stepCount, newValue.firstMoments, newValue.secondMoments) }
    }

    /// Adam with the paper's defaults.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter], learningRate: Float) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
            secondMoments = firstMoments
        }
        stepCount += 1
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        let step = Double(stepCount)
        let inverseCorrection1 = Float(1 / (1 - Foundation.pow(Double(beta1), step)))
        let inverseCorrection2 = Float(1 / (1 - Foundation.pow(Double(beta2), step)))
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.isDecayed ? weightDecay : 0
            let count = parameter.value.count
            parameter.value.withUnsafeMutableBufferPointer { weights in
                parameter.gradient.withUnsafeBufferPointer { gradients in
                    firstMoments[index].withUnsafeMutableBufferPointer { firstMoment in
                        secondMoments[index].withUnsafeMutableBufferPointer { secondMoment in
                            let buffers = UncheckedSendable((weights.baseAddress!, gradients.baseAddress!,
                                                             firstMoment.baseAddress!, secondMoment.baseAddress!))
                            forEachPiece(of: count) { piece in
                                let (w, gradient, m, v) = buffers.value
                                for start in stride(from: piece.lowerBound, to: piece.upperBound, by: Lanes.scalarCount) {
                                    let lanes = 0..<min(Lanes.scalarCount, piece.upperBound - start)
                                    let weight = loadLanes(w + start, lanes)
                                    let g = loadLanes(gradient + start, lanes) + decay * weight
                                    let newM = beta1 * loadLanes(m + start, lanes) + (1 - beta1) * g
                                    let newV = beta2 * loadLanes(v + start, lanes) + (1 - beta2) * g * g
                                    let mHat = newM * inverseCorrection1
                                    let vHat = newV * inverseCorrection2
                                    storeLanes(newM, m + start, lanes)
                                    storeLanes(newV, v + start, lanes)
                                    let newWeight = weight - learningRate * mHat / (vHat.laneSquareRoots + epsilon)
                                    storeLanes(newWeight, w + start, lanes)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
