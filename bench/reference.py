#!/usr/bin/env python3
"""Reference figures for `digits bench`: the same MLP training run in numpy (and PyTorch if
it is installed), so the Swift figures have something to be compared with on the same machine.

What it measures, for each network 784-10-10, 784-128-10 and 784-256-128-10 (ReLU hidden
layers, fused softmax cross-entropy, He initialisation, float32, plain SGD, lr 0.1, batch 64)
trained on data/mnist/*.gz:
  - training samples/s in steady state: one warm-up epoch is run and not timed, then
    --epochs timed epochs (each a seeded shuffle and 60000/batch steps, batching included);
    the median epoch is reported;
  - inference samples/s: forward passes over the 10,000 test images in batches of 1000,
    median of several passes;
  - test accuracy after training.

It is a measuring tool, not part of the build: CI neither needs nor runs it.

    pip install numpy            # torch is optional and skipped when it does not import
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py [--json] [--threads N]

Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this command alone, as above: the machine's
environment pins OpenBLAS to an older kernel (Haswell) that runs the matrix multiply about
half as fast as its AVX-512 kernel. OpenBLAS reads them once, at load.

--json prints one object a line with the keys of `digits bench --json` (network, batch,
threads, train_samples_per_s, infer_samples_per_s, epoch_seconds) plus library and
test_accuracy.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import time

NETWORKS = [[784, 10, 10], [784, 128, 10], [784, 256, 128, 10]]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "mnist"),
                        help="directory with the four MNIST .gz files (default: data/mnist)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads (default 1)")
    parser.add_argument("--batch", type=int, default=64, help="training batch size (default 64)")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs after the warm-up (default 3)")
    parser.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default 0.1)")
    parser.add_argument("--seed", type=int, default=1, help="seed for initialisation and shuffling")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    return parser.parse_args()


ARGS = parse_args()
# The thread count must be fixed before numpy (OpenBLAS) loads.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(ARGS.threads)

import numpy as np  # noqa: E402


def read_idx(path, header_bytes):
    """The payload of a gzipped IDX file, as uint8, after its header."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header_bytes)


def load_mnist(directory):
    def images(name):
        return read_idx(os.path.join(directory, name), 16).reshape(-1, 784).astype(np.float32) / 255.0

    def labels(name):
        return read_idx(os.path.join(directory, name), 8).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


# MARK: numpy

def numpy_init(sizes, rng):
    """He initialisation: W[out, in] ~ N(0, 2/in), b = 0."""
    return [(rng.standard_normal((n_out, n_in)).astype(np.float32) * np.float32(np.sqrt(2.0 / n_in)),
             np.zeros(n_out, dtype=np.float32))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def numpy_forward(params, x):
    """Logits, and the inputs of every layer (kept for the backward pass)."""
    inputs = []
    h = x
    for index, (w, b) in enumerate(params):
        inputs.append(h)
        h = h @ w.T + b  # y = X·Wᵀ + b
        if index < len(params) - 1:
            np.maximum(h, 0, out=h)
    return h, inputs


def numpy_train_step(params, x, y, lr):
    logits, inputs = numpy_forward(params, x)
    batch = x.shape[0]
    # Fused softmax cross-entropy; its gradient is (p − onehot) / batch.
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    grad = logits
    grad[np.arange(batch), y] -= 1
    grad /= batch
    for index in range(len(params) - 1, -1, -1):
        w, b = params[index]
        h = inputs[index]
        grad_w = grad.T @ h  # dW = dYᵀ·X
        grad_b = grad.sum(axis=0)
        if index > 0:
            grad = grad @ w  # dX = dY·W
            grad *= h > 0  # ReLU of the layer below
        w -= lr * grad_w
        b -= lr * grad_b


def numpy_run(sizes, data):
    train_x, train_y, test_x, test_y = data
    rng = np.random.default_rng(ARGS.seed)
    params = numpy_init(sizes, rng)
    batch = ARGS.batch
    steps = len(train_x) // batch

    def epoch():
        order = rng.permutation(len(train_x))
        start = time.perf_counter()
        for step in range(steps):
            index = order[step * batch:(step + 1) * batch]
            numpy_train_step(params, train_x[index], train_y[index], np.float32(ARGS.lr))
        return time.perf_counter() - start

    epoch()  # warm-up
    epoch_seconds = statistics.median(epoch() for _ in range(ARGS.epochs))

    def infer():
        start = time.perf_counter()
        predictions = [numpy_forward(params, test_x[i:i + 1000])[0].argmax(axis=1)
                       for i in range(0, len(test_x), 1000)]
        return time.perf_counter() - start, np.concatenate(predictions)

    infer()
    passes = [infer() for _ in range(5)]
    infer_seconds = statistics.median(seconds for seconds, _ in passes)
    accuracy = float((passes[-1][1] == test_y).mean())
    return steps * batch / epoch_seconds, len(test_x) / infer_seconds, epoch_seconds, accuracy


# MARK: PyTorch

def torch_run(torch, sizes, data):
    train_x, train_y, test_x, test_y = (torch.from_numpy(np.ascontiguousarray(array)) for array in data)
    torch.manual_seed(ARGS.seed)
    layers = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if index < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimiser = torch.optim.SGD(model.parameters(), lr=ARGS.lr)
    loss_function = torch.nn.CrossEntropyLoss()
    batch = ARGS.batch
    steps = len(train_x) // batch
    generator = torch.Generator().manual_seed(ARGS.seed)

    def epoch():
        order = torch.randperm(len(train_x), generator=generator)
        start = time.perf_counter()
        for step in range(steps):
            index = order[step * batch:(step + 1) * batch]
            optimiser.zero_grad(set_to_none=True)
            loss_function(model(train_x[index]), train_y[index]).backward()
            optimiser.step()
        return time.perf_counter() - start

    epoch()
    epoch_seconds = statistics.median(epoch() for _ in range(ARGS.epochs))

    def infer():
        with torch.inference_mode():
            start = time.perf_counter()
            predictions = [model(test_x[i:i + 1000]).argmax(dim=1) for i in range(0, len(test_x), 1000)]
            return time.perf_counter() - start, torch.cat(predictions)

    infer()
    passes = [infer() for _ in range(5)]
    infer_seconds = statistics.median(seconds for seconds, _ in passes)
    accuracy = float((passes[-1][1] == test_y).float().mean())
    return steps * batch / epoch_seconds, len(test_x) / infer_seconds, epoch_seconds, accuracy


def report(library, sizes, figures):
    train_rate, infer_rate, epoch_seconds, accuracy = figures
    network = "-".join(str(size) for size in sizes)
    if ARGS.json:
        print(json.dumps({
            "network": network, "batch": ARGS.batch, "threads": ARGS.threads,
            "train_samples_per_s": round(train_rate), "infer_samples_per_s": round(infer_rate),
            "epoch_seconds": round(epoch_seconds, 4), "library": library, "test_accuracy": round(accuracy, 4),
        }), flush=True)
    else:
        print(f"{library:6} {network:16} batch {ARGS.batch} threads {ARGS.threads}: "
              f"train {train_rate / 1000:7.1f} k samples/s ({epoch_seconds:.3f} s/epoch), "
              f"infer {infer_rate / 1000:7.1f} k samples/s, test accuracy {accuracy * 100:.2f}%", flush=True)


def main():
    if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
        print("note: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set; numpy will use a slower kernel "
              "(run under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`)", file=sys.stderr)
    data = load_mnist(ARGS.data)
    torch = None
    if not ARGS.no_torch:
        try:
            import torch
            torch.set_num_threads(ARGS.threads)
        except ImportError:
            print("note: PyTorch not installed; numpy only", file=sys.stderr)
    for sizes in NETWORKS:
        report("numpy", sizes, numpy_run(sizes, data))
        if torch is not None:
            report("torch", sizes, torch_run(torch, sizes, data))


if __name__ == "__main__":
    main()
