/// Stochastic gradient descent, optionally with momentum (classical or Nesterov), with L2
/// weight decay. With `g = ∇L + λw` (decayed parameters only) and learning rate `η`:
///
/// - plain:    `w ← w − η·g`
/// - momentum: `v ← μ·v + g`, then `w ← w − η·v`
/// - Nesterov: `v ← μ·v + g`, then `w ← w − η·(g + μ·v)`, looking one velocity step ahead
public final class SGD: Optimizer {
    /// The momentum coefficient `μ`; 0 for plain SGD.
    public let momentum: Float
    /// Whether the update uses Nesterov's look-ahead.
    public let isNesterov: Bool
    /// The L2 coefficient `λ`.
    public let weightDecay: Float
    private var stepCount = 0
    private var velocities: [[Float]] = []

    public var state: OptimizerState {
        get { OptimizerState(stepCount: stepCount, firstMoments: velocities) }
        set { (stepCount, velocities) = (newValue.stepCount, newValue.firstMoments) }
    }

    /// Plain SGD by default; a nonzero `momentum` adds a velocity, `nesterov` its look-ahead.
    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.momentum = momentum
        self.isNesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter], learningRate: Float) {
        if momentum != 0 && velocities.isEmpty {
            velocities = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        }
        let (momentum, isNesterov) = (self.momentum, self.isNesterov)
        for (index, parameter) in parameters.enumerated() {
            if parameter.isStepTaken {
                parameter.isStepTaken = false
                continue
            }
            let decay = parameter.isDecayed ? weightDecay : 0
            let count = parameter.value.count
            parameter.value.withUnsafeMutableBufferPointer { weights in
                parameter.gradient.withUnsafeBufferPointer { gradients in
                    let buffers = UncheckedSendable((weights.baseAddress!, gradients.baseAddress!))
                    guard momentum != 0 else {
                        forEachPiece(of: count) { piece in
                            let (w, gradient) = buffers.value
                            for start in stride(from: piece.lowerBound, to: piece.upperBound, by: Lanes.scalarCount) {
                                let lanes = 0..<min(Lanes.scalarCount, piece.upperBound - start)
                                let weight = loadLanes(w + start, lanes)
                                let g = loadLanes(gradient + start, lanes) + decay * weight
                                storeLanes(weight - learningRate * g, w + start, lanes)
                            }
                        }
                        return
                    }
                    velocities[index].withUnsafeMutableBufferPointer { velocity in
                        let velocity = UncheckedSendable(velocity.baseAddress!)
                        forEachPiece(of: count) { piece in
                            let (w, gradient) = buffers.value
                            let v = velocity.value
                            for start in stride(from: piece.lowerBound, to: piece.upperBound, by: Lanes.scalarCount) {
                                let lanes = 0..<min(Lanes.scalarCount, piece.upperBound - start)
                                let weight = loadLanes(w + start, lanes)
                                let g = loadLanes(gradient + start, lanes) + decay * weight
                                let newV = momentum * loadLanes(v + start, lanes) + g
                                storeLanes(newV, v + start, lanes)
                                let step = isNesterov ? g + momentum * newV : newV
                                storeLanes(weight - learningRate * step, w + start, lanes)
                            }
                        }
                    }
                }
            }
        }
        stepCount += 1
    }

    public func plainDescentRate(for parameter: Parameter, learningRate: Float) -> Float? {
        momentum == 0 && (weightDecay == 0 || !parameter.isDecayed) ? learningRate : nil
    }
}
