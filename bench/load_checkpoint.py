#!/usr/bin/env python3
"""Load a digits checkpoint with numpy alone and print its predictions.

An independent check of the checkpoint format (design.md, "Files and formats"): it parses the
safetensors container by hand (8-byte little-endian header length, JSON header, raw
little-endian float32 data), rebuilds the layers from the metadata's `layers` list and runs
the forward pass. It is not a second implementation of training.

    python3 bench/load_checkpoint.py output/model.safetensors data/mnist/t10k-images-idx3-ubyte.gz --count 10

Prints one line a image: `index: top1 (probability)  top2 (probability)`, the same format as
the Swift side prints, so the two can be compared line by line. With `--labels FILE` it prints
only the accuracy over the images instead.
"""

import argparse
import gzip
import json
import struct

import numpy as np


def load_checkpoint(path):
    """Returns (layers, metadata): layers as a list of ("dense", W, b), ("relu",),
    ("conv2d", W, b, layer), ("maxpool", layer), ("flatten",) or ("dropout",)."""
    with open(path, "rb") as file:
        blob = file.read()
    (header_length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + header_length])
    metadata = header.pop("__metadata__")
    assert metadata["format"] == "digits" and metadata["version"] == "1", metadata
    data = blob[8 + header_length :]

    def tensor(name):
        entry = header[name]
        assert entry["dtype"] == "F32"
        begin, end = entry["data_offsets"]
        return np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])

    layers, index = [], 0
    for layer in json.loads(metadata["layers"]):
        if layer["type"] == "dense":
            weight, bias = tensor(f"layers.{index}.weight"), tensor(f"layers.{index}.bias")
            assert weight.shape == (layer["out"], layer["in"]) and bias.shape == (layer["out"],)
            layers.append(("dense", weight, bias))
            index += 1
        elif layer["type"] == "conv2d":
            weight, bias = tensor(f"layers.{index}.weight"), tensor(f"layers.{index}.bias")
            k, c, f = layer["kernel"], layer["in_channels"], layer["out_channels"]
            assert weight.shape == (f, c, k, k) and bias.shape == (f,)
            layers.append(("conv2d", weight, bias, layer))
            index += 1
        elif layer["type"] == "maxpool":
            layers.append(("maxpool", layer))
        elif layer["type"] in ("relu", "flatten", "dropout"):
            layers.append((layer["type"],))  # dropout is inactive at evaluation; flatten moves nothing
        else:
            raise ValueError(f"unknown layer type {layer['type']}")
    return layers, metadata


def probabilities(layers, x):
    """Forward pass: rows are samples, y = x·Wᵀ + b, ReLU, then a stable softmax. Image
    layers read a row as [channels, height, width] (channel-major) and write it the same way."""
    for layer in layers:
        if layer[0] == "dense":
            x = x @ layer[1].T + layer[2]
        elif layer[0] == "relu":
            x = np.maximum(x, 0)
        elif layer[0] == "conv2d":
            x = convolve(x, *layer[1:])
        elif layer[0] == "maxpool":
            spec = layer[1]
            s, c, h, w = spec["size"], spec["channels"], spec["height"], spec["width"]
            planes = x.reshape(-1, c, h, w)[:, :, : h // s * s, : w // s * s]
            x = planes.reshape(-1, c, h // s, s, w // s, s).max(axis=(3, 5)).reshape(len(x), -1)
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def convolve(x, weight, bias, spec):
    """A stride-1 cross-correlation with zero padding for "same", by an explicit sum over the kernel."""
    c, h, w, k = spec["in_channels"], spec["height"], spec["width"], spec["kernel"]
    pad = (k - 1) // 2 if spec["padding"] == "same" else 0
    images = np.pad(x.reshape(-1, c, h, w), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    y = np.zeros((len(x), weight.shape[0], oh, ow), dtype=np.float32)
    for ky in range(k):
        for kx in range(k):
            window = images[:, :, ky : ky + oh, kx : kx + ow]
            y += np.einsum("nchw,fc->nfhw", window, weight[:, :, ky, kx])
    return (y + bias[None, :, None, None]).reshape(len(x), -1)


def read_idx_images(path, count):
    """The first `count` images of an IDX3 file (gzipped or not) as [count, rows·cols] uint8."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as file:
        magic, total, rows, cols = struct.unpack(">IIII", file.read(16))
        assert magic == 0x00000803, "not an IDX image file"
        count = min(count, total)
        return np.frombuffer(file.read(count * rows * cols), dtype=np.uint8).reshape(count, rows * cols)


def read_idx_labels(path, count):
    """The first `count` labels of an IDX1 file (gzipped or not)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as file:
        magic, total = struct.unpack(">II", file.read(8))
        assert magic == 0x00000801, "not an IDX label file"
        return np.frombuffer(file.read(min(count, total)), dtype=np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("images", help="an IDX image file, e.g. data/mnist/t10k-images-idx3-ubyte.gz")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--labels", help="an IDX label file: print the accuracy instead of predictions")
    args = parser.parse_args()

    layers, metadata = load_checkpoint(args.checkpoint)
    assert metadata["input"] == "x/255", f"unsupported input normalisation {metadata['input']}"
    x = read_idx_images(args.images, args.count).astype(np.float32) / 255
    p = probabilities(layers, x)
    if args.labels:
        labels = read_idx_labels(args.labels, len(p))
        print(f"accuracy {np.mean(p.argmax(axis=1) == labels):.4f} over {len(labels)} images")
        return
    for index, row in enumerate(p):
        first, second = np.argsort(-row, kind="stable")[:2]
        print(f"{index}: {first} ({row[first]:.6f})  {second} ({row[second]:.6f})")


if __name__ == "__main__":
    main()
