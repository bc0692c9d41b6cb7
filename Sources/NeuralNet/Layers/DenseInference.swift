// Inference through a dense layer: its forward pass when no backward pass follows (evaluation,
// classification, the contact sheet), a chunk of rows at a time. A chunk's listing of nonzero
// inputs and its outputs stay in cache, two threads share a batch out chunk by chunk, and a
// network of dense layers runs every layer on a chunk before it takes the next
// (`Network.forwardInChunks`).

/// How a `Dense` layer computes `y = b + x · Wᵀ` for a chunk of rows when no backward pass
/// follows, from copies of its weights laid out for these products:
///
/// - fewer than `minimumWideOutputs` outputs: `NarrowProduct`'s dot products,
///   whatever the input's density, so that a row's outputs are its own and do not depend on
///   the other rows of its batch (its sums run in another order than training's);
/// - else, a chunk with few nonzero inputs (`Dense.sparseMaximumDensity`): their listing times
///   `V`, laid out in strips of 64 columns (`SparseMatrix.packStrips`);
/// - else `gemm` on one thread.
///
/// The last two give the same bits as the training path. Call `prepare()` on one thread
/// before the chunks; `writeOutputs` may then run on `maximumWorkers` threads at once, each
/// with its own `worker` number.
final class DenseInference {
    /// Threads that may write chunks at once.
    static let maximumWorkers = 2
    /// Outputs from which a layer takes the listed or dense products; a narrower one takes
    /// `NarrowProduct`'s dot products.
    static let minimumWideOutputs = 32

    private let weight: Parameter
    private let bias: Parameter
    let inputCount: Int
    let outputCount: Int
    /// The weights rearranged for dot products, and the versions of `weight` and `bias` they
    /// were made from.
    private var narrowProduct = NarrowProduct()
    private var narrowProductVersions = (weight: -1, bias: -1)
    /// `V`'s columns in strips of 64 (`stripFloats` of them), and the version of `weight` they
    /// were made from. Rows of a strip are 256 bytes, and the buffer starts on a cache line, so
    /// that no vector load of a row straddles two lines.
    private let weightStrips = ScratchBuffer()
    private var weightStripsVersion: Int?
    /// Each worker's listing of its chunk's nonzero inputs: through a pointer, since two
    /// threads change them at once.
    private let listings: UnsafeMutablePointer<SparseMatrix>

    /// The inference of the layer whose weights (kept as `V = Wᵀ`, `[inputCount, outputCount]`)
    /// and biases are `weight` and `bias`.
    init(weight: Parameter, bias: Parameter, inputCount: Int, outputCount: Int) {
        self.weight = weight
        self.bias = bias
        self.inputCount = inputCount
        self.outputCount = outputCount
        listings = .allocate(capacity: Self.maximumWorkers)
        listings.initialize(repeating: SparseMatrix(), count: Self.maximumWorkers)
    }

    deinit {
        listings.deinitialize(count: Self.maximumWorkers)
        listings.deallocate()
    }

    /// Whether the layer takes `NarrowProduct`'s dot products.
    var isNarrow: Bool { outputCount < Self.minimumWideOutputs }

    /// Rows a chunk: a wide layer's listing of 128 MNIST images (about 150 entries each) and
    /// its outputs stay in L2; a narrow layer's rows are a fraction of a microsecond each, and
    /// smaller chunks share them out more evenly.
    var chunkRows: Int { isNarrow ? 32 : 128 }

    /// Rows from which a batch is shared over two threads: an MNIST image takes a fraction of a
    /// microsecond in a narrow layer, and waking a second thread several.
    var parallelRows: Int { isNarrow ? 128 : 256 }

    /// Lays the weights out for `writeOutputs` again if they or the biases have changed since
    /// the last time (not between the batches of one evaluation).
    func prepare() {
        if isNarrow {
            guard narrowProductVersions != (weight.version, bias.version) else { return }
            weight.value.withUnsafeBufferPointer { v in
                bias.value.withUnsafeBufferPointer { b in
                    narrowProduct.pack(transposedWeights: v.baseAddress!, bias: b.baseAddress!,
                                       inputCount: inputCount, outputCount: outputCount)
                }
            }
            narrowProductVersions = (weight.version, bias.version)
        } else if weightStripsVersion != weight.version {
            let strips = weightStrips.floats(stripFloats)
            weight.value.withUnsafeBufferPointer { v in
                SparseMatrix.packStrips(of: v.baseAddress!, rows: inputCount, n: outputCount, into: strips)
            }
            weightStripsVersion = weight.version
        }
    }

    /// Floats in `V`'s whole strips of 64 columns.
    private var stripFloats: Int { (outputCount / 64) * 64 * inputCount }

    /// `V`'s strips of 64 columns as they are, or nil for a layer narrower than one strip.
    private var stripStorage: UnsafeMutablePointer<Float>? {
        outputCount >= 64 ? weightStrips.floats(stripFloats) : nil
    }

    /// Calls `body` with `V`'s strips of 64 columns if they are current (`weight` has not
    /// changed since they were made), else with nil.
    func withCurrentWeightStrips<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        body(weightStripsVersion == weight.version ? stripStorage : nil)
    }

    /// Runs `step`, which changes `weight` by a descent step, with `V`'s strips (made first if
    /// they are not current) to change along with it (`DescentStep.stripCopy`), so that they
    /// are current after it; with nil for a layer narrower than one strip.
    func steppingWeightStrips(_ step: (UnsafeMutablePointer<Float>?) -> Void) {
        guard outputCount >= 64 else { return step(nil) }
        prepare()
        step(stripStorage)
        weightStripsVersion = weight.version
    }

    /// `y = b + x · Wᵀ` for a chunk of rows (`y` is `[samples.count, outputCount]`), row `r` of
    /// `x` being sample `samples[r]`: the `inputCount` bytes at `samples[r] · inputCount` in
    /// `bytes`, a byte `b` standing for the feature `b / 255` (see `ByteFeatureSource`). The
    /// same bits as `writeOutputs(x:…)` of the features.
    func writeOutputs(
        bytes: UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>, into y: UnsafeMutablePointer<Float>, worker: Int
    ) {
        if isNarrow {
            return narrowProduct.writeOutputs(bytes: bytes, samples: samples, rows: 0..<samples.count, into: y)
        }
        // A byte chunk takes the sparse product whatever its density: only batches that
        // `Batch` judged sparse are kept as bytes.
        listings[worker].load(rowsOfBytes: bytes, samples: samples, columns: inputCount)
        addListedProduct(worker: worker, rows: samples.count, into: y)
    }

    /// `y = b + x · Wᵀ` for a chunk of `rows` rows of `x` (`[rows, inputCount]`) and `y`
    /// (`[rows, outputCount]`).
    func writeOutputs(x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, worker: Int) {
        if isNarrow { return narrowProduct.writeOutputs(x: x, rows: 0..<rows, into: y) }
        if Dense.isSparse(x, rows: rows, columns: inputCount) {
            listings[worker].load(rowsOf: x, rows: rows, columns: inputCount)
            return addListedProduct(worker: worker, rows: rows, into: y)
        }
        bias.copyValue(intoRows: rows, at: y)
        weight.value.withUnsafeBufferPointer { v in
            blockedGEMM(m: rows, n: outputCount, k: inputCount, a: x, transposeA: false,
                        b: v.baseAddress!, transposeB: false, c: y, accumulate: true, threads: 1)
        }
    }

    /// `y = b + (worker's listing) · V`, by the strips of `V` and its last columns.
    private func addListedProduct(worker: Int, rows: Int, into y: UnsafeMutablePointer<Float>) {
        bias.copyValue(intoRows: rows, at: y)
        weight.value.withUnsafeBufferPointer { v in
            listings[worker].multiply(by: v.baseAddress!, n: outputCount, into: y, accumulate: true,
                                      threads: 1, strips: stripStorage)
        }
    }
}
