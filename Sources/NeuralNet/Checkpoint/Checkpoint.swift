// A trained network on disk: safetensors with tensors `layers.N.weight` [out, in] (a
// convolution's: [out_channels, in_channels, kernel, kernel]) and `layers.N.bias` [out]
// (N counting the layers with parameters) and `__metadata__` holding
// format=digits, version=1, the layer list, the input normalisation, a training summary and,
// when fitted, the calibration (temperature, refusal threshold, reject class); a checkpoint of an interrupted run also holds the optimiser's state (see `ResumeState`).

import Foundation

/// A network with what is needed to use it again: how inputs are normalised and how it was trained.
public struct Checkpoint {
    /// The network.
    public var network: Network
    /// How pixels become inputs, e.g. `x/255`.
    public var inputNormalization: String
    /// How the network was trained, when known.
    public var training: TrainingRecord?
    /// What an interrupted run needs to continue; nil in the checkpoint of a finished run.
    public var resumeState: ResumeState?
    /// How far to trust the network's probabilities and when to refuse an answer, when fitted.
    public var calibration: Calibration?

    /// The format name in `__metadata__["format"]`.
    public static let format = "digits"
    /// The format version this code writes and reads.
    public static let version = "1"
    /// The largest file `read(from:)` accepts (a digits model is a few megabytes).
    public static let maximumFileSize = 1 << 30

    /// A checkpoint of `network`, whose inputs are normalised as `inputNormalization` says.
    public init(network: Network, inputNormalization: String = "x/255", training: TrainingRecord? = nil,
                resumeState: ResumeState? = nil, calibration: Calibration? = nil) {
        self.network = network
        self.inputNormalization = inputNormalization
        self.training = training
        self.resumeState = resumeState
        self.calibration = calibration
    }

    /// Writes the checkpoint atomically: to `<file>.tmp-<pid>` in the same directory, flushed
    /// to disk, then renamed over `url`, so a reader never sees a half-written file.
    public func write(to url: URL) throws(CheckpointError) {
        let path = url.path
        let bytes: Data
        do {
            bytes = try SafeTensors.encode(tensors + (resumeState?.tensors(for: network.parameters) ?? []), metadata: metadata)
        } catch {
            throw CheckpointError(path: path, reason: .unwritable, detail: "cannot encode the header: \(error)")
        }
        let temporaryPath = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
                throw CheckpointError(path: path, reason: .unwritable, detail: "cannot create \(temporaryPath)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
            guard rename(temporaryPath, path) == 0 else {
                throw CheckpointError(path: path, reason: .unwritable, detail: "cannot rename \(temporaryPath) to it: \(String(cString: strerror(errno)))")
            }
        } catch let error as CheckpointError {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw CheckpointError(path: path, reason: .unwritable, detail: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads and validates a checkpoint: the safetensors container (see `SafeTensors.decode`),
    /// the metadata's format and version, the layer list, and that exactly the tensors the
    /// layers need are present with the shapes they need.
    public static func read(from url: URL) throws(CheckpointError) -> Checkpoint {
        let path = url.path
        func failure(_ reason: CheckpointError.Reason, _ detail: String) -> CheckpointError {
            CheckpointError(path: path, reason: reason, detail: detail)
        }
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            // A directory, a device such as /dev/zero or a pipe has no size to check.
            guard attributes[.type] as? FileAttributeType == .typeRegular else {
                throw failure(.unreadable, "cannot read: not a regular file")
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw failure(.unreadable, "cannot read: no such file or no permission")
        }
        guard size <= maximumFileSize else {
            throw failure(.fileTooLarge, "file is \(size) bytes, more than a checkpoint's limit of \(maximumFileSize)")
        }
        // Checked before reading as well as after: Foundation's `Data(contentsOf:)` leaks a
        // buffer on an empty file (found by Fuzz/run.sh checkpoint).
        guard size >= 8 else {
            throw failure(.truncated, "file is \(size) bytes, too short for the 8-byte header length")
        }
        guard let file = try? Data(contentsOf: url) else {
            throw failure(.unreadable, "cannot read the file")
        }
        return try decode(file, path: path)
    }

    /// Validates and builds a checkpoint from the bytes of a safetensors file, as `read(from:)`
    /// does for a file; `path` names the bytes in errors.
    public static func decode(_ file: Data, path: String) throws(CheckpointError) -> Checkpoint {
        func failure(_ reason: CheckpointError.Reason, _ detail: String) -> CheckpointError {
            CheckpointError(path: path, reason: reason, detail: detail)
        }
        var (tensors, metadata) = try SafeTensors.decode(file, path: path)
        let optimizerTensors = tensors.filter { $0.key.hasPrefix(ResumeState.tensorPrefix) }
        tensors = tensors.filter { !$0.key.hasPrefix(ResumeState.tensorPrefix) }

        guard metadata["format"] == format else {
            throw failure(.foreignFormat, "not a digits checkpoint (metadata format is \(metadata["format"].map { "\"\($0)\"" } ?? "missing"))")
        }
        guard metadata["version"] == version else {
            throw failure(.unsupportedVersion, "checkpoint version \(metadata["version"] ?? "missing") is not supported (expected \(version))")
        }
        guard let input = metadata["input"] else {
            throw failure(.invalidMetadata, "metadata lacks the input normalisation")
        }
        guard let layersJSON = metadata["layers"],
              let architecture = try? JSONDecoder().decode([LayerDescription].self, from: Data(layersJSON.utf8))
        else {
            throw failure(.invalidArchitecture, "metadata \"layers\" is not a valid list of chained layers")
        }
        // The layers are allocated from the list, so a doctored list could ask for terabytes:
        // they may hold no more values than the file's tensors do.
        let storedValues = tensors.values.reduce(0) { $0 + $1.values.count }
        guard let declaredValues = parameterCount(of: architecture) else {
            throw failure(.invalidArchitecture, "metadata \"layers\" declares a layer of impossible size")
        }
        guard declaredValues <= storedValues else {
            throw failure(.invalidArchitecture, "metadata \"layers\" needs \(declaredValues) weights and biases but the "
                          + "tensors hold \(storedValues): they belong to another architecture")
        }
        guard let network = Network(architecture: architecture) else {
            throw failure(.invalidArchitecture, "metadata \"layers\" is not a valid list of chained layers")
        }
        var training: TrainingRecord?
        if let trainingJSON = metadata["training"] {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            guard let record = try? decoder.decode(TrainingRecord.self, from: Data(trainingJSON.utf8)) else {
                throw failure(.invalidMetadata, "metadata \"training\" is not a valid training summary")
            }
            training = record
        }
        var calibration: Calibration?
        if let calibrationJSON = metadata["calibration"] {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            guard let fitted = try? decoder.decode(Calibration.self, from: Data(calibrationJSON.utf8)),
                  fitted.temperature > 0, fitted.temperature.isFinite, (0...1).contains(fitted.threshold),
                  fitted.rejectMargin >= 0, fitted.rejectMargin.isFinite,
                  fitted.rejectClass.map({ (0..<network.outputCount).contains($0) }) ?? true
            else {
                throw failure(.invalidMetadata, "metadata \"calibration\" is not a valid calibration")
            }
            calibration = fitted
        }

        var expectedNames: Set<String> = []
        for (name, parameter) in parameterNames(of: network) {
            expectedNames.insert(name)
            guard let tensor = tensors[name] else {
                throw failure(.missingTensor, "tensor \(name) is missing")
            }
            guard tensor.shape == parameter.shape else {
                throw failure(.shapeMismatch, "tensor \(name) has shape \(tensor.shape) but the layers need \(parameter.shape)")
            }
            parameter.valuesInShapeOrder = tensor.values
        }
        if let extra = tensors.keys.sorted().first(where: { !expectedNames.contains($0) }) {
            throw failure(.unexpectedTensor, "tensor \(extra) does not belong to any layer")
        }
        let resumeState = try ResumeState.read(metadata: metadata, tensors: optimizerTensors,
                                               parameters: network.parameters, path: path)
        return Checkpoint(network: network, inputNormalization: input, training: training, resumeState: resumeState,
                          calibration: calibration)
    }

    /// The number of weights and biases of the dense and convolution layers in `architecture`,
    /// or nil when a size is not positive or the count overflows.
    private static func parameterCount(of architecture: [LayerDescription]) -> Int? {
        var total = 0
        for layer in architecture {
            let factors: [Int]
            let biases: Int
            switch layer {
            case let .dense(inputCount, outputCount):
                (factors, biases) = ([outputCount, inputCount], outputCount)
            case let .conv2d(inputChannels, outputChannels, kernelSize, _, _, _):
                (factors, biases) = ([outputChannels, inputChannels, kernelSize, kernelSize], outputChannels)
            case .relu, .maxPool, .flatten, .dropout:
                continue
            }
            var weights = 1
            for factor in factors {
                guard factor > 0 else { return nil }
                let (product, overflow) = weights.multipliedReportingOverflow(by: factor)
                guard !overflow else { return nil }
                weights = product
            }
            let (layerTotal, overflow) = weights.addingReportingOverflow(biases)
            let (sum, overflow2) = total.addingReportingOverflow(layerTotal)
            guard !overflow, !overflow2 else { return nil }
            total = sum
        }
        return total
    }

    /// The metadata, string values only as safetensors requires. Throws when a value cannot be
    /// JSON (a non-finite number in the training summary).
    var metadata: [String: String] {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var metadata = [
                "format": Self.format,
                "version": Self.version,
                "input": inputNormalization,
                "layers": String(decoding: try encoder.encode(network.architecture), as: UTF8.self),
            ]
            if let training {
                encoder.keyEncodingStrategy = .convertToSnakeCase
                metadata["training"] = String(decoding: try encoder.encode(training), as: UTF8.self)
            }
            if let resumeState {
                metadata[ResumeState.metadataKey] = try resumeState.metadataValue()
            }
            if let calibration {
                encoder.keyEncodingStrategy = .convertToSnakeCase
                metadata["calibration"] = String(decoding: try encoder.encode(calibration), as: UTF8.self)
            }
            return metadata
        }
    }

    /// The tensors in layer order.
    var tensors: [StoredTensor] {
        Self.parameterNames(of: network).map { name, parameter in
            StoredTensor(name: name, shape: parameter.shape, values: parameter.valuesInShapeOrder)
        }
    }

    /// Each parameter's tensor name: `layers.N.weight` / `layers.N.bias`, N counting the
    /// layers that have parameters.
    static func parameterNames(of network: Network) -> [(String, Parameter)] {
        var names: [(String, Parameter)] = []
        var index = 0
        for layer in network.layers where !layer.parameters.isEmpty {
            // Dense and Conv2D both list their parameters as [weight, bias].
            precondition(layer.parameters.count == 2, "checkpoint naming knows layers with a weight and a bias")
            names.append(("layers.\(index).weight", layer.parameters[0]))
            names.append(("layers.\(index).bias", layer.parameters[1]))
            index += 1
        }
        return names
    }
}

/// How a checkpoint's network was trained, stored as JSON with snake_case keys in
/// `__metadata__["training"]`, e.g. `{"configuration":{"epochs":20,"optimizer":"momentum","seed":1,…},"epochs_completed":20,"test_accuracy":0.9846}`.
public struct TrainingRecord: Codable, Equatable, Sendable {
    /// The settings (architecture, epochs, optimiser, seed, …).
    public var configuration: TrainingConfiguration
    /// Epochs actually completed.
    public var epochsCompleted: Int
    /// Test-set accuracy after the last epoch, when measured.
    public var testAccuracy: Double?

    public init(configuration: TrainingConfiguration, epochsCompleted: Int, testAccuracy: Double?) {
        self.configuration = configuration
        self.epochsCompleted = epochsCompleted
        self.testAccuracy = testAccuracy
    }

}
