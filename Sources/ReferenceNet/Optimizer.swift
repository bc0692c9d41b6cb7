/// Updates parameters from their gradients, one step a batch, and does nothing else.
///
/// L2 weight decay adds `λ·w` to the gradient of each decayed parameter (weights, not
/// biases): the gradient of the penalty `(λ/2)·‖w‖²` added to the loss.
public protocol Optimizer: AnyObject {
    /// One step for every parameter, from its current `gradient`, at `learningRate`.
    /// The optimiser keeps its memory (velocities, moments) one entry a parameter, so it must
    /// be given the same parameters, in the same order, every step.
    func update(_ parameters: [Parameter], learningRate: Float)
}
