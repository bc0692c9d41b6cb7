#!/usr/bin/env python3
"""Make the EXTRA TRAINING DATA: printed digits and non-digits (label 10) as clean pictures.

    python3 bench/realworld/make_training_extras.py --out data/extra [--seed 1]

Drawn only from the TRAINING fonts of fontsets.py (never a corpus font) and procedural
drawing on a random stream of its own (the corpus uses another), so nothing here is a
picture of the test corpus:

  (a) printed digits 0–9 in the training fonts, every weight and slant, some slanted or
      rotated a little more, strokes thickened or thinned;
  (b) non-digits, label 10: the non-digit letters and symbols of fontsets.NONDIGIT_CHARS in
      the training fonts and hand-drawn (jittered strokes), scribbles, shapes, partial noisy
      blobs and smudges (no blank pages: the tool sends those away before the network).

Each is a 56×56 picture, ink BRIGHT (255) on black (0) with its anti-aliased grey edge (6
grey levels), the ink fitted into 38×38 (its aspect kept) and centred. The order is shuffled with the
seed. They are written as gzipped IDX files like MNIST's: extra-images-idx3-ubyte.gz
(magic 2051, count, 56, 56) and extra-labels-idx1-ubyte.gz (magic 2049, labels 0–10).
"""

import argparse
import collections
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drawing as D  # noqa: E402
import fontsets  # noqa: E402

STREAM = 0x7A  # the training extras' random stream; the corpus uses 0xC0
SIDE, BOX = 56, 38  # the ink fits in about 40 × 40 (38: a smaller file, see LEVELS)
NOT_A_DIGIT = 10
PRINTED = 10_000
NONDIGIT_MIX = [("font", 5000), ("hand", 3500), ("scribble", 2500), ("shape", 2500), ("blob", 900),
                ("smudge", 600)]
CATEGORY_ID = {"printed": 1, "font": 2, "hand": 3, "scribble": 4, "shape": 5, "blob": 6, "smudge": 7}
# Grey levels kept (0, 51, 102, 153, 204, 255), and the anti-aliased edge a little narrowed
# (smoothstep 0.1–0.9): at 56 × 56 the edge is still graded after the tool's own area-averaging
# down to 20 × 20, and the two files stay near 4 MB (8-bit greys and 40 × 40 made them 8 MB).
LEVELS = 6
EDGE = (0.1, 0.9)


def fit(mask, sharpen=True):
    """The ink fitted into BOX × BOX (aspect kept), centred in SIDE × SIDE, as bytes."""
    m = D.crop_to_ink(mask, threshold=0.05)
    h, w = m.shape
    s = BOX / float(max(h, w))
    nw, nh = max(1, int(round(w * s))), max(1, int(round(h * s)))
    m = D.resize_mask(m, nw, nh)
    out = np.zeros((SIDE, SIDE), np.float32)
    y, x = (SIDE - nh) // 2, (SIDE - nw) // 2
    out[y:y + nh, x:x + nw] = m
    if sharpen:
        out = D.smoothstep(EDGE[0], EDGE[1], out)
    step = 255.0 / (LEVELS - 1)
    return (np.clip(np.rint(out * 255.0 / step) * step, 0, 255)).astype(np.uint8)


def pick_face(rng, by_group, ch):
    """A face: a design group first (so big families do not crowd the rest), then a face."""
    groups = sorted(by_group)
    for _ in range(50):
        faces = by_group[groups[int(rng.integers(len(groups)))]]
        f = faces[int(rng.integers(len(faces)))]
        if f.has(ch):
            return f
    return None


def font_glyph(rng, face, ch):
    """A glyph rendered large, with a little extra slant or rotation, thickened or thinned."""
    m = D.glyph_mask(face, ch, int(rng.integers(90, 170)))
    r = rng.random()
    if r < 0.25:  # thicker
        m = D.thicken(m, rng.uniform(1, max(1.5, 0.05 * m.shape[0])))
    elif r < 0.45:  # thinner, unless that would break the strokes
        thin = D.thicken(m, -rng.uniform(1, max(1.5, 0.03 * m.shape[0])))
        if thin.sum() > 0.55 * m.sum():
            m = thin
    shear = rng.uniform(-0.22, 0.22) if rng.random() < 0.3 else 0.0
    angle = rng.uniform(-8, 8) if rng.random() < 0.7 else 0.0
    return D.rotate_mask(m, angle, shear)


def partial_blob(rng):
    """A blob, cut by a straight edge and eaten by noise, with a few specks around it."""
    m = D.rasterize(D.blobs(rng), 120)
    h, w = m.shape
    m = np.pad(m, 12)
    h, w = m.shape
    if rng.random() < 0.6:
        a = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:h, 0:w]
        d = (xx - w / 2) * math.cos(a) + (yy - h / 2) * math.sin(a)
        cut = D.smoothstep(-1, 1, d - rng.uniform(-0.25, 0.2) * max(h, w))
        if (m * cut).sum() > 0.3 * m.sum():
            m = m * cut
    if rng.random() < 0.7:
        noise = D.low_freq_noise(rng, h, w, rng.uniform(8, 25), 1.0)
        m = m * D.smoothstep(rng.uniform(-1.2, -0.3), 0.3, noise)
    if rng.random() < 0.5:
        specks = (rng.random((h, w)) < rng.uniform(0.002, 0.01)).astype(np.float32)
        m = np.maximum(m, D.blur(D.thicken(specks, 1), 0.8))
    return m


def smudge(rng):
    """A soft grey smear: a blurred blob, maybe dragged one way."""
    m = D.rasterize(D.blob(rng), 100)
    m = np.pad(m, 30)
    if rng.random() < 0.6:
        k = int(rng.integers(8, 30))
        m = np.mean([np.roll(m, j, axis=1) for j in range(k)], axis=0)
        m = D.rotate_mask(m, rng.uniform(0, 180))
    m = D.blur(m, rng.uniform(3, 9))
    m = m / max(float(m.max()), 1e-6) * rng.uniform(0.45, 0.85)
    return m


def make_one(seed, cat, index, by_group):
    rng = D.rng_for(seed, STREAM, CATEGORY_ID[cat], index)
    if cat == "printed":
        label = index % 10
        face = pick_face(rng, by_group, str(label))
        return fit(font_glyph(rng, face, str(label))), label, face.group
    if cat == "font":
        ch = fontsets.NONDIGIT_CHARS[int(rng.integers(len(fontsets.NONDIGIT_CHARS)))]
        face = pick_face(rng, by_group, ch)
        return fit(font_glyph(rng, face, ch)), NOT_A_DIGIT, face.group
    if cat == "hand":
        ch = D.HANDDRAWN_CHARS[int(rng.integers(len(D.HANDDRAWN_CHARS)))]
        m = D.rasterize(D.handdrawn(ch, rng), 120, rng, pressure=rng.uniform(0, 0.35))
        return fit(m), NOT_A_DIGIT, "hand"
    if cat == "scribble":
        _, dr = D.scribble(rng)
        return fit(D.rasterize(dr, 120, rng, pressure=rng.uniform(0, 0.3))), NOT_A_DIGIT, "scribble"
    if cat == "shape":
        _, dr = D.shape(rng)
        if rng.random() < 0.5:
            dr = D.jitter(dr, rng, rng.uniform(0.005, 0.02))
        return fit(D.rasterize(dr, 120, rng, pressure=rng.uniform(0, 0.2))), NOT_A_DIGIT, "shape"
    if cat == "blob":
        return fit(partial_blob(rng)), NOT_A_DIGIT, "blob"
    m = smudge(rng)
    out = fit(m / max(float(m.max()), 1e-6), sharpen=False)  # fitted at full strength, then dimmed
    return (out.astype(np.float32) * float(m.max())).astype(np.uint8), NOT_A_DIGIT, "smudge"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the folder for the two .gz files (e.g. data/extra)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="scale the counts (for a quick try)")
    ap.add_argument("--preview", help="also write a PNG contact sheet of the first 400 pictures here")
    args = ap.parse_args()

    faces = fontsets.faces(fontsets.TRAINING_GROUPS, styles="all")
    if not faces:
        sys.exit("error: no training fonts are installed (see bench/realworld/README.md)")
    by_group = collections.defaultdict(list)
    for f in faces:
        by_group[f.group].append(f)

    plan = [("printed", i) for i in range(int(round(PRINTED * args.scale)))]
    for cat, n in NONDIGIT_MIX:
        plan += [(cat, i) for i in range(int(round(n * args.scale)))]
    images = np.zeros((len(plan), SIDE, SIDE), np.uint8)
    labels = np.zeros(len(plan), np.uint8)
    counts = collections.Counter()
    sources = collections.Counter()
    t = time.time()
    for k, (cat, i) in enumerate(plan):
        images[k], labels[k], src = make_one(args.seed, cat, i, by_group)
        counts[cat] += 1
        sources[src] += 1
        if (k + 1) % 2500 == 0:
            print(f"{k + 1}/{len(plan)} pictures, {time.time() - t:.0f} s", flush=True)
    empty = int((images.reshape(len(plan), -1).max(axis=1) < 64).sum())
    if empty:
        print(f"note: {empty} pictures have little ink", file=sys.stderr)

    order = D.rng_for(args.seed, STREAM, 0).permutation(len(plan))
    images, labels = images[order], labels[order]
    os.makedirs(args.out, exist_ok=True)
    ipath = os.path.join(args.out, "extra-images-idx3-ubyte.gz")
    lpath = os.path.join(args.out, "extra-labels-idx1-ubyte.gz")
    D.write_idx_gz(ipath, images)
    D.write_idx_gz(lpath, labels)

    # read them back: the files are what was made
    back_i, back_l = D.read_idx(ipath), D.read_idx(lpath)
    assert back_i.shape == (len(plan), SIDE, SIDE) and np.array_equal(back_i, images)
    assert np.array_equal(back_l, labels)

    print(f"{len(plan)} pictures: " + ", ".join(f"{c} {n}" for c, n in counts.items()))
    print("labels: " + ", ".join(f"{d}: {int((labels == d).sum())}" for d in range(11)))
    print(f"{len(by_group)} font groups, {len({f.family for f in faces})} families, {len(faces)} faces")
    print(f"{ipath}: {os.path.getsize(ipath) / 1e6:.2f} MB, {lpath}: {os.path.getsize(lpath) / 1e3:.1f} kB")
    if args.preview:
        n = min(400, len(plan))
        cols = 20
        rows = (n + cols - 1) // cols
        sheet = np.zeros((rows * SIDE, cols * SIDE), np.uint8)
        for k in range(n):
            r, c = divmod(k, cols)
            sheet[r * SIDE:(r + 1) * SIDE, c * SIDE:(c + 1) * SIDE] = images[k]
        D.to_l(sheet / 255.0).save(args.preview)
        print(f"preview: {args.preview} (labels, row by row: {''.join('x' if v == 10 else str(v) for v in labels[:n])})")


if __name__ == "__main__":
    main()
