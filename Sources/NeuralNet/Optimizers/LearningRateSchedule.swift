import Foundation

/// How the learning rate changes from epoch to epoch (epochs counted from 0).
public enum LearningRateSchedule: Equatable, Codable, Sendable {
    /// The base rate throughout.
    case constant
    /// The base rate times `factor` after every `epochs` epochs: `η·factor^⌊epoch / epochs⌋`.
    case step(epochs: Int, factor: Float)
    /// Half a cosine from the base rate towards zero: `η·(1 + cos(π·epoch / totalEpochs)) / 2`.
    case cosine

    /// The learning rate for `epoch` of `totalEpochs`.
    public func learningRate(base: Float, epoch: Int, totalEpochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(epochs, factor):
            return base * Foundation.pow(factor, Float(epoch / max(epochs, 1)))
        case .cosine:
            let progress = Double(epoch) / Double(max(totalEpochs, 1))
            return base * Float((1 + Foundation.cos(Double.pi * progress)) / 2)
        }
    }
}
