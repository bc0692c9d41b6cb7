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
    """Returns (layers, metadata): layers as a list of ("dense", W, b) or ("relu",)."""
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
        elif layer["type"] == "relu":
            layers.append(("relu",))
        else:
            raise ValueError(f"unknown layer type {layer['type']}")
    return layers, metadata


def probabilities(layers, x):
    """Forward pass: rows are samples, y = x·Wᵀ + b, ReLU, then a stable softmax."""
    for layer in layers:
        if layer[0] == "dense":
            x = x @ layer[1].T + layer[2]
        else:
            x = np.maximum(x, 0)
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


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
