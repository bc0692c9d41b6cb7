import Foundation

/// How the learning rate changes from epoch to epoch (epochs counted from 0).
public enum LearningRateSchedule: Equatable, Sendable {
    /// The base rate `η` throughout.
    case constant
    /// `η·factor^⌊epoch / epochs⌋`: the rate times `factor` after every `epochs` epochs.
    case step(epochs: Int, factor: Float)
    /// Half a cosine from `η` towards zero: `η·(1 + cos(π·epoch / totalEpochs)) / 2`.
    case cosine

    /// The learning rate for `epoch` (from 0) of `totalEpochs`, from the base rate `base`.
    public func learningRate(base: Float, epoch: Int, totalEpochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(epochs, factor):
            return base * pow(factor, Float(epoch / max(epochs, 1)))
        case .cosine:
            let progress = Double(epoch) / Double(max(totalEpochs, 1))
            return base * Float((1 + cos(Double.pi * progress)) / 2)
        }
    }
}
