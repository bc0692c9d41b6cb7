#!/usr/bin/env python3
"""PyTorch reference for `digits train --arch cnn`: the same LeNet-style network trained the
same way, so the Swift figures can be compared on the same machine, back to back.

Network (as Network.leNet in Swift): conv 5x5x32 (valid) -> max-pool 2 -> ReLU ->
conv 5x5x64 (valid) -> max-pool 2 -> ReLU -> flatten (1024) -> dense 128 -> ReLU -> dense 10;
Adam, learning rate 1e-3, batch 128, float32, data/mnist/*.gz scaled to x/255.
--augment adds torchvision-free random affine augmentation (+-10 degrees, +-2 px, scale
0.9-1.1) with F.affine_grid / F.grid_sample, per batch.

Prints one line an epoch (seconds, test accuracy) and a summary line with the total training
seconds (test evaluation excluded) and the final test accuracy.

It is a measuring tool, not part of the build: CI neither needs nor runs it. It lives beside
bench/reference.py (the MLP reference) until that file gains the CNN.

    pip install torch numpy
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference_cnn.py [--epochs 10] [--threads 2] [--augment]
"""

import argparse
import gzip
import math
import os
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "mnist"))
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--augment", action="store_true")
parser.add_argument("--limit", type=int, help="train on the first N images only (a quick speed check)")
args = parser.parse_args()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as file:
        return np.frombuffer(file.read(), dtype=np.uint8, offset=header_bytes)


def load(name, header, shape=None):
    data = read_idx(os.path.join(args.data, name), header)
    return data.reshape(shape) if shape else data


train_x = torch.from_numpy(load("train-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255)
train_y = torch.from_numpy(load("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
if args.limit:
    train_x, train_y = train_x[: args.limit], train_y[: args.limit]
test_x = torch.from_numpy(load("t10k-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255)
test_y = torch.from_numpy(load("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))

model = nn.Sequential(
    nn.Conv2d(1, 32, 5), nn.MaxPool2d(2), nn.ReLU(),
    nn.Conv2d(32, 64, 5), nn.MaxPool2d(2), nn.ReLU(),
    nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10),
)
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)


def augment(x):
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * math.radians(10)
    scale = 0.9 + torch.rand(n) * 0.2
    shift = (torch.rand(n, 2) * 2 - 1) * (2 / 14)  # 2 px in grid units (-1..1 spans 28 px)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def accuracy():
    model.eval()
    with torch.no_grad():
        correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item()
                      for i in range(0, len(test_x), 1000))
    model.train()
    return correct / len(test_x)


total = 0.0
for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    order = torch.randperm(len(train_x))
    for first in range(0, len(train_x), args.batch):
        index = order[first:first + args.batch]
        x = train_x[index]
        if args.augment:
            x = augment(x)
        loss = F.cross_entropy(model(x), train_y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    total += seconds
    print(f"epoch {epoch}: {seconds:.1f} s, test accuracy {100 * accuracy():.2f}%", flush=True)
print(f"pytorch {torch.__version__} threads {args.threads} augment {args.augment}: "
      f"{args.epochs} epochs of {len(train_x)} images in {total:.1f} s ({total / args.epochs:.1f} s an epoch, "
      f"{len(train_x) * args.epochs / total:.0f} images/s), "
      f"test accuracy {100 * accuracy():.2f}%")
