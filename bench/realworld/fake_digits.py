#!/usr/bin/env python3
"""A stand-in for `digits classify --json`, to test score.py without the Swift tool.

    python3 bench/realworld/score.py --digits bench/realworld/fake_digits.py --corpus /tmp/digits-corpus

It prints, for each .png/.jpg/.jpeg of the folders (and files) given, one JSON line in the
format score.py expects, with made-up answers that depend only on the file name: a digit
file is right 80% of the time, wrong 12%, rejected 8%; a non-digit file is rejected 70% of
the time. One file in 97 "fails" with an `error:` line on stderr (and the exit code is 1).
"""

import hashlib
import json
import os
import sys


def main():
    argv = sys.argv[1:]
    if not argv or argv[0] != "classify" or "--json" not in argv:
        print("error: this stub only does `classify --json`", file=sys.stderr)
        return 64
    paths, model, no_reject, i = [], "fake-model", False, 1
    while i < len(argv):
        a = argv[i]
        if a == "--model":
            model = argv[i + 1]
            i += 2
            continue
        if a == "--no-reject":
            no_reject = True
        elif not a.startswith("--"):
            paths.append(a)
        i += 1
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.lower().endswith((".png", ".jpg", ".jpeg"))]
        else:
            files.append(p)
    status = 0
    for f in files:
        name = os.path.basename(f)
        h = int(hashlib.sha256(name.encode()).hexdigest(), 16)
        if h % 97 == 0:
            print(f"error: {f}: not a PNG or JPEG file (fake)", file=sys.stderr)
            status = 1
            continue
        head = name.split("-", 1)[0]
        u = (h >> 8) % 100
        guess = int(head) if head.isdigit() else h % 10
        if head.isdigit() and 80 <= u < 92:
            guess = (guess + 1 + h % 9) % 10
        probs = [0.01] * 10
        probs[guess] = 0.91
        reject = (head.isdigit() and u >= 92) or (not head.isdigit() and u < 70)
        line = {"file": f, "prediction": None if reject and not no_reject else guess, "confidence": 0.91,
                "guess": guess, "probabilities": probs, "model": model}
        if reject and not no_reject:
            line["reason"] = "fake: low confidence"
        print(json.dumps(line))
    return status


if __name__ == "__main__":
    sys.exit(main())
