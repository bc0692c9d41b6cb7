#!/usr/bin/env python3
"""Score `digits read` on the numbers corpus: one `digits read --json DIR/KIND` run per kind,
exact whole-number accuracy per kind as a markdown table.

    python3 bench/numbers/score.py --corpus /tmp/numbers [--digits .build/release/digits]
        [--model FILE] [--show-wrong N] [--kinds spaced,close]

A reading is right when its text equals the number in the file name, the lines (joined by `_`
in the name) separated by one space, as `digits read` joins them.
"""

import argparse
import json
import os
import subprocess
import sys
import time

KINDS = ["spaced", "close", "touching", "printed", "photo", "inverted"]
TARGETS = {"spaced": 0.97, "close": 0.95, "touching": 0.85, "printed": 0.95, "photo": 0.93, "inverted": 0.95}


def truth(path):
    return os.path.basename(path).split("-")[0].replace("_", " ")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model")
    parser.add_argument("--show-wrong", type=int, default=0, metavar="N", help="list up to N wrong readings a kind")
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    rows, wrong = [], []
    for kind in args.kinds.split(","):
        folder = os.path.join(args.corpus, kind)
        if not os.path.isdir(folder):
            continue
        command = [args.digits, "read", "--json", folder] + (["--model", args.model] if args.model else [])
        start = time.time()
        run = subprocess.run(command, capture_output=True, text=True)
        seconds = time.time() - start
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
        errors = len(run.stderr.strip().splitlines()) if run.stderr.strip() else 0
        right = 0
        kind_wrong = []
        for line in lines:
            expected = truth(line["file"])
            if line["text"] == expected:
                right += 1
            else:
                kind_wrong.append((line["file"], expected, line["text"], line["confidence"]))
        total = len(lines) + errors
        rows.append((kind, total, right, errors, seconds))
        wrong += kind_wrong[:args.show_wrong]
    print("| kind | pictures | exact | accuracy | target | errors | seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, total, right, errors, seconds in rows:
        target = TARGETS.get(kind)
        accuracy = right / total if total else 0.0
        mark = "" if target is None else (" ✓" if accuracy >= target else " ✗")
        print(f"| {kind} | {total} | {right} | {100 * accuracy:.1f}%{mark} | "
              f"{'' if target is None else f'{100 * target:.0f}%'} | {errors} | {seconds:.1f} |")
    if wrong:
        print()
        for path, expected, got, confidence in wrong:
            print(f"{path}: expected {expected!r}, read {got!r} ({100 * confidence:.1f}%)")


if __name__ == "__main__":
    sys.exit(main())
