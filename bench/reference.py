#!/usr/bin/env python3
"""Reference figures for `digits bench`: the same training runs in numpy (and PyTorch if it is
installed), so the Swift figures have something to be compared with on the same machine.

Networks (--networks, as in `digits bench`; default the three MLPs):
  - the MLPs 784-10-10, 784-128-10 and 784-256-128-10 (any 784-...-10): ReLU hidden layers,
    fused softmax cross-entropy, He initialisation, float32, plain SGD, lr 0.1, batch 64;
    in numpy and in PyTorch;
  - cnn: the LeNet-style network of `digits train --arch cnn` (Network.leNet in Swift):
    conv 5x5x32 (valid) -> max-pool 2 -> ReLU -> conv 5x5x64 (valid) -> max-pool 2 -> ReLU
    -> flatten (1024) -> dense 128 -> ReLU -> dense 10; PyTorch's default initialisation,
    Adam lr 1e-3, batch 128; PyTorch only (numpy has no convolution). --augment adds
    torchvision-free random affine augmentation (+-10 degrees, +-2 px, scale 0.9-1.1) with
    F.affine_grid / F.grid_sample, per batch, inside the timed epoch.

What it measures for each, trained on data/mnist/*.gz (x/255):
  - training samples/s in steady state: one warm-up epoch is run and not timed, then
    --epochs timed epochs (each a seeded shuffle and a pass over the training images,
    batching included); the median epoch is reported;
  - inference samples/s: forward passes over the 10,000 test images in batches of 1000,
    median of 15 passes after a warm-up pass, and the fastest of them;
  - test accuracy after training (warm-up epoch included, as in `digits bench`).

It is a measuring tool, not part of the build: CI neither needs nor runs it.

    pip install numpy            # torch is optional and skipped when it does not import
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py [--json] [--threads N]
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py --networks cnn --threads 2 [--augment]
    python3 bench/reference.py --networks cnn --limit 1280 --epochs 1     # a quick check, under a minute

Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this command alone, as above: the machine's
environment pins OpenBLAS to an older kernel (Haswell) that runs the matrix multiply about
half as fast as its AVX-512 kernel. OpenBLAS reads them once, at load.

--json prints one object a line with the keys of `digits bench --json` (network, batch,
threads, train_samples_per_s, infer_samples_per_s, infer_fastest_samples_per_s,
epoch_seconds, library, test_accuracy);
library is "numpy" or "torch" (PyTorch, the CNN as well). The CNN's network is named as
`digits bench --networks cnn` names it (CNN_NAME below), so the two pair up in compare.sh.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import sys
import time

NETWORKS = "784-10-10 784-128-10 784-256-128-10"
MLP_BATCH = 64
MLP_LR = 0.1
# The LeNet-style CNN as `digits bench --networks cnn` reports it (Network.description).
CNN_NAME = "784-conv5x5x32-pool2-conv5x5x64-pool2-128-10"
# The CNN trains as bench/README.md's PyTorch comparison does: Adam 1e-3, batch 128.
CNN_BATCH = 128
CNN_LR = 1e-3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "mnist"),
                        help="directory with the four MNIST .gz files (default: data/mnist)")
    parser.add_argument("--networks", default=NETWORKS,
                        help=f"networks separated by spaces: widths like 784-128-10, or cnn for the "
                             f"LeNet-style CNN (default '{NETWORKS}')")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads (default 1)")
    parser.add_argument("--batch", type=int,
                        help=f"training batch size (default 64 for the MLPs, {CNN_BATCH} for the CNN)")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs after the warm-up (default 3)")
    parser.add_argument("--lr", type=float,
                        help=f"learning rate (default 0.1 for the MLPs' SGD, {CNN_LR:g} for the CNN's Adam)")
    parser.add_argument("--seed", type=int, default=1, help="seed for initialisation and shuffling")
    parser.add_argument("--augment", action="store_true", help="random affine augmentation (the CNN only)")
    parser.add_argument("--limit", type=int, help="train on the first N training images only (a quick check)")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    args = parser.parse_args()
    args.networks = args.networks.split()
    for name in args.networks:
        widths = name.split("-")
        if name != "cnn" and not (len(widths) >= 2 and all(w.isdigit() and int(w) > 0 for w in widths)
                                  and widths[0] == "784" and widths[-1] == "10"):
            parser.error(f"--networks takes names like 784-128-10 or cnn; got '{name}'")
    return args


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

    train_x, train_y = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    if ARGS.limit:
        train_x, train_y = train_x[:ARGS.limit], train_y[:ARGS.limit]
    return train_x, train_y, images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")


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
    batch = ARGS.batch or MLP_BATCH
    lr = np.float32(ARGS.lr or MLP_LR)
    steps = len(train_x) // batch

    def epoch():
        order = rng.permutation(len(train_x))
        start = time.perf_counter()
        for step in range(steps):
            index = order[step * batch:(step + 1) * batch]
            numpy_train_step(params, train_x[index], train_y[index], lr)
        return time.perf_counter() - start

    epoch()  # warm-up
    epoch_seconds = statistics.median(epoch() for _ in range(ARGS.epochs))

    def infer():
        start = time.perf_counter()
        predictions = [numpy_forward(params, test_x[i:i + 1000])[0].argmax(axis=1)
                       for i in range(0, len(test_x), 1000)]
        return time.perf_counter() - start, np.concatenate(predictions)

    infer()
    passes = [infer() for _ in range(15)]
    infer_rate, fastest_rate = inference_rates(len(test_x), passes)
    accuracy = float((passes[-1][1] == test_y).mean())
    return steps * batch / epoch_seconds, infer_rate, epoch_seconds, accuracy, fastest_rate


def inference_rates(images, passes):
    """Images a second of the median pass and of the fastest, from (seconds, predictions) pairs."""
    seconds = [seconds for seconds, _ in passes]
    return images / statistics.median(seconds), images / min(seconds)


# MARK: PyTorch

def torch_inference(torch, model, test_x, test_y):
    """Test images a second through `model` in batches of 1000 (median of 15 passes after a
    warm-up, and the fastest pass), and the test accuracy."""
    def infer():
        with torch.inference_mode():
            start = time.perf_counter()
            predictions = [model(test_x[i:i + 1000]).argmax(dim=1) for i in range(0, len(test_x), 1000)]
            return time.perf_counter() - start, torch.cat(predictions)

    infer()
    passes = [infer() for _ in range(15)]
    infer_rate, fastest_rate = inference_rates(len(test_x), passes)
    accuracy = float((passes[-1][1] == test_y).float().mean())
    return infer_rate, fastest_rate, accuracy


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
    optimiser = torch.optim.SGD(model.parameters(), lr=ARGS.lr or MLP_LR)
    loss_function = torch.nn.CrossEntropyLoss()
    batch = ARGS.batch or MLP_BATCH
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

    infer_rate, fastest_rate, accuracy = torch_inference(torch, model, test_x, test_y)
    return steps * batch / epoch_seconds, infer_rate, epoch_seconds, accuracy, fastest_rate


# MARK: PyTorch CNN

def torch_cnn_run(torch, data):
    """The LeNet-style CNN, trained as the former bench/reference_cnn.py trained it (same network,
    seeding, Adam, batch and augmentation), timed as the MLPs are timed.

    Where this differs from `digits bench --networks cnn`:
      - digits bench trains the CNN with plain SGD, lr 0.01, at its --batch-size (64 unless
        told); this uses Adam 1e-3 at batch 128, so compare.sh runs digits with --batch-size 128.
        Adam's update is a few element-wise passes over the 185 k parameters a step, small
        beside the convolutions, but the accuracies are not comparable;
      - the initial weights are PyTorch's default (Kaiming-uniform), digits' He-normal;
      - the images are float32 tensors before the clock starts; digits converts each batch
        from UInt8 inside the timed epoch (as for the MLPs);
      - --augment (not in digits bench) draws and applies the affine maps inside the timed epoch.
    As there: one untimed warm-up epoch, the median of --epochs timed epochs, every training
    image an epoch (the last, partial batch included) with the shuffle inside the clock;
    inference in batches of 1000, median of 15 passes after a warm-up pass.
    """
    import torch.nn as nn
    import torch.nn.functional as F

    # (N, 784) float32 in [0, 1] -> (N, 1, 28, 28): one input channel, as Conv2d expects.
    train_x, train_y, test_x, test_y = (torch.from_numpy(np.ascontiguousarray(array)) for array in data)
    train_x, test_x = train_x.reshape(-1, 1, 28, 28), test_x.reshape(-1, 1, 28, 28)
    # The global generator draws the initial weights, the shuffles and the augmentation, in the
    # order reference_cnn.py drew them, so a run trains the weights that script trained (for
    # the same seed and threads).
    torch.manual_seed(ARGS.seed)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(32, 64, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=ARGS.lr or CNN_LR)
    batch = ARGS.batch or CNN_BATCH

    def augment(x):
        """A random affine map per image: rotation +-10 degrees, scale 0.9-1.1, shift +-2 px."""
        n = x.shape[0]
        angle = (torch.rand(n) * 2 - 1) * math.radians(10)
        scale = 0.9 + torch.rand(n) * 0.2
        shift = (torch.rand(n, 2) * 2 - 1) * (2 / 14)  # 2 px in grid units (-1..1 spans 28 px)
        cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
        theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
        grid = F.affine_grid(theta, x.shape, align_corners=False)
        return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")

    def epoch():
        start = time.perf_counter()
        order = torch.randperm(len(train_x))
        for first in range(0, len(train_x), batch):
            index = order[first:first + batch]
            x = train_x[index]
            if ARGS.augment:
                x = augment(x)
            loss = F.cross_entropy(model(x), train_y[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        return time.perf_counter() - start

    def progress(text):
        # An epoch takes half a minute: say so as it goes, on stderr (stdout keeps one line a network).
        if not ARGS.json:
            print(f"torch  cnn {text}", file=sys.stderr, flush=True)

    progress(f"epoch 0 (warm-up): {epoch():.1f} s")
    seconds = []
    for number in range(1, ARGS.epochs + 1):
        seconds.append(epoch())
        progress(f"epoch {number}: {seconds[-1]:.1f} s")
    epoch_seconds = statistics.median(seconds)

    model.eval()
    infer_rate, fastest_rate, accuracy = torch_inference(torch, model, test_x, test_y)
    return len(train_x) / epoch_seconds, infer_rate, epoch_seconds, accuracy, fastest_rate


def report(library, network, batch, figures):
    train_rate, infer_rate, epoch_seconds, accuracy, fastest_rate = figures
    if ARGS.json:
        print(json.dumps({
            "network": network, "batch": batch, "threads": ARGS.threads,
            "train_samples_per_s": round(train_rate), "infer_samples_per_s": round(infer_rate),
            "infer_fastest_samples_per_s": round(fastest_rate),
            "epoch_seconds": round(epoch_seconds, 4), "library": library, "test_accuracy": round(accuracy, 4),
        }), flush=True)
    else:
        print(f"{library:6} {network:16} batch {batch} threads {ARGS.threads}: "
              f"train {train_rate / 1000:7.1f} k samples/s ({epoch_seconds:.3f} s/epoch), "
              f"infer {infer_rate / 1000:7.1f} k samples/s, test accuracy {accuracy * 100:.2f}%", flush=True)


def main():
    mlps = [name for name in ARGS.networks if name != "cnn"]
    if mlps and (os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE")):
        print("note: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set; numpy will use a slower kernel "
              "(run under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`)", file=sys.stderr)
    if ARGS.augment and "cnn" not in ARGS.networks:
        print("note: --augment applies to the CNN only; ignored", file=sys.stderr)
    data = load_mnist(ARGS.data)
    torch = None
    if not ARGS.no_torch:
        try:
            import torch
            torch.set_num_threads(ARGS.threads)
        except ImportError:
            print("note: PyTorch not installed; numpy only", file=sys.stderr)
    for name in ARGS.networks:
        if name == "cnn":
            # numpy has no convolution: the CNN is PyTorch's alone.
            if torch is None:
                print("note: the CNN needs PyTorch; skipped", file=sys.stderr)
            else:
                report("torch", CNN_NAME, ARGS.batch or CNN_BATCH, torch_cnn_run(torch, data))
            continue
        sizes = [int(width) for width in name.split("-")]
        report("numpy", name, ARGS.batch or MLP_BATCH, numpy_run(sizes, data))
        if torch is not None:
            report("torch", name, ARGS.batch or MLP_BATCH, torch_run(torch, sizes, data))


if __name__ == "__main__":
    main()
