// `digits bench`: training and inference throughput of the benchmark networks, measured
// through the same trainer and evaluation code that `train` and `evaluate` use.

import ArgumentParser
import Foundation
import NeuralNet

struct Bench: DigitsCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training and inference speed (images a second) of the MLP and the CNN.",
        discussion: """
            Runs on random images (speed does not depend on the pixels), so it needs no data. \
            Use a release build: swift run -c release digits bench.
            """
    )

    @Option(help: "Images timed for each network and pass.")
    var images = 12_800

    @Option(name: .customLong("batch-size"), help: "Images a training mini-batch (inference uses 256).")
    var batchSize = 128

    @Option(help: ArgumentHelp("Which networks: mlp, cnn or both.", valueName: "which"))
    var networks = "both"

    @Flag(help: "Also time each layer's forward and backward pass on one training batch.")
    var layers = false

    func validate() throws {
        guard images >= 1, batchSize >= 1 else { throw ValidationError("--images and --batch-size must be at least 1") }
        guard ["mlp", "cnn", "both"].contains(networks) else { throw ValidationError("--networks takes mlp, cnn or both") }
    }

    func run() throws {
        var generator = SeededGenerator(seed: 1)
        let pixels = (0 ..< images * 784).map { _ in generator.nextUniform() }
        let labels = (0 ..< images).map { _ in generator.nextInt(below: 10) }
        let source = InMemoryBatchSource(features: Matrix(rows: images, columns: 784, values: pixels), labels: labels)

        var kinds: [NetworkKind] = []
        if networks != "cnn" { kinds.append(.mlp) }
        if networks != "mlp" { kinds.append(.cnn) }
        print("network                                        train images/s   s/epoch (60k)   inference images/s")
        for kind in kinds {
            let configuration = TrainingConfiguration(
                hiddenLayerSizes: [256, 128], epochs: 1, batchSize: batchSize, learningRate: 0.001,
                optimizer: .adam, seed: 1, network: kind == .mlp ? nil : kind)
            let network = configuration.makeNetwork(inputCount: 784, classCount: 10)
            let trainer = Trainer(network: network, configuration: configuration)
            // One short warm-up epoch sizes every buffer.
            _ = try trainer.trainEpoch(1, on: InMemoryBatchSource(
                features: Matrix(rows: batchSize, columns: 784, values: Array(pixels[0 ..< batchSize * 784])),
                labels: Array(labels[0 ..< batchSize])))
            let training = try trainer.trainEpoch(2, on: source).seconds
            let start = ContinuousClock.now
            _ = try network.evaluate(on: source, batchSize: 256)
            let inference = seconds(since: start)
            let name = network.shapeDescription.padding(toLength: 46, withPad: " ", startingAt: 0)
            if layers { timeLayers(of: network, input: Matrix(rows: batchSize, columns: 784, values: Array(pixels[0 ..< batchSize * 784]))) }
            print("\(name) \(format(Double(images) / training, 15)) \(format(60_000 * training / Double(images), 15, digits: 1)) "
                  + "\(format(Double(images) / inference, 20))")
        }
    }

    /// Prints each layer's forward and backward milliseconds for one batch (the median of 9 runs).
    private func timeLayers(of network: Network, input: Matrix) {
        var activations = [input]
        for layer in network.layers { activations.append(layer.forward(activations.last!, isTraining: true)) }
        for (index, layer) in network.layers.enumerated() {
            var forwardTimes: [Double] = [], backwardTimes: [Double] = []
            for _ in 0..<9 {
                var start = ContinuousClock.now
                let output = layer.forward(activations[index], isTraining: true)
                forwardTimes.append(seconds(since: start))
                start = ContinuousClock.now
                _ = layer.backward(input: activations[index], outputGradient: output, needsInputGradient: index > 0)
                backwardTimes.append(seconds(since: start))
            }
            let median = { (times: [Double]) in format(1000 * times.sorted()[4], 8, digits: 2) }
            print("  layer \(index) \(String(describing: layer.layerDescription).prefix(60)): forward \(median(forwardTimes)) ms, backward \(median(backwardTimes)) ms")
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    private func format(_ value: Double, _ width: Int, digits: Int = 0) -> String {
        let text = String(format: "%.\(digits)f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
