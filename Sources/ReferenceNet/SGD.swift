/// Stochastic gradient descent, optionally with momentum (classical or Nesterov), with L2
/// weight decay. With `g = ∇L + λw` (`λ = 0` for parameters not decayed) and learning rate `η`:
///
/// - plain:    `w ← w − η·g`
/// - momentum: `v ← μ·v + g`, then `w ← w − η·v`
/// - Nesterov: `v ← μ·v + g`, then `w ← w − η·(g + μ·v)`, looking one velocity step ahead
///
/// (The velocity accumulates gradients, not `η`-scaled steps, as in PyTorch.)
public final class SGD: Optimizer {
    /// The momentum coefficient `μ`; 0 for plain SGD.
    public let momentum: Float
    /// Whether the step uses Nesterov's look-ahead.
    public let isNesterov: Bool
    /// The L2 coefficient `λ`.
    public let weightDecay: Float
    /// The velocity `v` of each parameter, zero before the first step.
    private var velocities: [[Float]] = []

    /// Plain SGD by default; a nonzero `momentum` adds a velocity, `nesterov` its look-ahead.
    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.momentum = momentum
        self.isNesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        if momentum != 0 && velocities.isEmpty {
            velocities = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        }
        let μ = momentum
        for (p, parameter) in parameters.enumerated() {
            let λ = parameter.isDecayed ? weightDecay : 0
            for i in parameter.value.indices {
                let w = parameter.value[i]
                let g = parameter.gradient[i] + λ * w
                if μ == 0 {
                    parameter.value[i] = w - η * g
                    continue
                }
                let v = μ * velocities[p][i] + g
                velocities[p][i] = v
                parameter.value[i] = w - η * (isNesterov ? g + μ * v : v)
            }
        }
    }
}
