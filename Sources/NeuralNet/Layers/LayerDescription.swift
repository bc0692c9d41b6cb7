/// A layer's kind and sizes, as stored in a checkpoint's `layers` list:
/// `{"type":"dense","in":784,"out":10}` or `{"type":"relu"}`.
public enum LayerDescription: Equatable, Sendable, Codable {
    /// A fully connected layer with `inputCount` inputs and `outputCount` outputs.
    case dense(inputCount: Int, outputCount: Int)
    /// An elementwise rectifier; its size is its predecessor's output.
    case relu

    private enum CodingKeys: String, CodingKey {
        case type, `in`, out
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "dense":
            self = .dense(
                inputCount: try container.decode(Int.self, forKey: .in),
                outputCount: try container.decode(Int.self, forKey: .out))
        case "relu":
            self = .relu
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown layer type \"\(type)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .dense(inputCount, outputCount):
            try container.encode("dense", forKey: .type)
            try container.encode(inputCount, forKey: .in)
            try container.encode(outputCount, forKey: .out)
        case .relu:
            try container.encode("relu", forKey: .type)
        }
    }
}
