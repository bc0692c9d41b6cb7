// End-to-end runs with the convolutional network (`--arch cnn`) and augmentation, on a small
// synthetic MNIST (plain IDX files written here) so that debug builds stay fast.

import Foundation
import PNG
import Testing

/// A tiny MNIST look-alike: digit `d` is a bright vertical bar at column `4 + 2d`, with a
/// little seeded noise; 30 training and 20 test images (a debug build runs the CNN slowly).
enum SyntheticMNIST {
    static let folder: URL = {
        let folder = makeSharedTemporaryDirectory()
        var state: UInt64 = 1
        func noise() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 59)  // 0…31
        }
        for (split, count) in [("train", 30), ("t10k", 20)] {
            var images: [UInt8] = [0, 0, 8, 3] + bigEndian(count) + bigEndian(28) + bigEndian(28)
            var labels: [UInt8] = [0, 0, 8, 1] + bigEndian(count)
            for index in 0..<count {
                let digit = index % 10
                labels.append(UInt8(digit))
                for y in 0..<28 {
                    for x in 0..<28 {
                        images.append((6..<22).contains(y) && (x == 4 + 2 * digit || x == 5 + 2 * digit) ? 220 : noise())
                    }
                }
            }
            try! Data(images).write(to: folder.appendingPathComponent("\(split)-images-idx3-ubyte"))
            try! Data(labels).write(to: folder.appendingPathComponent("\(split)-labels-idx1-ubyte"))
        }
        return folder
    }()

    static func bigEndian(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - $0))) }
    }

    /// A CNN trained once for the suite: 1 epoch on the 30 images, augmented.
    static let model: (path: String, result: ProcessResult) = {
        let path = folder.appendingPathComponent("cnn.safetensors").path
        let result = try! DigitsExecutable.run([
            "train", "--arch", "cnn", "--augment", "--dropout", "0.25", "--epochs", "1", "--batch-size", "16",
            "--data", folder.path, "--model", path, "--output", folder.appendingPathComponent("out").path,
        ])
        return (path, result)
    }()
}

@Suite("digits with a convolutional network")
struct ConvolutionalCommandTests {
    @Test func trainsTheCNNAndSavesItsLayers() throws {
        let (path, result) = SyntheticMNIST.model
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("training 784-conv5x5x32-pool2-conv5x5x64-pool2-128-10 on augmented images"))
        #expect(result.outputLines.filter { $0.hasPrefix("epoch ") }.count == 1)
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)).prefix(4096), as: UTF8.self)
        #expect(header.contains(#"\"type\":\"conv2d\""#) && header.contains(#"\"type\":\"dropout\""#))
        #expect(header.contains(#""shape":[32,1,5,5]"#))
    }

    @Test func weightsDrawTheFirstConvolutionsFilters() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try DigitsExecutable.run(["weights", "--model", SyntheticMNIST.model.path, "--output", output.path])
        #expect(result.status == 0, "\(result.standardError)")
        let image = try Image(contentsOfPNGFile: output.appendingPathComponent("weights.png").path, layout: .rgb)
        #expect(image.width > 8 * 5 && image.height > 4 * 5)
    }

    @Test func classifyEvaluateAndSheetWorkWithTheCNN() throws {
        let model = SyntheticMNIST.model.path
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let classify = try DigitsExecutable.run(["classify", "--model", model, "samples/7-grey.png"])
        #expect(classify.status == 0, "\(classify.standardError)")
        #expect(classify.outputLines.last?.hasPrefix("samples/7-grey.png: ") == true)
        let data = SyntheticMNIST.folder.path
        let evaluate = try DigitsExecutable.run(["evaluate", "--model", model, "--data", data, "--output", output.path])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(evaluate.standardOutput.contains("784-conv5x5x32"))
        let sheet = try DigitsExecutable.run(["sheet", "--model", model, "--data", data, "--count", "12", "--output", output.path])
        #expect(sheet.status == 0, "\(sheet.standardError)")
    }

    @Test func augmentedMLPTrainingIsDeterministic() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["a", "b"] {
            let result = try DigitsExecutable.run([
                "train", "--augment", "--epochs", "2", "--hidden", "8", "--seed", "3", "--data", SyntheticMNIST.folder.path,
                "--model", folder.appendingPathComponent("\(name).safetensors").path, "--output", folder.path,
            ])
            #expect(result.status == 0, "\(result.standardError)")
        }
        let a = try Data(contentsOf: folder.appendingPathComponent("a.safetensors"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b.safetensors"))
        #expect(a == b)
    }

    @Test(arguments: [["--arch", "rnn"], ["--dropout", "1"], ["--dropout", "0.5"]])
    func rejectsBadOptionsAsUsageErrors(arguments: [String]) throws {
        let result = try DigitsExecutable.run(["train"] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.standardError)")
    }

    @Test func mainJobRunsWithASavedCNNAndSaysHowToTrainOne() throws {
        let output = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try DigitsExecutable.run([
            "--model", SyntheticMNIST.model.path, "--data", SyntheticMNIST.folder.path, "--output", output.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.contains { $0.contains("of \(DigitsExecutable.samplePictureCount) right in samples/") })
        #expect(result.standardOutput.contains("digits train --arch cnn"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("weights.png").path))
    }

    @Test func benchReportsTheMLPAndTheCNN() throws {
        let result = try DigitsExecutable.run([
            "bench", "--data", SyntheticMNIST.folder.path, "--epochs", "1", "--batch-size", "8",
            "--networks", "784-10-10 cnn", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputLines.count == 2)
        #expect(result.outputLines.first?.contains(#""network": "784-10-10""#) == true)
        #expect(result.outputLines.last?.contains(#""network": "784-conv5x5x32-pool2-conv5x5x64-pool2-128-10""#) == true)
    }
}
