// Checkpoints of convolutional networks: the layer list in JSON, 4-D filter tensors, shape
// validation of conv tensors, and a file written by the MLP-only code that still loads.

import Foundation
import Testing
@testable import NeuralNet

@Suite("Checkpoints of convolutional networks")
final class ConvolutionCheckpointTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("neuralnet-conv-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// conv 3×3×2 (same) → pool 2 → ReLU → flatten → dropout → dense 4, on 6×6 images.
    func smallNetwork() -> Network {
        var generator = SeededGenerator(seed: 5)
        return Network(layers: [
            Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, height: 6, width: 6, padding: .same,
                   initializer: .he, generator: &generator),
            MaxPool(channels: 2, height: 6, width: 6),
            ReLU(featureCount: 18),
            Flatten(featureCount: 18),
            Dropout(featureCount: 18, rate: 0.25),
            Dense(inputCount: 18, outputCount: 4, initializer: .he, generator: &generator),
        ])
    }

    /// The bytes of `checkpoint` with the metadata's layer list replaced by `layers`.
    func file(_ checkpoint: Checkpoint, layers: String? = nil, name: String) throws -> URL {
        var metadata = try checkpoint.metadata
        if let layers { metadata["layers"] = layers }
        let url = directory.appendingPathComponent(name)
        try SafeTensors.encode(checkpoint.tensors, metadata: metadata).write(to: url)
        return url
    }

    @Test("Round trip: architecture, 4-D filters, weights and predictions")
    func roundTrip() throws {
        let network = smallNetwork()
        let configuration = TrainingConfiguration(epochs: 1, network: .cnn, dropout: 0.25, augmented: true)
        let record = TrainingRecord(configuration: configuration, epochsCompleted: 1, testAccuracy: 0.25)
        let url = directory.appendingPathComponent("cnn.safetensors")
        try Checkpoint(network: network, training: record).write(to: url)
        let loaded = try Checkpoint.read(from: url)
        #expect(loaded.network.architecture == network.architecture)
        #expect(loaded.network.parameters.map(\.value) == network.parameters.map(\.value))
        #expect(loaded.training == record)
        #expect(Checkpoint(network: network).tensors.map(\.name)
            == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        #expect(Checkpoint(network: network).tensors[0].shape == [2, 1, 3, 3])
        let input = randomMatrix(rows: 2, columns: 36, seed: 6)
        #expect(loaded.network.probabilities(for: input) == network.probabilities(for: input))
    }

    @Test("The layer list is JSON with the documented keys")
    func layerJSON() throws {
        let layers = try Checkpoint(network: smallNetwork()).metadata["layers"]!
        #expect(layers.contains(#"{"height":6,"in_channels":1,"kernel":3,"out_channels":2,"padding":"same","type":"conv2d","width":6}"#))
        #expect(layers.contains(#"{"channels":2,"height":6,"size":2,"type":"maxpool","width":6}"#))
        #expect(layers.contains(#"{"type":"flatten"}"#))
        #expect(layers.contains(#"{"rate":0.25,"type":"dropout"}"#))
    }

    @Test("Conv tensors of the wrong shape, and layer lists whose geometry does not chain, are rejected")
    func badConvolutions() throws {
        let checkpoint = Checkpoint(network: smallNetwork())
        func reason(_ layers: String) throws -> CheckpointError.Reason? {
            do {
                _ = try Checkpoint.read(from: try file(checkpoint, layers: layers, name: "bad.safetensors"))
                return nil
            } catch let error as CheckpointError {
                return error.reason
            }
        }
        let conv = #"{"type":"conv2d","in_channels":1,"out_channels":2,"kernel":3,"padding":"same","height":6,"width":6}"#
        let rest = #"{"type":"maxpool","size":2,"channels":2,"height":6,"width":6},{"type":"relu"},{"type":"flatten"},{"type":"dense","in":18,"out":4}"#
        #expect(try reason("[\(conv),\(rest)]") == nil)
        // Three filters where the file has two: the tensors no longer fit.
        #expect(try reason("[\(conv.replacingOccurrences(of: #""out_channels":2"#, with: #""out_channels":3"#)),\(rest)]") != nil)
        // A 5×5 kernel where the file stores 3×3: more weights declared than the file holds, so
        // it is refused before any layer is built.
        let wideKernel = conv.replacingOccurrences(of: #""kernel":3"#, with: #""kernel":5"#)
        #expect(try reason("[\(wideKernel),\(rest)]") == .invalidArchitecture)
        // Geometry that does not chain: pooling 7×7 planes after a 6×6 output.
        #expect(try reason("[\(conv),\(rest.replacingOccurrences(of: #""height":6"#, with: #""height":7"#))]") == .invalidArchitecture)
        // Same padding with an even kernel, a kernel larger than a valid image, absurd sizes, bad dropout.
        #expect(try reason("[\(conv.replacingOccurrences(of: #""kernel":3"#, with: #""kernel":4"#)),\(rest)]") == .invalidArchitecture)
        #expect(try reason(#"[{"type":"conv2d","in_channels":1,"out_channels":2,"kernel":7,"padding":"valid","height":6,"width":6}]"#) == .invalidArchitecture)
        #expect(try reason(#"[{"type":"conv2d","in_channels":1,"out_channels":2,"kernel":3,"padding":"valid","height":100000000,"width":6}]"#) == .invalidArchitecture)
        #expect(try reason(#"[{"type":"conv2d","in_channels":1,"out_channels":2,"kernel":3,"padding":"diagonal","height":6,"width":6}]"#) == .invalidArchitecture)
        #expect(try reason("[\(conv),\(rest),{\"type\":\"dropout\",\"rate\":1.5}]") == .invalidArchitecture)
        // Flatten or dropout first: their size is unknown.
        #expect(try reason(#"[{"type":"flatten"},{"type":"dense","in":18,"out":4}]"#) == .invalidArchitecture)
    }

    @Test("A checkpoint written by the MLP-only code (before conv layers) still loads")
    func mlpCheckpointFromBeforeConvolutions() throws {
        let url = directory.appendingPathComponent("mlp-v1.safetensors")
        try Data(base64Encoded: Self.mlpVersion1.joined())!.write(to: url)
        let loaded = try Checkpoint.read(from: url)
        let expected = Network(inputCount: 4, hiddenLayerSizes: [3], outputCount: 2, seed: 7)
        #expect(loaded.network.architecture == expected.architecture)
        #expect(loaded.network.parameters.map(\.value) == expected.parameters.map(\.value))
        #expect(loaded.training?.configuration.network == nil)
        #expect(loaded.training?.configuration.makeNetwork(inputCount: 4, classCount: 2).architecture == expected.architecture)
        // Written again by today's code, an MLP checkpoint is byte for byte what the old code wrote.
        let rewritten = directory.appendingPathComponent("rewritten.safetensors")
        try loaded.write(to: rewritten)
        #expect(try Data(contentsOf: rewritten) == Data(contentsOf: url))
    }

    /// `Checkpoint(network: Network(inputCount: 4, hiddenLayerSizes: [3], outputCount: 2, seed: 7),
    /// training: …epochs 2, seed 7, test accuracy 0.5)` as written by commit f3e38a4, base64.
    static let mlpVersion1 = [
        "6AIAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJkaWdpdHMiLCJpbnB1dCI6IngvMjU1IiwibGF5ZXJzIjoiW3tc",
        "ImluXCI6NCxcIm91dFwiOjMsXCJ0eXBlXCI6XCJkZW5zZVwifSx7XCJ0eXBlXCI6XCJyZWx1XCJ9LHtcImluXCI6MyxcIm91",
        "dFwiOjIsXCJ0eXBlXCI6XCJkZW5zZVwifV0iLCJ0cmFpbmluZyI6IntcImNvbmZpZ3VyYXRpb25cIjp7XCJiYXRjaF9zaXpl",
        "XCI6NjQsXCJlcG9jaHNcIjoyLFwiaGlkZGVuX2xheWVyX3NpemVzXCI6WzNdLFwiaW5pdGlhbGl6ZXJcIjpcImhlXCIsXCJs",
        "ZWFybmluZ19yYXRlXCI6MC4wMDEsXCJtb21lbnR1bVwiOjAuOSxcIm9wdGltaXplclwiOlwiYWRhbVwiLFwic2NoZWR1bGVc",
        "Ijp7XCJjb25zdGFudFwiOnt9fSxcInNlZWRcIjo3LFwid2VpZ2h0X2RlY2F5XCI6MH0sXCJlcG9jaHNfY29tcGxldGVkXCI6",
        "MixcInRlc3RfYWNjdXJhY3lcIjowLjV9IiwidmVyc2lvbiI6IjEifSwibGF5ZXJzLjAuYmlhcyI6eyJkYXRhX29mZnNldHMi",
        "Ols0OCw2MF0sImR0eXBlIjoiRjMyIiwic2hhcGUiOlszXX0sImxheWVycy4wLndlaWdodCI6eyJkYXRhX29mZnNldHMiOlsw",
        "LDQ4XSwiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzMsNF19LCJsYXllcnMuMS5iaWFzIjp7ImRhdGFfb2Zmc2V0cyI6Wzg0LDky",
        "XSwiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdfSwibGF5ZXJzLjEud2VpZ2h0Ijp7ImRhdGFfb2Zmc2V0cyI6WzYwLDg0XSwi",
        "ZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsM119fSAgICDzCEq+ivKrPzpbwT+mHks++/rUPhGqzb37z5w/vQc4v49PCL8S+Yw+",
        "CfiAvpJ3UL4AAAAAAAAAAAAAAAAgFXA/mqtLvpfOAL+KLWk+fLTBPz1q0L8AAAAAAAAAAA==",
    ]
}
