#!/bin/sh
# Compares two builds of digits on `digits bench`: runs them in rounds, A then B in odd rounds
# and B then A in even ones (the first run of a round was up to 10% faster at training), and
# prints each network's median figures, and the median over the rounds of B's figure divided
# by A's from the same round: the machine's speed drifts from minute to minute, and the two
# runs of a round see the same drift. Also the same for the fastest inference pass, which the
# machine's hiccups disturb less. Not part of CI. Usage:
#   bench/ab.sh ROUNDS BINARY_A BINARY_B [digits bench options...]
# e.g. save a release build as /tmp/digits-before, change the code, build again, then
#   bench/ab.sh 10 /tmp/digits-before .build/release/digits --epochs 2 --networks 784-128-10
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
    if [ $((round % 2)) -eq 1 ]; then
        "$A" bench --json "$@" | sed "s/^/A $round /" >> "$OUT"
        "$B" bench --json "$@" | sed "s/^/B $round /" >> "$OUT"
    else
        "$B" bench --json "$@" | sed "s/^/B $round /" >> "$OUT"
        "$A" bench --json "$@" | sed "s/^/A $round /" >> "$OUT"
    fi
    round=$((round + 1))
done
python3 - "$OUT" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(dict)   # (network, round) -> build -> figures
with open(sys.argv[1]) as f:
    for line in f:
        build, round_, text = line.split(" ", 2)
        figures = json.loads(text)
        runs[(figures["network"], int(round_))][build] = figures
for network in dict.fromkeys(network for network, _ in runs):
    rounds = [pair for (name, _), pair in runs.items() if name == network and len(pair) == 2]
    def median(build, key):
        return statistics.median(pair[build][key] for pair in rounds)
    def ratio(key):
        ratios = [pair["B"][key] / pair["A"][key] for pair in rounds]
        return f"B/A {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
    line = (f"{network:16s} train A {median('A', 'train_samples_per_s') / 1e3:7.1f} k  "
            f"B {median('B', 'train_samples_per_s') / 1e3:7.1f} k  {ratio('train_samples_per_s')}   "
            f"infer A {median('A', 'infer_samples_per_s') / 1e3:7.1f} k  "
            f"B {median('B', 'infer_samples_per_s') / 1e3:7.1f} k  {ratio('infer_samples_per_s')}")
    # The fastest inference pass, where both builds report it (digits bench after 2026-11-25).
    key = "infer_fastest_samples_per_s"
    if all(key in pair[build] for pair in rounds for build in "AB"):
        line += f"   fastest pass {ratio(key)}"
    print(line)
PY
