/// Progress that the trainer reports as it goes.
public enum TrainingEvent: Sendable {
    /// A mini-batch was trained on.
    case batchFinished(BatchProgress)
    /// An epoch ended.
    case epochFinished(EpochSummary)
}

/// One finished mini-batch.
public struct BatchProgress: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The batch within the epoch, from 1.
    public var batch: Int
    /// Batches in an epoch.
    public var batchCount: Int
    /// The batch's mean loss.
    public var loss: Float
    /// The fraction of the batch classified correctly (before this batch's update).
    public var accuracy: Float
    /// Samples trained on so far in this epoch.
    public var samplesDone: Int
    /// Samples in an epoch.
    public var sampleCount: Int
}

/// What one epoch achieved.
public struct EpochSummary: Codable, Equatable, Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The learning rate used throughout the epoch.
    public var learningRate: Float
    /// The mean loss over the epoch's batches, as they were trained on.
    public var trainLoss: Double
    /// The fraction of training samples classified correctly at the moment their batch was
    /// trained on (a running figure: the weights change during the epoch).
    public var trainAccuracy: Double
    /// The test-set accuracy at the end of the epoch, when a test set was given.
    public var testAccuracy: Double?
    /// Wall-clock seconds for the epoch's training (excluding the test evaluation).
    public var seconds: Double
}

/// Why training stopped early.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite; the network holds the weights of the last complete epoch.
    case diverged(epoch: Int, batch: Int, loss: Float)
    /// The cancellation check asked to stop; the network holds the weights of the last complete epoch.
    case cancelled(epoch: Int, batch: Int)
    /// A saved run could not be continued: its state does not fit the network or the settings.
    case cannotResume(reason: String)

    public var description: String {
        switch self {
        case let .diverged(epoch, batch, loss):
            "training diverged: loss \(loss) at epoch \(epoch), batch \(batch); kept the weights of the last complete epoch (try a smaller learning rate)"
        case let .cancelled(epoch, batch):
            "training cancelled at epoch \(epoch), batch \(batch)"
        case let .cannotResume(reason):
            "cannot resume training: \(reason)"
        }
    }
}
