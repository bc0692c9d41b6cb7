#!/usr/bin/env python3
"""Time `digits read FILE` from process start to exit: the median, fastest and slowest of N runs
after one warm-up run.

    python3 bench/numbers/speed.py FILE [--digits .build/release/digits] [--runs 20]
"""

import argparse
import subprocess
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    command = [args.digits, "read", args.file]
    reading = subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    times.sort()
    print(reading)
    print(f"median {1000 * times[len(times) // 2]:.1f} ms, fastest {1000 * times[0]:.1f} ms, "
          f"slowest {1000 * times[-1]:.1f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
