#!/usr/bin/env bash
# How long `digits classify one.png` takes from process start to printed answer (issue 6:
# under 25 ms; issue 19: a 28×28 PNG under 20 ms and a 4000×3000 JPEG photo under 150 ms,
# with the built-in model: `--sample photo.jpg`), beside `digits --version` (start-up and argument parsing alone) and
# /bin/true (the cost of starting any process). Builds in release, then times every command
# once a round, round after round, so that a change in the machine's load touches them all
# alike, and prints the median wall time of each. Not part of CI.
#
# Usage: bench/classify_latency.sh [--runs N] [--sample PICTURE] [--model FILE|builtin] [OTHER_DIGITS...]
# (from the package root). Each OTHER_DIGITS is another digits binary, say a copy of an
# earlier build, timed in the same rounds for a side-by-side comparison.
set -eu
cd "$(dirname "$0")/.."
RUNS=30
SAMPLE=samples/0-grey.png
MODEL=builtin
BINARIES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --sample) SAMPLE="$2"; shift 2 ;;
        --model) MODEL="$2"; shift 2 ;;
        -*) echo "usage: bench/classify_latency.sh [--runs N] [--sample PICTURE] [--model FILE|builtin] [OTHER_DIGITS...]" >&2; exit 2 ;;
        *) BINARIES+=("$1"); shift ;;
    esac
done
swift build -c release >&2
BINARIES=(.build/release/digits "${BINARIES[@]}")
if [ "$MODEL" != builtin ] && [ ! -f "$MODEL" ]; then
    echo "no model at $MODEL: run .build/release/digits train first, or pass --model FILE" >&2
    exit 1
fi

COMMANDS=("/bin/true")
for binary in "${BINARIES[@]}"; do
    COMMANDS+=("$binary --version" "$binary classify --model $MODEL $SAMPLE")
done

# Microseconds that `$@` takes, output discarded; EPOCHREALTIME is bash's clock, read
# without starting a process.
elapsed_microseconds() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null 2>&1
    local end=$EPOCHREALTIME
    echo $(( ${end/./} - ${start/./} ))
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A TIMES
for command in "${COMMANDS[@]}"; do
    # shellcheck disable=SC2086  # the command is words to split
    elapsed_microseconds $command > /dev/null   # warm the page cache
done
for ((round = 0; round < RUNS; round++)); do
    for command in "${COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        TIMES[$command]+="$(elapsed_microseconds $command) "
    done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median wall time of $RUNS runs each, in ms:"
for command in "${COMMANDS[@]}"; do
    median=$(echo "${TIMES[$command]}" | tr ' ' '\n' | grep . | sort -n |
        awk '{ t[NR] = $1 } END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%8.2f", m / 1000 }')
    echo "$median  $command"
done
