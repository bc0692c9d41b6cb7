// Checkpoints: the round trip, an independent reading of the bytes, and every kind of bad file.

import Foundation
import Testing
@testable import NeuralNet

@Suite("Checkpoints")
final class CheckpointTests {
    let directory: URL
    let network = Network(inputCount: 4, hiddenLayerSizes: [3], outputCount: 2, seed: 9)

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("neuralnet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(network: network, training: TrainingRecord(
            configuration: TrainingConfiguration(hiddenLayerSizes: [3], epochs: 2, seed: 9),
            epochsCompleted: 2, testAccuracy: 0.5))
    }

    /// A valid file's header as a dictionary and its data bytes, for doctoring.
    func validParts() throws -> (header: [String: Any], data: [UInt8]) {
        let bytes = [UInt8](try SafeTensors.encode(checkpoint().tensors, metadata: checkpoint().metadata))
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + length])) as! [String: Any]
        return (header, Array(bytes[(8 + length)...]))
    }

    /// Writes `header` and `data` as a safetensors file and returns its URL.
    func file(header: [String: Any], data: [UInt8], name: String = "doctored.safetensors") throws -> URL {
        try file(headerBytes: [UInt8](try JSONSerialization.data(withJSONObject: header)), data: data, name: name)
    }

    func file(headerBytes: [UInt8], data: [UInt8], name: String = "doctored.safetensors") throws -> URL {
        var bytes = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { [UInt8]($0) }
        bytes += headerBytes + data
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func reason(reading url: URL) -> CheckpointError.Reason? {
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        #expect(error?.description.hasPrefix(url.path + ": ") == true)
        return error?.reason
    }

    /// The doctored file's rejection reason after `change` edits a valid header.
    func reason(afterChanging change: (inout [String: Any], inout [UInt8]) -> Void) throws -> CheckpointError.Reason? {
        var (header, data) = try validParts()
        change(&header, &data)
        return reason(reading: try file(header: header, data: data))
    }

    func setMetadata(_ key: String, _ value: String?, in header: inout [String: Any]) {
        var metadata = header["__metadata__"] as! [String: String]
        metadata[key] = value
        header["__metadata__"] = metadata
    }

    func setTensor(_ name: String, in header: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var entry = header[name] as! [String: Any]
        change(&entry)
        header[name] = entry
    }

    // MARK: Writing and reading back

    @Test("Round trip: the same architecture, weights, metadata and predictions")
    func roundTrip() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        try checkpoint().write(to: url)
        let loaded = try Checkpoint.read(from: url)
        #expect(loaded.network.architecture == network.architecture)
        #expect(loaded.network.parameters.map(\.value) == network.parameters.map(\.value))
        #expect(loaded.inputNormalization == "x/255")
        #expect(loaded.training == checkpoint().training)
        let input = randomMatrix(rows: 3, columns: 4, seed: 1)
        #expect(loaded.network.probabilities(for: input) == network.probabilities(for: input))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["model.safetensors"], "no temporary file is left behind")
    }

    @Test("An independent parse of the written bytes: header length, JSON, offsets, shapes, data")
    func independentParse() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        try checkpoint().write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        var length = 0
        for (shift, byte) in bytes[0..<8].enumerated() { length |= Int(byte) << (8 * shift) }
        #expect((8 + length) % 8 == 0, "data starts 8-byte aligned")
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + length])) as! [String: Any]

        let metadata = header["__metadata__"] as! [String: String]
        #expect(metadata["format"] == "digits")
        #expect(metadata["version"] == "1")
        #expect(metadata["input"] == "x/255")
        #expect(metadata["layers"] == #"[{"in":4,"out":3,"type":"dense"},{"type":"relu"},{"in":3,"out":2,"type":"dense"}]"#)
        #expect(metadata["training"]?.contains("\"test_accuracy\":0.5") == true)

        let expected: [(String, [Int], Int, Int)] = [
            ("layers.0.weight", [3, 4], 0, 48), ("layers.0.bias", [3], 48, 60),
            ("layers.1.weight", [2, 3], 60, 84), ("layers.1.bias", [2], 84, 92),
        ]
        #expect(header.count == 5)
        #expect(bytes.count == 8 + length + 92)
        let parameters = network.parameters
        for (index, (name, shape, begin, end)) in expected.enumerated() {
            let entry = header[name] as! [String: Any]
            #expect(entry["dtype"] as? String == "F32")
            #expect(entry["shape"] as? [Int] == shape)
            #expect(entry["data_offsets"] as? [Int] == [begin, end])
            let values = stride(from: 8 + length + begin, to: 8 + length + end, by: 4).map { offset in
                Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                      | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
            }
            // The file holds each tensor in its shape's row-major order ([out, in] for a
            // weight), whatever the layer's memory layout.
            #expect(values == parameters[index].valuesInShapeOrder)
        }
    }

    @Test("Writing over an existing checkpoint replaces it")
    func overwrite() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        try Checkpoint(network: Network(inputCount: 2, hiddenLayerSizes: [], outputCount: 2, seed: 1)).write(to: url)
        try checkpoint().write(to: url)
        #expect(try Checkpoint.read(from: url).network.architecture == network.architecture)
    }

    @Test("Writing into a missing directory fails with a clear error")
    func unwritable() {
        let url = directory.appendingPathComponent("missing/model.safetensors")
        let error = #expect(throws: CheckpointError.self) { try checkpoint().write(to: url) }
        #expect(error?.reason == .unwritable)
    }

    // MARK: Damaged files

    @Test("Missing, empty and truncated files")
    func truncated() throws {
        #expect(reason(reading: directory.appendingPathComponent("absent.safetensors")) == .unreadable)
        #expect(reason(reading: try file(headerBytes: [], data: [])) == .invalidHeader)
        let url = directory.appendingPathComponent("model.safetensors")
        try checkpoint().write(to: url)
        let bytes = try Data(contentsOf: url)
        for keep in [0, 5, 8, 40, bytes.count - 1] {
            let cut = directory.appendingPathComponent("cut-\(keep).safetensors")
            try bytes.prefix(keep).write(to: cut)
            #expect(reason(reading: cut) == .truncated, "kept \(keep) bytes")
        }
    }

    @Test("A header length beyond the limit is rejected before allocating")
    func hugeHeaderLength() throws {
        let url = directory.appendingPathComponent("huge.safetensors")
        try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B, 0x7D]).write(to: url)
        #expect(reason(reading: url) == .headerTooLarge)
    }

    @Test("Headers that are not JSON objects of the right form")
    func badJSON() throws {
        let data = try validParts().data
        #expect(reason(reading: try file(headerBytes: Array("{\"a\": [1, 2".utf8), data: data)) == .invalidHeader)
        #expect(reason(reading: try file(headerBytes: Array("[1, 2]".utf8), data: data)) == .invalidHeader)
        #expect(try reason { header, _ in header["__metadata__"] = ["format": 1] } == .invalidHeader)
        #expect(try reason { header, _ in setTensor("layers.0.bias", in: &header) { $0["shape"] = "3" } } == .invalidHeader)
        #expect(try reason { header, _ in setTensor("layers.0.bias", in: &header) { $0["data_offsets"] = [48] } } == .invalidHeader)
    }

    @Test("A dtype other than F32")
    func badDType() throws {
        #expect(try reason { header, _ in setTensor("layers.1.bias", in: &header) { $0["dtype"] = "F16" } } == .unsupportedDType)
    }

    @Test("Offsets that overlap, leave a gap, run past the data or do not match the shape")
    func badOffsets() throws {
        #expect(try reason { header, _ in
            setTensor("layers.0.bias", in: &header) { $0["data_offsets"] = [44, 56] }
        } == .invalidOffsets)
        #expect(try reason { header, data in
            setTensor("layers.0.bias", in: &header) { $0["data_offsets"] = [52, 64] }
            setTensor("layers.1.weight", in: &header) { $0["data_offsets"] = [64, 88] }
            setTensor("layers.1.bias", in: &header) { $0["data_offsets"] = [88, 96] }
            data += [0, 0, 0, 0]
        } == .invalidOffsets)
        #expect(try reason { header, _ in
            setTensor("layers.1.bias", in: &header) { $0["data_offsets"] = [84, 4000] }
        } == .truncated)
        #expect(try reason { header, _ in
            setTensor("layers.1.bias", in: &header) { $0["data_offsets"] = [84, 88] }
        } == .invalidOffsets)
        #expect(try reason { header, _ in
            setTensor("layers.1.bias", in: &header) { $0["data_offsets"] = [-4, 4] }
        } == .invalidOffsets)
        #expect(try reason { _, data in data += [0, 0, 0, 0] } == .invalidOffsets)
        #expect(try reason { header, _ in
            setTensor("layers.0.weight", in: &header) { $0["shape"] = [Int.max, 4] }
        } == .invalidOffsets)
    }

    @Test("Shapes inconsistent with the layers, and missing or extra tensors")
    func wrongTensors() throws {
        #expect(try reason { header, _ in setTensor("layers.0.weight", in: &header) { $0["shape"] = [4, 3] } } == .shapeMismatch)
        #expect(try reason { header, _ in
            setMetadata("layers", #"[{"type":"dense","in":4,"out":2},{"type":"relu"},{"type":"dense","in":2,"out":3}]"#, in: &header)
        } == .shapeMismatch)
        #expect(try reason { header, _ in
            header["extra"] = header["layers.1.bias"]
            header["layers.1.bias"] = nil
        } == .missingTensor)
        #expect(try reason { header, data in
            header["extra"] = ["dtype": "F32", "shape": [1], "data_offsets": [92, 96]]
            data += [0, 0, 0, 0]
        } == .unexpectedTensor)
    }

    @Test("Foreign formats, other versions and bad metadata")
    func badMetadata() throws {
        #expect(try reason { header, _ in header["__metadata__"] = nil } == .foreignFormat)
        #expect(try reason { header, _ in setMetadata("format", "pt", in: &header) } == .foreignFormat)
        #expect(try reason { header, _ in setMetadata("version", "2", in: &header) } == .unsupportedVersion)
        #expect(try reason { header, _ in setMetadata("input", nil, in: &header) } == .invalidMetadata)
        #expect(try reason { header, _ in setMetadata("training", "{", in: &header) } == .invalidMetadata)
        #expect(try reason { header, _ in setMetadata("layers", "[{\"type\":\"conv\"}]", in: &header) } == .invalidArchitecture)
        #expect(try reason { header, _ in
            setMetadata("layers", #"[{"type":"dense","in":4,"out":3},{"type":"dense","in":5,"out":2}]"#, in: &header)
        } == .invalidArchitecture)
        #expect(try reason { header, _ in setMetadata("layers", "[]", in: &header) } == .invalidArchitecture)
    }
}

@Suite("Checkpoints: no huge allocation from a doctored file")
struct CheckpointAllocationTests {
    @Test("A layer list declaring more parameters than the file holds is refused before building the layers",
          arguments: [
            #"[{"type":"dense","in":100000,"out":100000}]"#,
            #"[{"type":"dense","in":9223372036854775807,"out":2}]"#,
            #"[{"type":"dense","in":4294967296,"out":4294967296}]"#,
            #"[{"type":"dense","in":-4,"out":3}]"#,
            #"[{"type":"conv2d","in_channels":1,"out_channels":100000,"kernel":50,"padding":"same","height":2,"width":2}]"#,
            #"[{"type":"conv2d","in_channels":4294967296,"out_channels":4294967296,"kernel":3,"padding":"valid","height":4,"width":4}]"#,
          ])
    func hugeArchitecture(layers: String) throws {
        let network = Network(inputCount: 4, hiddenLayerSizes: [3], outputCount: 2, seed: 9)
        var metadata = try Checkpoint(network: network).metadata
        metadata["layers"] = layers
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.encode(Checkpoint(network: network).tensors, metadata: metadata).write(to: url)
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        #expect(error?.reason == .invalidArchitecture)
    }

    @Test("A device or a folder given as the checkpoint is refused, not read forever")
    func notARegularFile() {
        for path in ["/dev/zero", FileManager.default.temporaryDirectory.path] {
            let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: URL(fileURLWithPath: path)) }
            #expect(error?.reason == .unreadable)
            #expect(error?.description.contains("not a regular file") == true)
        }
    }
}
