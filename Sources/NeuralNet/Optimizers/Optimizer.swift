/// Updates parameters from their gradients, one step a batch.
///
/// L2 weight decay adds `λ·w` to the gradient of each decayed parameter (weights, not
/// biases): the gradient of the penalty `(λ/2)·‖w‖²` added to the loss.
public protocol Optimizer: AnyObject {
    /// Applies one update to every parameter, using its current gradient. An optimiser that
    /// gives a `plainDescentRate` skips the parameters whose step a layer has taken already
    /// (`Parameter.isStepTaken`), and clears that; no layer takes a step the optimiser did not
    /// offer, so the others never see it set.
    func update(_ parameters: [Parameter], learningRate: Float)
    /// Everything the optimiser remembers between steps, so that training can stop and resume.
    var state: OptimizerState { get set }
    /// The rate `r` when the next `update` would change `parameter` by `value ← value − r · gradient`
    /// and nothing else (plain SGD, no weight decay on it), else nil. A layer can then take
    /// that step itself, row by row as it makes the gradient (see `DescentStep`).
    func plainDescentRate(for parameter: Parameter, learningRate: Float) -> Float?
}

extension Optimizer {
    public func plainDescentRate(for parameter: Parameter, learningRate: Float) -> Float? { nil }
}

/// An optimiser's memory: the step count and, per parameter, its moment buffers
/// (the velocity for momentum; the first and second moments for Adam).
public struct OptimizerState: Codable, Equatable, Sendable {
    /// Updates applied so far.
    public var stepCount: Int
    /// Per parameter, in `Network.parameters` order: the velocity or Adam's first moment. Empty before the first step.
    public var firstMoments: [[Float]]
    /// Per parameter: Adam's second moment. Empty for SGD.
    public var secondMoments: [[Float]]

    public init(stepCount: Int = 0, firstMoments: [[Float]] = [], secondMoments: [[Float]] = []) {
        self.stepCount = stepCount
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }
}

/// The optimisers a training run can choose.
public enum OptimizerChoice: String, Codable, Sendable, CaseIterable {
    /// Plain stochastic gradient descent.
    case sgd
    /// SGD with classical momentum.
    case momentum
    /// SGD with Nesterov momentum.
    case nesterov
    /// Adam.
    case adam
}
