// The options that decide a training run, shared by `digits train` and the main job.

import ArgumentParser
import Foundation
import NeuralNet

struct TrainingOptions: ParsableArguments {
    /// The largest batch: MNIST's whole training set.
    static let maximumBatchSize = 60_000
    /// The most weights and biases a network may have (with Adam's moments and the gradients,
    /// 16 bytes each: 1.6 GB), so that a typo in --hidden is an error, not an exhausted memory.
    static let maximumParameterCount = 100_000_000

    @Option(help: ArgumentHelp(
        "The network: mlp (dense layers of --hidden) or cnn (LeNet-style: conv 5×5×32, pool, conv 5×5×64, pool, dense 128).",
        valueName: "kind"))
    var arch: NetworkKind = .mlp

    @Option(help: ArgumentHelp(
        "Hidden layer widths for --arch mlp, comma-separated: 10 is the original 784-10-10 network, 256,128 the strong MLP, none a linear model.",
        valueName: "widths"))
    var hidden = "10"

    @Option(help: ArgumentHelp("Dropout rate before the CNN's last layer (0 for none).", valueName: "rate"))
    var dropout: Float = 0

    @Flag(help: "Augment the training images on the fly: random shifts (±2 px), rotations (±10°), scaling (0.9–1.1) and elastic distortion, seeded by --seed.")
    var augment = false

    @Option(help: "Passes over the training images.")
    var epochs = 20

    @Option(name: .customLong("batch-size"), help: "Images a mini-batch.")
    var batchSize = 64

    @Option(name: .customLong("learning-rate"), help: "The base learning rate (before the schedule).")
    var learningRate: Float = 0.003

    @Option(help: "The optimiser: sgd, momentum, nesterov or adam.")
    var optimizer: OptimizerChoice = .adam

    @Option(help: "The momentum coefficient for --optimizer momentum or nesterov.")
    var momentum: Float = 0.9

    @Option(name: .customLong("weight-decay"), help: "L2 weight decay λ (0 for none).")
    var weightDecay: Float = 0

    @Option(help: ArgumentHelp("How the learning rate falls: constant, cosine, or step:E:F (times F every E epochs).", valueName: "schedule"))
    var schedule = "cosine"

    @Option(name: .customLong("init"), help: "Weight initialisation: he, xavier, or uniform (the original's U(−0.5, 0.5)).")
    var initializer: WeightInitializer = .he

    @Option(help: "Seed for the initial weights and the shuffling: the same seed gives the same model.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Train on the first N training images only (default: all 60,000).", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp(
        "Also train on the extra samples in this folder: printed digits and pictures that are no digit (an eleventh class, \"not a digit\"), see data/extra/README.md.",
        valueName: "dir"))
    var extras: String?

    @Option(name: .customLong("hold-out"), help: ArgumentHelp(
        "Keep the last N training images (and as large a share of the extras) out of training, and fit the confidence calibration and the refusal threshold on them.",
        valueName: "N"))
    var holdOut = 0

    func validate() throws {
        let widths = [784] + (try hiddenLayerSizes()) + [10]
        let parameterCount = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        guard parameterCount <= Self.maximumParameterCount else {
            throw ValidationError("--hidden \(hidden) makes \(parameterCount) weights, more than the limit of \(Self.maximumParameterCount)")
        }
        _ = try learningRateSchedule()
        guard epochs > 0 else { throw ValidationError("--epochs must be at least 1") }
        guard (1...Self.maximumBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must be from 1 to \(Self.maximumBatchSize)")
        }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw ValidationError("--weight-decay must not be negative") }
        guard (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard holdOut >= 0 else { throw ValidationError("--hold-out must not be negative") }
        if let limit, holdOut >= limit { throw ValidationError("--hold-out must be smaller than --limit") }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in [0, 1)") }
        if dropout > 0, arch != .cnn { throw ValidationError("--dropout applies to --arch cnn only") }
    }

    func hiddenLayerSizes() throws -> [Int] {
        let text = hidden.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text == "none" { return [] }
        return try text.split(separator: ",").map { part in
            guard let width = Int(part.trimmingCharacters(in: .whitespaces)), (1...65_536).contains(width) else {
                throw ValidationError("--hidden takes comma-separated widths from 1 to 65536, like 256,128; got '\(hidden)'")
            }
            return width
        }
    }

    func learningRateSchedule() throws -> LearningRateSchedule {
        switch schedule {
        case "constant": return .constant
        case "cosine": return .cosine
        default:
            let parts = schedule.split(separator: ":")
            if parts.count == 3, parts[0] == "step", let every = Int(parts[1]), every > 0,
               let factor = Float(parts[2]), factor > 0 {
                return .step(epochs: every, factor: factor)
            }
            throw ValidationError("--schedule takes constant, cosine or step:E:F (e.g. step:5:0.5); got '\(schedule)'")
        }
    }

    func configuration() throws -> TrainingConfiguration {
        TrainingConfiguration(
            hiddenLayerSizes: try hiddenLayerSizes(), epochs: epochs, batchSize: batchSize,
            learningRate: learningRate, optimizer: optimizer, momentum: momentum, weightDecay: weightDecay,
            schedule: try learningRateSchedule(), initializer: initializer, seed: seed,
            network: arch == .mlp ? nil : arch, dropout: dropout > 0 ? dropout : nil, augmented: augment ? true : nil,
            extraSamples: extras, heldOut: holdOut > 0 ? holdOut : nil)
    }
}

extension OptimizerChoice: ExpressibleByArgument {}
extension WeightInitializer: ExpressibleByArgument {}
extension NetworkKind: ExpressibleByArgument {}
