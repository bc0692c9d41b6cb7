#!/usr/bin/env python3
"""Score `digits classify --json` on the real-pictures corpus that make_corpus.py made.

    python3 bench/realworld/score.py --digits .build/release/digits --corpus /tmp/digits-corpus \\
        [--model FILE] [--extra-args "--no-reject"] [--json] [--show-wrong N] [--kinds photo,printed]

For each kind (a subfolder of the corpus) it runs ONE process, `DIGITS classify --json
[--model FILE] [EXTRA ARGS] CORPUS/KIND`, and reads its stdout, one JSON object a line:

    {"file": "…/photo/7-0012-….jpg", "prediction": 7, "confidence": 0.98, "guess": 7,
     "probabilities": [10 floats], "model": "…"}
    {"file": "…", "prediction": null, "reason": "…", "guess": 3, "confidence": 0.41, …}

(`prediction` null means the tool said "not a digit"). A stderr line starting "error:" is a
file that could not be read; such files, and files with no line at all, count as wrong.

The label is the file name's first field: 0–9, or x for "not a digit". For the digit kinds
the accuracy is prediction == label (a null prediction is wrong) and "rejected" is the rate
of null predictions (false rejections); for nondigit the rejection rate is the accuracy.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time

KIND_ORDER = ["photo", "printed", "resaved", "inverted", "nondigit"]
EXTENSIONS = (".png", ".jpg", ".jpeg")


def label_of(name):
    head = name.split("-", 1)[0]
    if head in ("x", "X"):
        return None
    if head.isdigit() and len(head) == 1:
        return int(head)
    raise ValueError(f"{name}: the name does not start with a label (0-9 or x)")


def corpus_files(folder):
    return sorted(n for n in os.listdir(folder) if n.lower().endswith(EXTENSIONS) and not n.startswith("."))


def run_kind(args, kind):
    folder = os.path.join(args.corpus, kind)
    names = corpus_files(folder)
    cmd = [args.digits, "classify", "--json"]
    if args.model:
        cmd += ["--model", args.model]
    cmd += shlex.split(args.extra_args or "")
    cmd.append(folder)
    start = time.time()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        stderr = (e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")) + "\nerror: timed out"
        code = None
    except OSError as e:
        sys.exit(f"error: cannot run {args.digits}: {e}")
    seconds = time.time() - start

    known = set(names)
    results, unparsed = {}, []
    for line in stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
            base = os.path.basename(str(obj["file"]))
        except (ValueError, KeyError, TypeError):
            unparsed.append(line)
            continue
        results[base] = obj
    errors = {}  # name -> message
    other_errors = []
    for line in stderr.splitlines():
        if not line.startswith("error:"):
            continue
        hit = next((n for n in sorted(known, key=len, reverse=True) if n in line), None)
        if hit and hit not in results:
            errors[hit] = line
        elif not hit:
            other_errors.append(line)

    rows = []
    for name in names:
        label = label_of(name)
        r = results.get(name)
        row = {"file": f"{kind}/{name}", "label": "x" if label is None else label}
        if r is None:
            row.update(status="error", message=errors.get(name) or "no output line for this file")
            row["correct"] = False
        else:
            pred = r.get("prediction")
            row.update(status="ok", prediction=pred, confidence=r.get("confidence"),
                       guess=r.get("guess", pred), reason=r.get("reason"), model=r.get("model"))
            row["correct"] = (pred is None) if label is None else (pred == label)
        rows.append(row)
    return {"kind": kind, "command": cmd, "exit_code": code, "seconds": round(seconds, 2), "rows": rows,
            "unparsed_lines": unparsed, "unmatched_errors": other_errors}


def summarise(run):
    rows = run["rows"]
    n = len(rows)
    ok = [r for r in rows if r["status"] == "ok"]
    digit_kind = any(r["label"] != "x" for r in rows)
    correct = sum(r["correct"] for r in rows)
    rejected = sum(1 for r in ok if r["prediction"] is None)
    s = {
        "kind": run["kind"], "files": n, "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "rejected": rejected, "rejected_rate": rejected / n if n else 0.0,
        "errors": n - len(ok), "exit_code": run["exit_code"], "seconds": run["seconds"],
        "digit_kind": digit_kind,
    }
    if digit_kind:
        digits = [r for r in rows if r["label"] != "x"]
        s["guess_accuracy"] = (sum(1 for r in digits if r["status"] == "ok" and r["guess"] == r["label"])
                               / len(digits)) if digits else 0.0
    return s


def pooled(summaries, name, pick):
    chosen = [s for s in summaries if pick(s)]
    n = sum(s["files"] for s in chosen)
    if not chosen or n == 0:
        return None
    c = sum(s["correct"] for s in chosen)
    rj = sum(s["rejected"] for s in chosen)
    return {"kind": name, "files": n, "correct": c, "accuracy": c / n, "rejected": rj, "rejected_rate": rj / n,
            "errors": sum(s["errors"] for s in chosen), "seconds": round(sum(s["seconds"] for s in chosen), 2)}


def pct(x):
    return f"{100.0 * x:.1f}%"


def wrong_line(r):
    if r["status"] == "error":
        return f"- {r['file']}: {r['message']}"
    conf = r.get("confidence")
    conf_s = f" ({100 * conf:.1f}%)" if isinstance(conf, (int, float)) else ""
    if r["prediction"] is None:
        reason = f": {r['reason']}" if r.get("reason") else ""
        guess = r.get("guess")
        guess_s = f"guess {guess}{conf_s}" if guess is not None else "no guess"
        return f"- {r['file']}: rejected{reason} ({guess_s})"
    return f"- {r['file']}: predicted {r['prediction']}{conf_s}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--digits", required=True, help="the digits executable (e.g. .build/release/digits)")
    ap.add_argument("--corpus", required=True, help="the folder make_corpus.py wrote")
    ap.add_argument("--model", help="passed on as --model FILE")
    ap.add_argument("--extra-args", default="", help='more arguments for classify, e.g. "--no-reject"')
    ap.add_argument("--kinds", help="comma-separated kinds (default: every subfolder, photo printed resaved "
                                    "inverted nondigit first)")
    ap.add_argument("--json", action="store_true", help="print a JSON summary instead of the table")
    ap.add_argument("--show-wrong", type=int, default=0, metavar="N", help="list up to N wrong files a kind")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed for one kind's process")
    argv = sys.argv[1:]
    for i in range(len(argv) - 1):  # let `--extra-args "--no-reject"` through argparse
        if argv[i] == "--extra-args":
            argv[i:i + 2] = [f"--extra-args={argv[i + 1]}"]
            break
    args = ap.parse_args(argv)

    if not os.path.isdir(args.corpus):
        sys.exit(f"error: no corpus folder {args.corpus}")
    present = [d for d in os.listdir(args.corpus) if os.path.isdir(os.path.join(args.corpus, d))]
    if args.kinds:
        kinds = [k for k in args.kinds.split(",") if k]
        missing = [k for k in kinds if k not in present]
        if missing:
            sys.exit(f"error: no such kind in {args.corpus}: {', '.join(missing)}")
    else:
        kinds = [k for k in KIND_ORDER if k in present] + sorted(k for k in present if k not in KIND_ORDER)
    kinds = [k for k in kinds if corpus_files(os.path.join(args.corpus, k))]
    if not kinds:
        sys.exit(f"error: no pictures under {args.corpus}")

    runs = [run_kind(args, k) for k in kinds]
    summaries = [summarise(r) for r in runs]
    extra = [p for p in (pooled(summaries, "all digit kinds", lambda s: s["digit_kind"]),) if p]
    models = sorted({str(r.get("model")) for run in runs for r in run["rows"] if r.get("model")})

    if args.json:
        out = {"corpus": args.corpus, "digits": args.digits, "model_option": args.model,
               "extra_args": args.extra_args, "models": models, "kinds": summaries, "pooled": extra}
        if args.show_wrong:
            out["wrong"] = {run["kind"]: [r for r in run["rows"] if not r["correct"]][:args.show_wrong] for run in runs}
        out["problems"] = {run["kind"]: {"exit_code": run["exit_code"], "unparsed_lines": run["unparsed_lines"][:20],
                                         "unmatched_errors": run["unmatched_errors"][:20]}
                           for run in runs if run["unparsed_lines"] or run["unmatched_errors"]
                           or run["exit_code"] not in (0, 1)}
        json.dump(out, sys.stdout, indent=2)
        print()
        return

    print("| kind | files | accuracy | rejected | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for s in summaries + extra:
        print(f"| {s['kind']} | {s['files']} | {pct(s['accuracy'])} | {pct(s['rejected_rate'])} | {s['errors']} |")
    print()
    print("accuracy: digit kinds, prediction == label (a rejection is wrong); nondigit, the rejection rate.")
    print("rejected: digit kinds, false rejections; nondigit, rejections (= its accuracy).")
    if models:
        print(f"model: {', '.join(models)}")
    for run, s in zip(runs, summaries):
        notes = []
        if run["exit_code"] not in (0, 1):
            notes.append(f"exit code {run['exit_code']}")
        if run["unparsed_lines"]:
            notes.append(f"{len(run['unparsed_lines'])} stdout lines that are not JSON, e.g. {run['unparsed_lines'][0][:120]!r}")
        if run["unmatched_errors"]:
            notes.append(f"errors naming no corpus file, e.g. {run['unmatched_errors'][0][:120]!r}")
        if notes:
            print(f"{s['kind']}: " + "; ".join(notes))
    for run in runs:
        errs = [r for r in run["rows"] if r["status"] == "error"]
        if errs:
            print(f"\nfailed files in {run['kind']} ({len(errs)}):")
            for r in errs[:50]:
                print(wrong_line(r))
            if len(errs) > 50:
                print(f"- … and {len(errs) - 50} more")
    if args.show_wrong:
        for run in runs:
            wrong = [r for r in run["rows"] if not r["correct"] and r["status"] == "ok"]
            if wrong:
                print(f"\nwrong in {run['kind']} ({len(wrong)}, up to {args.show_wrong} shown):")
                for r in wrong[:args.show_wrong]:
                    print(wrong_line(r))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # `| head`
        sys.stderr.close()
