#!/bin/sh
# Runs `digits bench` and bench/reference.py (numpy, and PyTorch when it imports) one after the
# other on this machine and prints each network's figures with ours as a multiple of theirs.
# Not part of CI. Usage: bench/compare.sh [--epochs N] [--threads 1|2]  (from the package root)
set -eu
cd "$(dirname "$0")/.."
EPOCHS=3
THREADS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --epochs) EPOCHS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        *) echo "usage: bench/compare.sh [--epochs N] [--threads 1|2]" >&2; exit 2 ;;
    esac
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift build -c release >&2
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) vCPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
.build/release/digits bench --json --epochs "$EPOCHS" --threads "$THREADS" > "$OUT/digits.json"
for t in 1 2; do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference.py --json --epochs "$EPOCHS" --threads "$t" > "$OUT/reference-$t.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
rows = []
for name in sorted(os.listdir(out)):
    with open(os.path.join(out, name)) as f:
        rows += [json.loads(line) for line in f if line.startswith("{")]
ours = {r["network"]: r for r in rows if r["library"] == "digits"}
print(f"{'network':16} {'library':7} {'thr':>3} {'train/s':>10} {'infer/s':>10} {'acc':>7}   train x  infer x (digits ÷ this)")
for network, mine in ours.items():
    for r in [mine] + [r for r in rows if r["network"] == network and r["library"] != "digits"]:
        ratio = "" if r is mine else f"   {mine['train_samples_per_s'] / r['train_samples_per_s']:6.2f}  {mine['infer_samples_per_s'] / r['infer_samples_per_s']:6.2f}"
        print(f"{network:16} {r['library']:7} {r['threads']:3} {r['train_samples_per_s']:10} {r['infer_samples_per_s']:10} {r['test_accuracy']*100:6.2f}%{ratio}")
    best = max((r for r in rows if r["network"] == network and r["library"] == "numpy"), key=lambda r: r["train_samples_per_s"], default=None)
    if best:
        print(f"{network:16} digits ÷ best numpy ({best['threads']} thr): train {mine['train_samples_per_s'] / best['train_samples_per_s']:.2f}×")
PY
