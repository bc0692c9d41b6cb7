/// A layer's kind and sizes, as stored in a checkpoint's `layers` list:
/// `{"type":"dense","in":784,"out":10}` or `{"type":"relu"}`, and for convolutional networks
/// `{"type":"conv2d","in_channels":1,"out_channels":32,"kernel":5,"padding":"valid","height":28,"width":28}`,
/// `{"type":"maxpool","size":2,"channels":32,"height":24,"width":24}`, `{"type":"flatten"}` and
/// `{"type":"dropout","rate":0.5}`. Image layers give their input's geometry (channel-major).
public enum LayerDescription: Equatable, Sendable, Codable {
    /// A fully connected layer with `inputCount` inputs and `outputCount` outputs.
    case dense(inputCount: Int, outputCount: Int)
    /// An elementwise rectifier; its size is its predecessor's output.
    case relu
    /// A stride-1 convolution of `height × width` images with `inputChannels` channels.
    case conv2d(inputChannels: Int, outputChannels: Int, kernelSize: Int, padding: Padding, height: Int, width: Int)
    /// Max pooling with `size × size` windows over `channels` planes of `height × width`.
    case maxPool(size: Int, channels: Int, height: Int, width: Int)
    /// Images read as flat vectors from here on; its size is its predecessor's output.
    case flatten
    /// Inverted dropout with the given rate (active in training only); its size is its predecessor's output.
    case dropout(rate: Float)

    private enum CodingKeys: String, CodingKey {
        case type, `in`, out
        case inChannels = "in_channels", outChannels = "out_channels", kernel, padding, height, width
        case size, channels, rate
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
        case "conv2d":
            self = .conv2d(
                inputChannels: try container.decode(Int.self, forKey: .inChannels),
                outputChannels: try container.decode(Int.self, forKey: .outChannels),
                kernelSize: try container.decode(Int.self, forKey: .kernel),
                padding: try container.decode(Padding.self, forKey: .padding),
                height: try container.decode(Int.self, forKey: .height),
                width: try container.decode(Int.self, forKey: .width))
        case "maxpool":
            self = .maxPool(
                size: try container.decode(Int.self, forKey: .size),
                channels: try container.decode(Int.self, forKey: .channels),
                height: try container.decode(Int.self, forKey: .height),
                width: try container.decode(Int.self, forKey: .width))
        case "flatten":
            self = .flatten
        case "dropout":
            self = .dropout(rate: try container.decode(Float.self, forKey: .rate))
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
        case let .conv2d(inputChannels, outputChannels, kernelSize, padding, height, width):
            try container.encode("conv2d", forKey: .type)
            try container.encode(inputChannels, forKey: .inChannels)
            try container.encode(outputChannels, forKey: .outChannels)
            try container.encode(kernelSize, forKey: .kernel)
            try container.encode(padding, forKey: .padding)
            try container.encode(height, forKey: .height)
            try container.encode(width, forKey: .width)
        case let .maxPool(size, channels, height, width):
            try container.encode("maxpool", forKey: .type)
            try container.encode(size, forKey: .size)
            try container.encode(channels, forKey: .channels)
            try container.encode(height, forKey: .height)
            try container.encode(width, forKey: .width)
        case .flatten:
            try container.encode("flatten", forKey: .type)
        case let .dropout(rate):
            try container.encode("dropout", forKey: .type)
            try container.encode(rate, forKey: .rate)
        }
    }
}
