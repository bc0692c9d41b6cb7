// Inference through dense layers a chunk of rows at a time: every layer runs on a chunk before
// the next chunk starts, so that the chunk's activations stay in cache, and two threads share
// the batch out once for all the layers. Layer by layer, each layer waited for both threads to
// finish before the next could start, and the rectifiers ran on one thread. A `Dense` layer's
// own inference is the same loop over one layer, so the logits are the same bits either way.

/// The rows an inference pass reads.
enum InferenceInput {
    /// Row `r` is sample `samples[r]`, the `inputCount` bytes at `samples[r] · inputCount`, a
    /// byte `b` standing for `b / 255` (see `ByteFeatureSource`).
    case bytes(UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>)
    /// A row-major `[rows, inputCount]` matrix.
    case floats(UnsafePointer<Float>)
}

/// One step of a forward pass in chunks: a dense layer, and whether a `ReLU` follows it.
typealias InferenceStage = (inference: DenseInference, isRectified: Bool)

/// Writes into `y` (`[rows, last stage's outputCount]`) what `stages` make of the `rows` rows
/// of `input`, one after another, chunk by chunk: each stage writes the chunk's outputs
/// (`DenseInference`), rectified where a `ReLU` follows, and the next reads them. The hidden
/// layers' outputs go to two buffers a thread in `hiddenOutputs`, which only a single stage
/// may leave out.
func inferInChunks(
    _ stages: [InferenceStage], rows: Int, input: InferenceInput, into y: UnsafeMutablePointer<Float>,
    hiddenOutputs: ScratchBuffer?
) {
    precondition(!stages.isEmpty && (stages.count == 1 || hiddenOutputs != nil))
    for stage in stages { stage.inference.prepare() }
    let chunkRows = stages.map(\.inference.chunkRows).max()!
    let workers = ComputeThreads.maximum > 1 && rows >= stages.map(\.inference.parallelRows).max()! ? 2 : 1
    // A thread's two buffers hold a chunk of the widest hidden layer's outputs: one stage
    // reads from one and writes into the other.
    let bufferFloats = chunkRows * (stages.dropLast().map(\.inference.outputCount).max() ?? 0)
    let buffers = hiddenOutputs?.floats(workers * 2 * bufferFloats)
    let work = UncheckedSendable((stages, y, buffers, input))
    parallelChunks(rows, chunk: chunkRows, workers: workers) { worker, chunk in
        let (stages, y, buffers, input) = work.value
        var activations: UnsafePointer<Float>?
        for (index, (inference, isRectified)) in stages.enumerated() {
            let outputs = index == stages.count - 1
                ? y + chunk.lowerBound * inference.outputCount
                : buffers! + (2 * worker + index % 2) * bufferFloats
            switch (activations, input) {
            case let (x?, _):
                inference.writeOutputs(x: x, rows: chunk.count, into: outputs, worker: worker)
            case let (nil, .bytes(bytes, samples)):
                inference.writeOutputs(bytes: bytes, samples: UnsafeBufferPointer(rebasing: samples[chunk]),
                                       into: outputs, worker: worker)
            case let (nil, .floats(x)):
                inference.writeOutputs(x: x + chunk.lowerBound * inference.inputCount, rows: chunk.count,
                                       into: outputs, worker: worker)
            }
            if isRectified { ReLU.rectify(outputs, into: outputs, count: chunk.count * inference.outputCount) }
            activations = UnsafePointer(outputs)
        }
    }
}

extension Network {
    /// The stages of a multilayer perceptron: each dense layer's inference, with whether a `ReLU`
    /// follows it; nil unless the layers are `Dense` layers, each but the last followed by a
    /// `ReLU` or not.
    var perceptronStages: [InferenceStage]? {
        guard layers.last is Dense else { return nil }
        var stages: [InferenceStage] = []
        for layer in layers {
            if let dense = layer as? Dense {
                stages.append((dense.inference, false))
            } else if layer is ReLU, let last = stages.last, !last.isRectified {
                stages[stages.count - 1].isRectified = true
            } else {
                return nil
            }
        }
        return stages
    }

    /// The logits of the `rows` rows of `input`, for a forward pass that no backward pass
    /// follows, through all the layers chunk by chunk (`inferInChunks`), or nil when the
    /// network is not a multilayer perceptron (`perceptronStages`). They are the last layer's
    /// output; the hidden layers' outputs are left as they were.
    func forwardInChunks(rows: Int, input: InferenceInput) -> Matrix? {
        guard let stages = perceptronStages, let last = layers.last as? Dense else { return nil }
        return last.writingOutput(rows: rows) { logits in
            inferInChunks(stages, rows: rows, input: input, into: logits, hiddenOutputs: chunkActivations)
        }
    }
}
