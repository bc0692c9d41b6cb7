#!/usr/bin/env bash
# Makes the model that is built into `digits` (Sources/BuiltInModel/model.safetensors, compiled
# into the executable by the BuiltInModel target): the augmented LeNet-style CNN trained on
# MNIST's training images and the extra samples of data/extra (printed digits, and pictures
# that are no digit as an eleventh class), with MNIST's last 5,000 training images (and a
# share of the extras) held out to fit the confidence calibration and the refusal threshold.
#
# Usage: bench/make_builtin_model.sh   (from anywhere; about 6–10 minutes on 2 cores)
#
# Training is seeded and its arithmetic does not depend on the thread count, so the same
# source, data and seed give the same file, byte for byte: the script prints its SHA-256,
# which bench/README.md records. Rebuild afterwards (`swift build -c release`) to embed it.
set -eu
cd "$(dirname "$0")/.."
swift build -c release >&2
model=Sources/BuiltInModel/model.safetensors
.build/release/digits train --arch cnn --augment --epochs 10 --batch-size 128 --learning-rate 0.002 \
    --schedule cosine --seed 1 --extras data/extra --hold-out 5000 \
    --model "$model" --output .build/builtin-model
sha256sum "$model"
