#!/bin/sh
# Compares two builds of digits on `digits bench`: runs them in interleaved rounds (A, B, A,
# B, ...) so that a noisy, shared machine favours neither, and prints each network's median
# training and inference figures with B as a multiple of A (and of the fastest inference
# pass, which the machine's hiccups disturb less). Not part of CI. Usage:
#   bench/ab.sh ROUNDS BINARY_A BINARY_B [digits bench options...]
# e.g. save a release build as /tmp/digits-before, change the code, build again, then
#   bench/ab.sh 5 /tmp/digits-before .build/release/digits --networks 784-128-10
set -eu
if [ $# -lt 3 ]; then
    echo "usage: bench/ab.sh ROUNDS BINARY_A BINARY_B [digits bench options...]" >&2
    exit 2
fi
ROUNDS=$1 A=$2 B=$3
shift 3
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
round=1
while [ "$round" -le "$ROUNDS" ]; do
    "$A" bench --json "$@" | sed 's/^/A /' >> "$OUT"
    "$B" bench --json "$@" | sed 's/^/B /' >> "$OUT"
    round=$((round + 1))
done
python3 - "$OUT" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        build, text = line.split(" ", 1)
        figures = json.loads(text)
        runs[(figures["network"], build)].append(figures)
def median(build, network, key):
    return statistics.median(run[key] for run in runs[(network, build)])
for network in dict.fromkeys(network for network, _ in runs):
    a_train, b_train = median("A", network, "train_samples_per_s"), median("B", network, "train_samples_per_s")
    a_infer, b_infer = median("A", network, "infer_samples_per_s"), median("B", network, "infer_samples_per_s")
    line = (f"{network:16s} train A {a_train / 1e3:7.1f} k  B {b_train / 1e3:7.1f} k  B/A {b_train / a_train:.2f}   "
            f"infer A {a_infer / 1e3:7.1f} k  B {b_infer / 1e3:7.1f} k  B/A {b_infer / a_infer:.2f}")
    # The fastest inference pass, where both builds report it (digits bench after 2026-11-25).
    key = "infer_fastest_samples_per_s"
    if all(key in run for build in "AB" for run in runs[(network, build)]):
        a_fast, b_fast = median("A", network, key), median("B", network, key)
        line += f"   fastest pass B/A {b_fast / a_fast:.2f}"
    print(line)
PY
