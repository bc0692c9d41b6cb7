/// A trainable tensor and the gradient of the loss with respect to it.
///
/// A class, so that a layer and the optimiser share one copy: the layer reads `value` and
/// writes `gradient` in its backward pass, the optimiser updates `value` in place.
public final class Parameter {
    /// How `value` and `gradient` lie in memory relative to `shape`.
    public enum Layout: Sendable {
        /// Row-major in `shape`'s order.
        case rowMajor
        /// A matrix of `shape` `[r, c]` kept as its transpose, `[c, r]` row-major. A dense layer
        /// keeps its `[out, in]` weights this way, so that the forward product and the sparse
        /// input paths run along contiguous rows (see `Dense`).
        case transposed
    }

    /// The tensor's shape, outermost first: `[out, in]` for a dense weight, `[out]` for a bias.
    /// It is the shape of the tensor in a checkpoint, whatever `layout` is.
    public let shape: [Int]
    /// How `value` and `gradient` are laid out.
    public let layout: Layout
    /// The elements, in `layout`.
    public var value: [Float] { didSet { version &+= 1 } }
    /// Counts the changes to `value` (the optimiser's steps, a checkpoint loaded), so that a
    /// layer can tell whether a rearranged copy it keeps for inference is still current.
    public private(set) var version = 0
    /// ∂L/∂value from the last backward pass (overwritten, not accumulated), in `layout`; only
    /// scratch when that pass took the optimiser's step itself (`isStepTaken`).
    public var gradient: [Float]
    /// Whether L2 weight decay applies: true for weights, false for biases.
    public let isDecayed: Bool
    /// Whether the backward pass has already taken this step's plain gradient descent on
    /// `value` (and left `gradient` unwritten): set by the layer, cleared by the optimiser's
    /// `update`, which then leaves the parameter alone (see `Optimizer.plainDescentRate`).
    public internal(set) var isStepTaken = false

    /// Writes `value` into each of `rows` consecutive runs of `value.count` floats from
    /// `target`: a bias broadcast to every row of a batch's output.
    func copyValue(intoRows rows: Int, at target: UnsafeMutablePointer<Float>) {
        value.withUnsafeBufferPointer { value in
            for row in 0..<rows {
                (target + row * value.count).update(from: value.baseAddress!, count: value.count)
            }
        }
    }

    /// A zero parameter of the given shape and layout (`.transposed` needs a two-dimensional shape).
    public init(shape: [Int], isDecayed: Bool, layout: Layout = .rowMajor) {
        precondition(layout == .rowMajor || shape.count == 2, "only a matrix can be kept transposed")
        let count = shape.reduce(1, *)
        self.shape = shape
        self.layout = layout
        self.value = [Float](repeating: 0, count: count)
        self.gradient = [Float](repeating: 0, count: count)
        self.isDecayed = isDecayed
    }

    /// The values in `shape`'s row-major order: the order of the checkpoint tensor.
    public var valuesInShapeOrder: [Float] {
        get { shapeOrder(of: value) }
        set { value = layoutOrder(of: newValue) }
    }

    /// `values` (laid out as `value` is, e.g. an optimiser moment) in `shape`'s row-major order.
    public func shapeOrder(of values: [Float]) -> [Float] {
        guard layout == .transposed else { return values }
        return Self.transposed(values, rows: shape[1], columns: shape[0])
    }

    /// `values` in `shape`'s row-major order, laid out as `value` is.
    public func layoutOrder(of values: [Float]) -> [Float] {
        precondition(values.count == value.count, "\(values.count) values for a parameter of \(value.count)")
        guard layout == .transposed else { return values }
        return Self.transposed(values, rows: shape[0], columns: shape[1])
    }

    /// The `[columns, rows]` transpose of a `[rows, columns]` row-major matrix.
    private static func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        guard !values.isEmpty else { return values }
        return [Float](unsafeUninitializedCapacity: values.count) { target, initialized in
            values.withUnsafeBufferPointer { source in
                transpose(source.baseAddress!, rows: rows, columns: columns, into: target.baseAddress!)
            }
            initialized = values.count
        }
    }
}
