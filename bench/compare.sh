#!/bin/sh
# Runs `digits bench` and bench/reference.py (numpy, and PyTorch when it imports) in interleaved
# rounds on this machine and prints each network's median figures, with ours as a multiple of
# theirs. Interleaving and medians keep a shared, noisy machine from favouring either side.
# Not part of CI. Usage, from the package root:
#   bench/compare.sh [--rounds N] [--epochs N] [--threads 1|2] [--no-torch] [--cnn]
# --cnn adds the LeNet-style CNN to every round: `digits bench --networks cnn --batch-size 128`
# and `reference.py --networks cnn` (PyTorch, Adam 1e-3, batch 128) at 1 and 2 threads. It is
# opt-in because it is slow: warm-up plus --epochs epochs of ~25 s each (PyTorch at 1 thread
# ~40 s), about 7 minutes a round at the default 3 epochs; `--cnn --epochs 1` halves that.
set -eu
cd "$(dirname "$0")/.."
ROUNDS=3
EPOCHS=3
THREADS=2
TORCH=""
CNN=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --epochs) EPOCHS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --no-torch) TORCH="--no-torch"; shift ;;
        --cnn) CNN=1; shift ;;
        *) echo "usage: bench/compare.sh [--rounds N] [--epochs N] [--threads 1|2] [--no-torch] [--cnn]" >&2; exit 2 ;;
    esac
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift build -c release >&2
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) vCPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    # Network by network, so that each side's figures for a network are taken minutes apart at
    # most: the second vCPU's speed here changes from one second to the next.
    for network in 784-10-10 784-128-10 784-256-128-10; do
        .build/release/digits bench --json --networks "$network" --epochs "$EPOCHS" --threads "$THREADS" \
            >> "$OUT/digits.json"
        for t in 1 2; do
            env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py --json $TORCH \
                --networks "$network" --epochs "$EPOCHS" --threads "$t" >> "$OUT/reference-$t.json"
        done
    done
    if [ -n "$CNN" ]; then
        # digits bench trains the CNN with SGD at --batch-size; the reference uses Adam at batch
        # 128 (bench/reference.py), so digits gets batch 128 too (the optimisers and initial weights still differ).
        .build/release/digits bench --json --networks cnn --batch-size 128 --epochs "$EPOCHS" \
            --threads "$THREADS" >> "$OUT/digits.json"
        if [ -z "$TORCH" ]; then  # the CNN reference is PyTorch only
            for t in 1 2; do
                env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py --json --networks cnn \
                    --epochs "$EPOCHS" --threads "$t" >> "$OUT/reference-cnn-$t.json"
            done
        fi
    fi
    round=$((round + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); medians of $ROUNDS interleaved rounds"
python3 - "$OUT" <<'PY'
import json, os, statistics, sys
from collections import defaultdict
out = sys.argv[1]
runs = defaultdict(list)
for name in sorted(os.listdir(out)):
    with open(os.path.join(out, name)) as f:
        for line in f:
            if line.startswith("{"):
                r = json.loads(line)
                runs[(r["network"], r["library"], r["threads"])].append(r)
rows = []
for (network, library, threads), rs in runs.items():
    rows.append({"network": network, "library": library, "threads": threads,
                 "train": statistics.median(r["train_samples_per_s"] for r in rs),
                 "infer": statistics.median(r["infer_samples_per_s"] for r in rs),
                 "fastest": statistics.median(r.get("infer_fastest_samples_per_s", 0) for r in rs),
                 "accuracy": statistics.median(r["test_accuracy"] for r in rs)})
ours = {r["network"]: r for r in rows if r["library"] == "digits"}
w = max([16] + [len(n) for n in ours])  # the CNN's name is longer than the MLPs'
print(f"{'network':{w}} {'library':7} {'thr':>3} {'train/s':>10} {'infer/s':>10} {'acc':>7}   train x  infer x (digits ÷ this)")
for network, mine in ours.items():
    others = sorted((r for r in rows if r["network"] == network and r["library"] != "digits"),
                    key=lambda r: (r["library"], r["threads"]))
    for r in [mine] + others:
        ratio = "" if r is mine else f"   {mine['train'] / r['train']:6.2f}  {mine['infer'] / r['infer']:6.2f}"
        print(f"{network:{w}} {r['library']:7} {r['threads']:3} {r['train']:10.0f} {r['infer']:10.0f} {r['accuracy']*100:6.2f}%{ratio}")
    numpy = [r for r in others if r["library"] == "numpy"]
    if numpy:
        best_train = max(numpy, key=lambda r: r["train"])
        best_infer = max(numpy, key=lambda r: r["infer"])
        print(f"{network:{w}} digits ÷ best numpy: train {mine['train'] / best_train['train']:.2f}× "
              f"({best_train['threads']} thr), infer {mine['infer'] / best_infer['infer']:.2f}× ({best_infer['threads']} thr)")
        # The fastest inference pass on each side, which the machine's hiccups disturb less.
        best_fastest = max(numpy, key=lambda r: r["fastest"])
        if mine["fastest"] and best_fastest["fastest"]:
            print(f"{network:{w}} fastest inference passes: digits {mine['fastest']:.0f}/s, numpy "
                  f"{best_fastest['fastest']:.0f}/s ({best_fastest['threads']} thr): "
                  f"{mine['fastest'] / best_fastest['fastest']:.2f}×")
PY
