// `digits bench`: training and inference throughput on the three benchmark networks, measured
// the way bench/reference.py measures numpy and PyTorch, so the figures compare side by side.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet

struct Bench: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and inference speed on 784-10-10, 784-128-10 and 784-256-128-10 (and the CNN with --networks cnn).",
        discussion: """
            Each network trains with plain SGD (learning rate 0.1, He initialisation) on the 60,000 \
            training images: one warm-up epoch, then --epochs timed epochs, of which the median is \
            reported. Inference runs over the 10,000 test images in batches of 1000, median of \
            several passes after a warm-up. Use a release build; compare with bench/compare.sh.

            The reference engine (ReferenceNet, written to be read) runs the same networks and \
            recipe on the first --reference-images training and test images and 3 inference \
            passes, so that its rows finish in seconds; its test accuracy is on those images. \
            The table shows both engines unless --engine picks one; --json prints the fast \
            engine's lines (those bench/compare.sh reads) unless --engine reference is given.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Folder holding the four MNIST IDX files (.gz or plain).", valueName: "dir"))
    var data = "data/mnist"

    @Option(name: .customLong("batch-size"), help: "Images a training mini-batch.")
    var batchSize = 64

    @Option(help: "Timed epochs a network, after the warm-up epoch.")
    var epochs = 3

    @Option(name: .customLong("inference-passes"),
            help: "Timed inference passes over the test set, after a warm-up pass (the median is reported, and the fastest with --json).")
    var inferencePasses = 15

    @Option(help: "Threads the kernels may use (1 or 2); the results are the same bits either way.")
    var threads = 2

    @Option(help: ArgumentHelp("Networks to run, as widths separated by spaces (e.g. '784-128-10'), or cnn for the LeNet-style network of --arch cnn.", valueName: "list"))
    var networks = "784-10-10 784-128-10 784-256-128-10"

    @Option(help: ArgumentHelp("Only this engine's rows: fast or reference (default: both, or fast with --json).",
                               valueName: "reference|fast"))
    var engine: Engine?

    @Option(name: .customLong("reference-images"),
            help: ArgumentHelp("Training and test images the reference engine's rows run on.", valueName: "N"))
    var referenceImages = 2000

    @Flag(help: "Print one JSON object a line instead of a table.")
    var json = false

    @Flag(help: "Measure the matrix multiply alone on the networks' shapes (GFLOP/s) instead.")
    var gemm = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard epochs > 0 else { throw ValidationError("--epochs must be at least 1") }
        guard inferencePasses > 0 else { throw ValidationError("--inference-passes must be at least 1") }
        guard (1...2).contains(threads) else { throw ValidationError("--threads must be 1 or 2") }
        guard referenceImages > 0 else { throw ValidationError("--reference-images must be at least 1") }
        _ = try hiddenSizes()
    }

    /// The hidden widths of each requested network (input 784 and output 10 implied); nil for the CNN.
    func hiddenSizes() throws -> [[Int]?] {
        try networks.split(separator: " ").map { name in
            if name == "cnn" { return nil }
            let widths = name.split(separator: "-").compactMap { Int($0) }
            guard widths.count >= 2, widths.count == name.split(separator: "-").count,
                  widths.first == 784, widths.last == 10, widths.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--networks takes names like 784-128-10; got '\(name)'")
            }
            return Array(widths.dropFirst().dropLast())
        }
    }

    func run() throws {
        ComputeThreads.maximum = threads
        if gemm { return gemmFigures() }
        let trainingSet = try MNISTLoading.load(.training, from: data, quiet: true)
        let testSet = try MNISTLoading.load(.test, from: data, quiet: true)
        let engines = engine.map { [$0] } ?? (json ? [.fast] : [.fast, .reference])
        if !json {
            print("digits bench: batch \(batchSize), threads \(threads), median of \(epochs) epochs after a warm-up; "
                  + "load average \(Self.loadAverage())")
            if engines.contains(.reference) {
                print("reference engine: first \(min(referenceImages, trainingSet.count)) training and "
                      + "\(min(referenceImages, testSet.count)) test images, one thread, median of 3 inference passes")
            }
            print("network          engine     train samples/s  epoch s  infer samples/s  test accuracy")
        }
        for hidden in try hiddenSizes() {
            for engine in engines {
                try report(engine: engine, hidden: hidden, trainingSet: trainingSet, testSet: testSet)
            }
        }
    }

    /// Measures one network on one engine and prints its row.
    func report(engine: Engine, hidden: [Int]?, trainingSet: Dataset, testSet: Dataset) throws {
        let result: Figures
        if engine == .fast {
            result = try measure(hidden: hidden, trainingSet: trainingSet, testSet: testSet)
        } else {
            result = try measureReference(Self.configuration(hidden: hidden, epochs: epochs + 1, batchSize: batchSize),
                                          trainingSet: trainingSet.subset(0..<min(referenceImages, trainingSet.count)),
                                          testSet: testSet.subset(0..<min(referenceImages, testSet.count)), passes: 3)
        }
        if json {
            print(#"{"network": "\#(result.network)", "engine": "\#(engine.rawValue)", "batch": \#(batchSize), "threads": \#(engine == .fast ? threads : 1), "#
                  + #""train_samples_per_s": \#(Int(result.trainRate.rounded())), "#
                  + #""infer_samples_per_s": \#(Int(result.inferRate.rounded())), "#
                  + #""infer_fastest_samples_per_s": \#(Int(result.fastestInferRate.rounded())), "#
                  + #""epoch_seconds": \#(String(format: "%.4f", result.epochSeconds)), "#
                  + #""library": "digits", "test_accuracy": \#(String(format: "%.4f", result.accuracy))}"#)
        } else {
            print(result.network.padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                  + engine.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: " %16.0f %8.3f %16.0f %13.2f%%",
                           result.trainRate, result.epochSeconds, result.inferRate, 100 * result.accuracy))
        }
        fflush(nil)
    }

    struct Figures {
        var network: String
        var trainRate: Double
        var epochSeconds: Double
        var inferRate: Double
        /// The fastest pass's rate: steadier than the median for comparing two builds, since the
        /// machine's hiccups only ever slow a pass down.
        var fastestInferRate: Double
        var accuracy: Double
    }

    func measure(hidden: [Int]?, trainingSet: Dataset, testSet: Dataset) throws -> Figures {
        // The CNN (hidden == nil) trains with plain SGD, lr 0.01, at --batch-size; its PyTorch
        // reference, bench/reference.py --networks cnn, uses Adam 1e-3 at batch 128, so
        // bench/compare.sh --cnn runs this with --batch-size 128 (speeds compare, accuracies don't).
        let configuration = Self.configuration(hidden: hidden, epochs: epochs + 1, batchSize: batchSize)
        let network = configuration.makeNetwork(inputCount: trainingSet.featureCount, classCount: 10)
        let trainer = Trainer(network: network, configuration: configuration)
        var seconds: [Double] = []
        for epoch in 1...(epochs + 1) {
            let summary = try trainer.trainEpoch(epoch, on: trainingSet)
            if epoch > 1 { seconds.append(summary.seconds) }
        }
        let epochSeconds = Self.median(seconds)

        var inferSeconds: [Double] = []
        var accuracy = 0.0
        // Passes of 10,000 images take milliseconds: 15 of them give a median the machine's
        // hiccups move less (bench/reference.py times the same number).
        for pass in 0...inferencePasses {
            let start = ContinuousClock.now
            let evaluation = try network.evaluate(on: testSet, batchSize: 1000)
            let elapsed = ContinuousClock.now - start
            if pass > 0 { inferSeconds.append(Self.seconds(elapsed)) }
            accuracy = evaluation.accuracy
        }
        return Figures(
            network: network.description, trainRate: Double(trainingSet.count) / epochSeconds,
            epochSeconds: epochSeconds, inferRate: Double(testSet.count) / Self.median(inferSeconds),
            fastestInferRate: Double(testSet.count) / inferSeconds.min()!,
            accuracy: accuracy)
    }

    /// The benchmark recipe: plain SGD at 0.1 (0.01 for the CNN, `hidden == nil`), He initialisation, seed 1.
    static func configuration(hidden: [Int]?, epochs: Int, batchSize: Int) -> TrainingConfiguration {
        TrainingConfiguration(
            hiddenLayerSizes: hidden ?? [], epochs: epochs, batchSize: batchSize, learningRate: hidden == nil ? 0.01 : 0.1,
            optimizer: .sgd, schedule: .constant, initializer: .he, seed: 1, network: hidden == nil ? .cnn : nil)
    }

    /// GFLOP/s of `gemm` on the products one training step of each network makes (batch 64),
    /// on the inference batch of 1000, and on the hidden product of 784-256-128-10's inference
    /// chunks of 128.
    func gemmFigures() {
        print("gemm, load average \(Self.loadAverage()); GFLOP/s per CPU-second of this thread "
              + "(time descheduled not counted), median of 7")
        ComputeThreads.maximum = 1
        let b = batchSize
        let shapes: [(String, Int, Int, Int, Bool, Bool)] = [
            ("X·Wᵀ 64×128×784", b, 128, 784, false, true),
            ("X·Wᵀ 64×256×784", b, 256, 784, false, true),
            ("X·Wᵀ 64×128×256", b, 128, 256, false, true),
            ("X·Wᵀ 64×10×128", b, 10, 128, false, true),
            ("X·Wᵀ 64×10×784", b, 10, 784, false, true),
            ("X·Wᵀ 1000×256×784", 1000, 256, 784, false, true),
            ("X·W 64×256×784", b, 256, 784, false, false),
            ("X·W 1000×256×784", 1000, 256, 784, false, false),
            ("X·W 128×128×256", 128, 128, 256, false, false),
            ("dYᵀ·X 128×784×64", 128, 784, b, true, false),
            ("dYᵀ·X 256×784×64", 256, 784, b, true, false),
            ("dYᵀ·X 128×256×64", 128, 256, b, true, false),
            ("dYᵀ·X 10×128×64", 10, 128, b, true, false),
            ("dY·W 64×784×128", b, 784, 128, false, false),
            ("dY·W 64×256×128", b, 256, 128, false, false),
            ("dY·W 64×128×10", b, 128, 10, false, false),
        ]
        for (name, m, n, k, ta, tb) in shapes {
            let a = [Float](repeating: 0.5, count: m * k), bb = [Float](repeating: 0.25, count: k * n)
            var c = [Float](repeating: 0, count: m * n)
            let repeats = max(1, 20_000_000 / (m * n * k))
            var rates: [Double] = []
            for _ in 0..<8 {
                let start = Self.threadCPUSeconds()
                for _ in 0..<repeats {
                    NeuralNet.gemm(m: m, n: n, k: k, a: a, transposeA: ta, b: bb, transposeB: tb, c: &c, accumulate: false)
                }
                rates.append(2 * Double(m * n * k * repeats) / (Self.threadCPUSeconds() - start) / 1e9)
            }
            print(name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%7.1f", Self.median(Array(rates.dropFirst()))))
        }
    }

    /// CPU time the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The 1-minute load average from /proc/loadavg, or "?" where there is none.
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    }
}
