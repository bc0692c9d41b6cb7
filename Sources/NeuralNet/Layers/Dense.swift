import CIntrinsics
import Dispatch

// A fully connected layer. Shapes: x [batch, in], W [out, in], b [out], y [batch, out].

/// A fully connected layer: `y = x · Wᵀ + b`.
///
/// `W` is `[out, in]` as everywhere else (checkpoints, weight pictures), but the layer keeps it
/// transposed in memory, as `V = Wᵀ` `[in, out]` (`weight.layout == .transposed`): then
/// `y = x · V + b` multiplies along rows of V, which `gemm`'s fastest path needs, and an input
/// that is zero skips a whole row of V, which makes the first layer's products on MNIST's
/// mostly blank images about five times cheaper (see `SparseMatrix`).
public final class Dense: Layer {
    public let inputCount: Int
    public let outputCount: Int
    /// The weights: shape `[out, in]` (row `o` holds the incoming weights of output unit `o`),
    /// kept in memory as the transpose, `[in, out]`.
    public let weight: Parameter
    /// The biases, `[out]`.
    public let bias: Parameter
    public private(set) var output: Matrix
    private var inputGradient: Matrix
    /// The nonzero inputs of the last forward pass by row, when it took the sparse path, and
    /// by column for the backward pass.
    private var inputRows = SparseMatrix(), inputColumns = SparseMatrix()
    /// Whether `inputColumns` already lists the entries of `inputRows` by column.
    private var areColumnsListed = false
    /// The forward pass when no backward pass follows, from its own copies of the weights.
    let inference: DenseInference
    /// The listing of the next training batch, made on another thread (`listAhead`).
    private let nextBatch = ListingInBackground()
    /// What `inputRows` lists, so that `backward` can check it gets the same input.
    private var listedInput = ListedInput.nothing

    private enum ListedInput: Equatable {
        case nothing
        /// The rows of a float matrix (its storage).
        case floats(UnsafePointer<Float>)
        /// Samples kept as bytes (`forward(bytes:samples:isTraining:)`), of which there is no matrix.
        case bytes
    }

    /// Inputs of which at most this fraction is nonzero take the sparse products. Listing the
    /// nonzero inputs costs a couple of cycles an input, and skipping a zero saves `out`
    /// multiply-adds: on MNIST's images (a fifth of the pixels nonzero) that pays even for the
    /// ten outputs of 784-10-10, while the ReLU outputs feeding a second layer are about half
    /// zero and the dense kernel is faster there. Both paths give the same results, so this only
    /// decides speed.
    static let sparseMaximumDensity = 0.3

    /// A layer with zero weights and biases.
    public init(inputCount: Int, outputCount: Int) {
        precondition(inputCount > 0 && outputCount > 0, "A dense layer needs at least one input and one output")
        self.inputCount = inputCount
        self.outputCount = outputCount
        weight = Parameter(shape: [outputCount, inputCount], isDecayed: true, layout: .transposed)
        bias = Parameter(shape: [outputCount], isDecayed: false)
        inference = DenseInference(weight: weight, bias: bias, inputCount: inputCount, outputCount: outputCount)
        output = Matrix(rows: 0, columns: outputCount)
        inputGradient = Matrix(rows: 0, columns: inputCount)
    }

    /// A layer initialised by `initializer` from `generator`.
    public convenience init(
        inputCount: Int, outputCount: Int,
        initializer: WeightInitializer, generator: inout SeededGenerator
    ) {
        self.init(inputCount: inputCount, outputCount: outputCount)
        initializer.initialize(weight: weight, bias: bias, generator: &generator)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var layerDescription: LayerDescription {
        .dense(inputCount: inputCount, outputCount: outputCount)
    }

    /// Whether the `rows` rows of `x` (`[rows, columns]`) should be multiplied by their nonzero
    /// entries only: whether at most `sparseMaximumDensity` of the first `densitySampleRows`
    /// rows' entries are nonzero.
    static func isSparse(_ x: UnsafePointer<Float>, rows: Int, columns: Int) -> Bool {
        SparseMatrix.density(of: x, count: min(rows, densitySampleRows) * columns) <= sparseMaximumDensity
    }

    /// The rows from which a batch's density is judged (by `isSparse`, and by `Batch` for
    /// samples kept as bytes): a full count cost more than the listing saved on 784-10-10.
    static let densitySampleRows = 8

    /// `y = x · V + b`: each row of `y` starts as `b`, then the product is added onto it.
    public func forward(_ input: Matrix, isTraining: Bool) -> Matrix {
        precondition(input.columns == inputCount, "Dense expects \(inputCount) features, got \(input.columns)")
        let outputCount = self.outputCount
        if !isTraining {
            return input.values.withUnsafeBufferPointer { inferred(rows: input.rows, from: .floats($0.baseAddress!)) }
        }
        let inputIsSparse = input.rows > 0 && input.values.withUnsafeBufferPointer {
            Self.isSparse($0.baseAddress!, rows: input.rows, columns: inputCount)
        }
        return startingFromBias(rows: input.rows) { y in
            input.values.withUnsafeBufferPointer { x in
                weight.value.withUnsafeBufferPointer { v in
                    if inputIsSparse {
                        inputRows.load(rowsOf: x.baseAddress!, rows: input.rows, columns: inputCount)
                        listedInput = .floats(x.baseAddress!)
                        inputRows.multiply(by: v.baseAddress!, n: outputCount, into: y,
                                           accumulate: true, threads: ComputeThreads.maximum)
                    } else {
                        gemm(m: input.rows, n: outputCount, k: inputCount,
                             a: x.baseAddress!, transposeA: false,
                             b: v.baseAddress!, transposeB: false,
                             c: y, accumulate: true)
                    }
                }
            }
        }
    }

    /// `forward` for inputs kept as bytes, a byte `b` standing for the feature `b / 255` (see
    /// `ByteFeatureSource`): row `r` of `x` is sample `samples[r]`, the `inputCount` bytes at
    /// `samples[r] · inputCount` in `bytes`. The layer lists the nonzero features straight from
    /// the bytes, so the batch is never written out as floats; the result is the same as
    /// `forward` of the converted matrix. In training, `backwardFromBytes` reuses the listing.
    func forward(bytes: [UInt8], samples: UnsafeBufferPointer<Int>, isTraining: Bool) -> Matrix {
        let outputCount = self.outputCount
        guard isTraining else {
            return bytes.withUnsafeBufferPointer {
                inferred(rows: samples.count, from: .bytes($0.baseAddress!, samples: samples))
            }
        }
        return startingFromBias(rows: samples.count) { y in
            if nextBatch.takeListing(of: samples, into: &inputRows, byColumn: &inputColumns) {
                areColumnsListed = listsByColumn
            } else {
                bytes.withUnsafeBufferPointer { bytes in
                    inputRows.load(rowsOfBytes: bytes.baseAddress!, samples: samples, columns: inputCount)
                }
            }
            listedInput = .bytes
            // The next batch's listing (asked for by `listAhead`) starts beside this product, or
            // after it when the product takes both cores itself: three threads on two cores
            // held the product up by a third.
            let threads = ComputeThreads.maximum
            let takesBothCores = inputRows.runsOnTwoThreads(n: outputCount, threads: threads)
            if !takesBothCores { nextBatch.startRequested() }
            // From inference's strips of V when they are current (plain SGD's steps in the
            // backward pass keep them so), instead of copying V block by block every batch.
            weight.value.withUnsafeBufferPointer { v in
                inference.withCurrentWeightStrips { strips in
                    inputRows.multiply(by: v.baseAddress!, n: outputCount, into: y, accumulate: true,
                                       threads: threads, strips: strips)
                }
            }
            if takesBothCores { nextBatch.startRequested() }
        }
    }

    /// Whether the backward pass sums `dV` from a listing by column (a layer wider than
    /// `SparseMatrix.scatterMaximumColumns`); the listing ahead then makes that one too.
    private var listsByColumn: Bool { outputCount > SparseMatrix.scatterMaximumColumns }

    /// Has the nonzero features of `samples` (bytes, as in `forward(bytes:samples:isTraining:)`)
    /// listed on another thread, starting during the next training forward pass: the trainer
    /// calls it with the next batch before it trains on this one, and that batch's forward pass
    /// then finds its listing made. On MNIST's 784-10-10 the listing (and waiting for the
    /// images to arrive from memory) was a quarter of a training step.
    func listAhead(bytes: [UInt8], samples: ArraySlice<Int>) {
        nextBatch.request(bytes: bytes, samples: samples, columns: inputCount, byColumn: listsByColumn)
    }

    /// `output` for a forward pass that no backward pass follows: `inference`'s, chunk by chunk.
    private func inferred(rows: Int, from input: InferenceInput) -> Matrix {
        writingOutput(rows: rows) { y in
            inferInChunks([(inference, false)], rows: rows, input: input, into: y, hiddenOutputs: nil)
        }
    }

    /// Sizes `output` to `rows`, starts each row as `b`, and lets `addProduct` add `x · V` onto
    /// it (through the pointer to the output's values). Returns `output`.
    private func startingFromBias(rows: Int, _ addProduct: (UnsafeMutablePointer<Float>) -> Void) -> Matrix {
        writingOutput(rows: rows) { y in
            bias.copyValue(intoRows: rows, at: y)
            addProduct(y)
        }
    }

    /// Sizes `output` to `rows` and lets `write` fill in its values (through a pointer to
    /// them), unless there are none. Returns `output`.
    func writingOutput(rows: Int, _ write: (UnsafeMutablePointer<Float>) -> Void) -> Matrix {
        output.resizeRows(rows)
        listedInput = .nothing
        areColumnsListed = false
        guard rows > 0 else { return output }
        output.values.withUnsafeMutableBufferPointer { write($0.baseAddress!) }
        return output
    }

    /// Backward of `y = x · V + b`, i.e. `y[n, o] = Σᵢ x[n, i] · V[i, o] + b[o]`:
    ///
    /// - `∂L/∂V[i, o] = Σₙ x[n, i] · dy[n, o]`, so `dV = xᵀ · dy`   `[in, out]` (that is, `dWᵀ`)
    /// - `∂L/∂b[o]    = Σₙ dy[n, o]`, the column sums of `dy`      `[out]`
    /// - `∂L/∂x[n, i] = Σₒ dy[n, o] · V[i, o]`, so `dx = dy · Vᵀ`   `[batch, in]`
    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) -> Matrix {
        let batch = input.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == outputCount)
        precondition(listedInput != .bytes, "after forward(bytes:samples:isTraining:), call backwardFromBytes")
        inputGradient.resizeRows(needsInputGradient ? batch : 0)
        input.values.withUnsafeBufferPointer { x in
            outputGradient.values.withUnsafeBufferPointer { dy in
                // The forward pass's listing of the nonzero inputs serves again when it is there.
                let isListed = batch > 0 && listedInput == .floats(x.baseAddress!) && inputRows.rows == batch
                if batch > 0 && !isListed {
                    if Self.isSparse(x.baseAddress!, rows: batch, columns: inputCount) {
                        inputRows.load(rowsOf: x.baseAddress!, rows: batch, columns: inputCount)
                        listedInput = .floats(x.baseAddress!)
                    } else {
                        listedInput = .nothing
                    }
                }
                parameterGradients(x: x.baseAddress, rows: batch, dy: dy.baseAddress)
                guard needsInputGradient && batch > 0 else { return }
                weight.value.withUnsafeBufferPointer { v in
                    inputGradient.values.withUnsafeMutableBufferPointer { dx in
                        gemm(m: batch, n: inputCount, k: outputCount,
                             a: dy.baseAddress!, transposeA: false,
                             b: v.baseAddress!, transposeB: true,
                             c: dx.baseAddress!, accumulate: false)
                    }
                }
            }
        }
        return inputGradient
    }

    /// `backward` after `forward(bytes:samples:isTraining:)`, as the first layer: the weight
    /// and bias gradients, from the nonzero inputs that pass listed (there is no input matrix).
    ///
    /// When `descentRate` gives a rate for `weight` (the optimiser's step for it is plain
    /// gradient descent) and the layer is wider than `SparseMatrix.scatterMaximumColumns`, the
    /// layer takes that step itself, `V ← V − rate · dV`, each row as its sum leaves the
    /// registers, and marks the weight's step taken; `weight.gradient` is then scratch. Rows of
    /// inputs blank in the whole batch are not touched. The step changes the strips of V that
    /// inference keeps along with V (`DenseInference.steppingWeightStrips`), which the next
    /// forward pass then multiplies from.
    func backwardFromBytes(outputGradient: Matrix, descentRate: (Parameter) -> Float? = { _ in nil }) {
        precondition(listedInput == .bytes && inputRows.rows == outputGradient.rows
                     && outputGradient.columns == outputCount,
                     "backwardFromBytes needs the batch of the last forward(bytes:samples:isTraining:)")
        outputGradient.values.withUnsafeBufferPointer { dy in
            parameterGradients(x: nil, rows: outputGradient.rows, dy: dy.baseAddress, descentRate: descentRate(weight))
        }
    }

    /// `dV = xᵀ · dy` and `db`, the column sums of `dy`, for a batch of `rows`: from the listing
    /// of the nonzero inputs when `inputRows` holds this batch's (then `x` is not read, and may
    /// be nil), else by `gemm`. With a `descentRate`, the listed product takes the step
    /// `V ← V − rate · dV` instead of writing dV (see `backwardFromBytes`).
    private func parameterGradients(
        x: UnsafePointer<Float>?, rows batch: Int, dy: UnsafePointer<Float>?, descentRate: Float? = nil
    ) {
        let (inputCount, outputCount) = (self.inputCount, self.outputCount)
        weight.gradient.withUnsafeMutableBufferPointer { dV in
            bias.gradient.withUnsafeMutableBufferPointer { db in
                guard batch > 0, let dy else {
                    dV.update(repeating: 0)
                    db.update(repeating: 0)
                    return
                }
                if listedInput != .nothing {
                    // A narrow layer adds each entry's terms where they belong; a wide one sums
                    // each row of dV in registers, from a listing by column.
                    // The wide one can also take plain descent's step there, as each row is made
                    // (a narrow one's rows are too short to gain: SGD's pass over dV is cheap).
                    let threads = ComputeThreads.maximum
                    if outputCount <= SparseMatrix.scatterMaximumColumns {
                        inputRows.transposedMultiply(by: dy, n: outputCount, into: dV.baseAddress!, threads: threads)
                    } else {
                        if !areColumnsListed { inputColumns.load(columnsOf: inputRows) }
                        func sumRows(descent: DescentStep?) {
                            inputColumns.transposedMultiply(by: dy, n: outputCount, into: dV.baseAddress!,
                                                            threads: threads, descent: descent)
                        }
                        // V is borrowed mutably only for a step: that access counts as a change
                        // (`Parameter.version`), after which inference would copy V again.
                        if let descentRate {
                            inference.steppingWeightStrips { strips in
                                weight.value.withUnsafeMutableBufferPointer { v in
                                    sumRows(descent: DescentStep(weights: v.baseAddress!, rate: descentRate, stripCopy: strips))
                                }
                            }
                            weight.isStepTaken = true
                        } else {
                            sumRows(descent: nil)
                        }
                    }
                } else {
                    gemm(m: inputCount, n: outputCount, k: batch,
                         a: x!, transposeA: true, b: dy, transposeB: false,
                         c: dV.baseAddress!, accumulate: false)
                }
                columnSums(of: dy, rows: batch, columns: outputCount, into: db.baseAddress!)
            }
        }
    }
}

/// `sums[c] = Σᵣ matrix[r, c]` over the rows in order, for a row-major `[rows, columns]` matrix.
func columnSums(of matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    sums.update(repeating: 0, count: columns)
    for r in 0..<rows {
        let row = matrix + r * columns
        var c = 0
        while c + 16 <= columns {
            store16(load16(sums + c) + load16(row + c), sums + c)
            c += 16
        }
        while c < columns {
            sums[c] += row[c]
            c += 1
        }
    }
}

/// Listings of byte features made on the helper thread while the caller goes on: two, so
/// that the next batch's can start while this batch's is still to be taken.
final class ListingInBackground {
    private let slots = [Slot(), Slot()]
    private var nextSlot = 0
    /// The slot holding the listing asked for and not yet started.
    private var requestedSlot: Slot?

    /// Readies a slot to list `samples` of `bytes` (`columns` bytes each) by row, and when
    /// `byColumn` by column too, from the next `startRequested`; a request not yet started is
    /// replaced.
    func request(bytes: [UInt8], samples: ArraySlice<Int>, columns: Int, byColumn: Bool) {
        let slot = requestedSlot ?? slots[nextSlot]
        if requestedSlot == nil { nextSlot = 1 - nextSlot }
        slot.prepare(bytes: bytes, samples: samples, columns: columns, byColumn: byColumn)
        requestedSlot = slot
    }

    /// Starts the listing last requested on the helper thread, if it has not started yet.
    func startRequested() {
        requestedSlot?.start()
        requestedSlot = nil
    }

    /// If a listing of `samples` was started, waits for it, swaps it into `rows` and, if it was
    /// also listed by column, into `columns` (their old storage a later listing reuses), and
    /// returns true.
    func takeListing(of samples: UnsafeBufferPointer<Int>, into rows: inout SparseMatrix,
                     byColumn columns: inout SparseMatrix) -> Bool {
        slots.contains { $0.takeListing(of: samples, into: &rows, byColumn: &columns) }
    }

    private final class Slot: @unchecked Sendable {
        // Shared with the helper thread: the caller writes what to list before it starts the
        // task and touches `listing` only after `done.wait()`, so the two never use them at once.
        private var listing = SparseMatrix(), byColumn = SparseMatrix()
        private var samples: [Int] = []
        private var bytes: [UInt8] = []
        private var columns = 0
        private var listsByColumn = false
        private let done = DispatchGroup()
        private var isStarted = false
        /// The task that lists what `prepare` was given: made once, so that a training step
        /// allocates nothing to start one.
        private lazy var listingTask: @Sendable () -> Void = { [unowned self] in self.list() }

        /// Notes what to list, once any listing in progress has finished; a listing made and
        /// not taken is dropped.
        func prepare(bytes: [UInt8], samples: ArraySlice<Int>, columns: Int, byColumn listsByColumn: Bool) {
            if isStarted { done.wait() }
            isStarted = false
            self.samples.removeAll(keepingCapacity: true)
            self.samples.append(contentsOf: samples)
            (self.bytes, self.columns, self.listsByColumn) = (bytes, columns, listsByColumn)
        }

        /// Lists what `prepare` was given, on the helper thread.
        func start() {
            isStarted = true
            done.enter()
            HelperThread.shared.runInBackground(listingTask)
        }

        private func list() {
            defer { done.leave() }
            let columns = self.columns
            bytes.withUnsafeBufferPointer { bytes in
                samples.withUnsafeBufferPointer { samples in
                    // Ask for every sample's bytes first, so that their trips from memory overlap.
                    for sample in samples {
                        prefetch_bytes_for_reading(bytes.baseAddress! + sample * columns, columns)
                    }
                    listing.load(rowsOfBytes: bytes.baseAddress!, samples: samples, columns: columns)
                }
            }
            if listsByColumn { byColumn.load(columnsOf: listing) }
        }

        func takeListing(of samples: UnsafeBufferPointer<Int>, into rows: inout SparseMatrix,
                         byColumn columns: inout SparseMatrix) -> Bool {
            guard isStarted, self.samples.elementsEqual(samples) else { return false }
            done.wait()
            isStarted = false
            swap(&listing, &rows)
            swap(&byColumn, &columns)
            return true
        }
    }
}
