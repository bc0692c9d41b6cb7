#!/usr/bin/env python3
"""Make the whole-numbers TEST corpus for `digits read`: numbers of 2-8 digits, one folder per
kind, from MNIST *test* digits (data/mnist/t10k-*) and the CORPUS fonts of
bench/realworld/fontsets.py only.

    python3 bench/numbers/make_numbers.py --out /tmp/numbers [--seed 1] [--count 100]

Kinds: spaced (gaps of 0.15-0.6 digit heights, clean PNG scans), close (gaps of 0-2 px),
touching (neighbours' strokes overlap and merge), printed (corpus fonts), photo (JPEG phone
photos: lighting, shadows, noise, ruled lines, 1600x1200 and other sizes), inverted (light on
dark: chalk on a board, white on black). A file is named <number>-<index>-<tags>.<ext>; two
lines of digits on one picture are joined by `_` (`2024_0731-0007-....png`). The same seed,
fonts and library versions give the same files.
"""

import argparse
import math
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "realworld"))
import drawing as D  # noqa: E402
import fontsets  # noqa: E402
from scene import INKS, Scene  # noqa: E402

STREAM = 0x5E  # this corpus's random stream
KINDS = ["spaced", "close", "touching", "printed", "photo", "inverted"]
PHOTO_SIZES = [(1600, 1200), (1200, 1600), (1280, 960), (2048, 1536), (3264, 2448)]
PHOTO_WEIGHTS = [0.5, 0.15, 0.15, 0.12, 0.08]


def pick(rng, items, weights=None):
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        weights = weights / weights.sum()
    return items[int(rng.choice(len(items), p=weights))]


class Digits:
    """MNIST test digits by label."""

    def __init__(self, root):
        images = D.read_idx(os.path.join(root, "t10k-images-idx3-ubyte.gz"))
        labels = D.read_idx(os.path.join(root, "t10k-labels-idx1-ubyte.gz"))
        self.images = images.astype(np.float32) / 255.0
        self.by_label = [np.nonzero(labels == d)[0] for d in range(10)]

    def mask(self, rng, digit, height):
        """One test digit cropped to its ink, about `height` pixels tall (a 1 keeps its thinness)."""
        index = int(rng.choice(self.by_label[digit]))
        m = D.crop_to_ink(self.images[index], pad=0, threshold=0.08)
        scale = height / m.shape[0]
        m = D.resize_mask(m, m.shape[1] * scale, height)
        return m


def number_text(rng):
    n = int(rng.integers(2, 9))
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def contact_offset(left, right, extra):
    """How far `right` must move left from touching boxes until the strokes meet, plus `extra`."""
    lw, rw = left.shape[1], right.shape[1]
    h = min(left.shape[0], right.shape[0])
    a, b = left[:h] > 0.35, right[:h] > 0.35
    limit = int(0.45 * min(lw, rw))
    for overlap in range(1, limit + 1):
        if np.any(a[:, lw - overlap:] & b[:, :overlap]):
            return min(limit, overlap + extra)
    return limit


def compose(masks, gaps):
    """Masks side by side, bottoms aligned, `gaps[i]` pixels between mask i and i+1 (negative
    gaps overlap; ink is the maximum)."""
    height = max(m.shape[0] for m in masks)
    xs = [0]
    for m, g in zip(masks, gaps):
        xs.append(xs[-1] + m.shape[1] + g)
    left = min(xs)
    width = max(x + m.shape[1] for x, m in zip(xs, masks)) - left
    out = np.zeros((height, width), dtype=np.float32)
    for x, m in zip(xs, masks):
        y = height - m.shape[0] - (height - m.shape[0]) // 2
        region = out[y:y + m.shape[0], x - left:x - left + m.shape[1]]
        np.maximum(region, m, out=region)
    return out


def handwritten_line(rng, digits, text, height, kind):
    masks = [digits.mask(rng, int(c), int(height * rng.uniform(0.9, 1.1))) for c in text]
    if kind == "close":
        gaps = [int(rng.integers(0, 3)) for _ in masks[1:]]
    elif kind == "touching":
        gaps = []
        for i in range(1, len(masks)):
            gaps.append(-(masks[i - 1].shape[1] + 0) * 0 - contact_offset(masks[i - 1], masks[i], int(rng.integers(0, 3))))
    else:
        gaps = [int(height * rng.uniform(0.15, 0.6)) for _ in masks[1:]]
    return compose(masks, gaps)


def printed_line(rng, face, text, height):
    glyphs = [D.glyph_mask(face, c, int(height * 1.4)) for c in text]
    scale = height / max(g.shape[0] for g in glyphs)
    glyphs = [D.resize_mask(g, max(1, g.shape[1] * scale), max(1, g.shape[0] * scale)) for g in glyphs]
    gaps = [max(2, int(height * rng.uniform(0.08, 0.3))) for _ in glyphs[1:]]
    # Printed digits sit on one baseline.
    hmax = max(g.shape[0] for g in glyphs)
    padded = []
    for g in glyphs:
        p = np.zeros((hmax, g.shape[1]), dtype=np.float32)
        p[hmax - g.shape[0]:] = g
        padded.append(p)
    return compose(padded, gaps)


def stack(lines, gap):
    width = max(m.shape[1] for m in lines)
    out = np.zeros((sum(m.shape[0] for m in lines) + gap * (len(lines) - 1), width), dtype=np.float32)
    y = 0
    for m in lines:
        out[y:y + m.shape[0], :m.shape[1]] = m
        y += m.shape[0] + gap
    return out


def fit(mask, max_h, max_w):
    s = min(1.0, max_h / mask.shape[0], max_w / mask.shape[1])
    return mask if s >= 1.0 else D.resize_mask(mask, mask.shape[1] * s, mask.shape[0] * s)


def make(kind, index, rng, digits, faces):
    texts = [number_text(rng)]
    if rng.random() < 0.15:
        texts.append(number_text(rng))
    tags = []
    if kind == "printed":
        face = faces[int(rng.integers(len(faces)))]
        height = int(rng.uniform(40, 110))
        lines = [printed_line(rng, face, t, height) for t in texts]
        tags.append(face.family.replace(" ", ""))
    else:
        # close/touching need digits big enough that a 0-2 px gap is a gap after scaling.
        height = int(rng.uniform(50, 120)) if kind != "photo" else int(rng.uniform(60, 150))
        lines = [handwritten_line(rng, digits, t, height, kind) for t in texts]
    ink = stack(lines, int(height * rng.uniform(0.5, 1.2)))

    if kind == "photo":
        W, H = pick(rng, PHOTO_SIZES, PHOTO_WEIGHTS)
        scale = max(W, H) / 1600
        ink = D.resize_mask(ink, ink.shape[1] * scale, ink.shape[0] * scale)
        sc = Scene(rng, W, H, ruled=pick(rng, [None, "ruled", "grid"], [0.5, 0.35, 0.15]))
        x0, y0, x1, y1 = sc.safe
        ink = fit(ink, y1 - y0, x1 - x0)
        x, y = sc.place(*ink.shape)
        ink_name = pick(rng, ["blue", "gel-blue", "black", "pencil"], [0.35, 0.2, 0.3, 0.15])
        sc.ink(ink, x, y, INKS[ink_name], opacity=rng.uniform(0.85, 1.0), style="pencil" if ink_name == "pencil" else "pen")
        im = sc.finish(shadow=pick(rng, [None, "band", "half"], [0.6, 0.3, 0.1]))
        tags += [ink_name, f"{W}x{H}"] + sc.tags
        ext = "jpg"
    elif kind == "inverted":
        if rng.random() < 0.6:
            W, H = pick(rng, [(1280, 960), (1600, 1200), (1024, 768)])
            sc = Scene(rng, W, H, board=pick(rng, ["green-board", "dark-green-board", "grey-board", "black-board"]))
            x0, y0, x1, y1 = sc.safe
            ink = fit(ink, y1 - y0, x1 - x0)
            x, y = sc.place(*ink.shape)
            colour = pick(rng, [(0.93, 0.93, 0.9), (0.95, 0.93, 0.75), (0.85, 0.9, 0.95)])
            sc.ink(ink, x, y, colour, opacity=rng.uniform(0.8, 0.95), style="chalk")
            im = sc.finish(shadow=None, blur=rng.uniform(0.3, 0.8), noise=rng.uniform(0.5, 1.5))
            tags += ["chalk"] + sc.tags
            ext = "jpg"
        else:
            im = plain(rng, ink, dark_on_light=False)
            tags.append("white-on-black")
            ext = "png"
    else:
        im = plain(rng, ink, dark_on_light=True)
        tags.append("scan")
        ext = "png"
    name = f"{'_'.join(texts)}-{index:04d}-{'-'.join(tags)}.{ext}"
    return im, name, ext


def plain(rng, ink, dark_on_light):
    """The ink on an even background with margins, a little noise, as a scan or a screenshot."""
    h, w = ink.shape
    m = [int(rng.uniform(0.1, 0.6) * h) + 4 for _ in range(4)]
    canvas = np.zeros((h + m[1] + m[3], w + m[0] + m[2]), dtype=np.float32)
    canvas[m[1]:m[1] + h, m[0]:m[0] + w] = ink
    if dark_on_light:
        bg, fg = np.array([0.97, 0.97, 0.95]), np.array(pick(rng, [(0.05, 0.05, 0.08), (0.1, 0.15, 0.5)]))
    else:
        bg, fg = np.array(pick(rng, [(0.02, 0.02, 0.02), (0.1, 0.1, 0.12)])), np.array([0.95, 0.95, 0.92])
    rgb = bg[None, None, :] * (1 - canvas[..., None]) + fg[None, None, :] * canvas[..., None]
    rgb = rgb * 255 + rng.normal(0, 1.5, rgb.shape)
    return Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100, help="pictures per kind")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "data", "mnist"))
    args = parser.parse_args()
    digits = Digits(args.data)
    faces = fontsets.faces(fontsets.CORPUS_GROUPS, styles="basic", quiet=True)
    faces = [f for f in faces if not f.italic] or faces
    for kind in args.kinds.split(","):
        folder = os.path.join(args.out, kind)
        os.makedirs(folder, exist_ok=True)
        for index in range(args.count):
            rng = D.rng_for(args.seed, STREAM, KINDS.index(kind) + 1, index)
            im, name, ext = make(kind, index, rng, digits, faces)
            path = os.path.join(folder, name)
            if ext == "jpg":
                im.save(path, quality=int(rng.integers(80, 95)))
            else:
                im.convert("L").save(path) if rng.random() < 0.5 else im.save(path)
        print(f"{kind}: {args.count} pictures in {folder}")


if __name__ == "__main__":
    main()
