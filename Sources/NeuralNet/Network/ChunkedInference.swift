// Inference through a multilayer perceptron a chunk of rows at a time: every layer runs on a
// chunk before the next chunk starts, so that the chunk's activations stay in cache, and the
// threads share the batch out once for all the layers. Layer by layer, each layer waited for
// both threads to finish before the next could start, and the rectifiers ran on one thread.
// Each layer computes what its own `forward` computes (`DenseInference`), so the logits are
// the same bits either way.

extension Network {
    /// The dense layers of a multilayer perceptron, each with whether a `ReLU` follows it: nil
    /// unless the layers are `Dense` layers, each but the last followed by a `ReLU` or not.
    var perceptronStages: [(dense: Dense, isRectified: Bool)]? {
        guard layers.last is Dense else { return nil }
        var stages: [(dense: Dense, isRectified: Bool)] = []
        for layer in layers {
            if let dense = layer as? Dense {
                stages.append((dense, false))
            } else if layer is ReLU, let last = stages.last, !last.isRectified {
                stages[stages.count - 1].isRectified = true
            } else {
                return nil
            }
        }
        return stages
    }

    /// The rows a forward pass in chunks reads.
    enum InferenceInput {
        /// Row `r` is sample `samples[r]`, the `inputCount` bytes at `samples[r] · inputCount`,
        /// a byte `b` standing for `b / 255` (see `ByteFeatureSource`).
        case bytes(UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int>)
        /// A row-major `[rows, inputCount]` matrix.
        case floats(UnsafePointer<Float>)
    }

    /// The logits of the `rows` rows of `input`, for a forward pass that no backward pass
    /// follows, or nil when the network is not a multilayer perceptron (`perceptronStages`).
    /// They are the last layer's output; the hidden layers' outputs are left as they were.
    func forwardInChunks(rows: Int, input: InferenceInput) -> Matrix? {
        guard let stages = perceptronStages else { return nil }
        let inferences = stages.map(\.dense.inference)
        for inference in inferences { inference.prepare() }
        let chunkRows = inferences.map(\.chunkRows).max()!
        let workers = ComputeThreads.maximum > 1 && rows >= inferences.map(\.parallelRows).max()! ? 2 : 1
        // Each worker's two buffers, for a chunk of the widest hidden layer's outputs: one
        // layer reads from one and writes into the other.
        let bufferFloats = chunkRows * (stages.dropLast().map(\.dense.outputCount).max() ?? 0)
        let buffers = chunkActivations.floats(workers * 2 * bufferFloats)
        return stages.last!.dense.writingOutput(rows: rows) { logits in
            let work = UncheckedSendable((stages, logits, buffers, input))
            parallelChunks(rows, chunk: chunkRows, workers: workers) { worker, chunk in
                let (stages, logits, buffers, input) = work.value
                var activations: UnsafePointer<Float>?
                for (index, (dense, isRectified)) in stages.enumerated() {
                    let inference = dense.inference
                    let y = index == stages.count - 1
                        ? logits + chunk.lowerBound * inference.outputCount
                        : buffers + (2 * worker + index % 2) * bufferFloats
                    switch (activations, input) {
                    case let (x?, _):
                        inference.writeOutputs(x: x, rows: chunk.count, into: y, worker: worker)
                    case let (nil, .bytes(bytes, samples)):
                        inference.writeOutputs(bytes: bytes, samples: UnsafeBufferPointer(rebasing: samples[chunk]),
                                               into: y, worker: worker)
                    case let (nil, .floats(x)):
                        inference.writeOutputs(x: x + chunk.lowerBound * inference.inputCount, rows: chunk.count,
                                               into: y, worker: worker)
                    }
                    if isRectified { ReLU.rectify(y, into: y, count: chunk.count * inference.outputCount) }
                    activations = UnsafePointer(y)
                }
            }
        }
    }
}
