#!/usr/bin/env python3
"""Make the "real pictures" TEST corpus: photos, scans and files of digits, and of things that
are not digits, for `digits classify` to read.

    python3 bench/realworld/make_corpus.py --out /tmp/digits-corpus [--seed 1] [--count-scale 1.0]

Made only from MNIST *test* digits (data/mnist/t10k-*) and the CORPUS fonts of fontsets.py
(never a training font). One folder per kind (photo, printed, resaved, inverted, nondigit);
each file is named <label>-<index>-<variant>.<ext>, the label 0-9 or x for "not a digit".
DIR/manifest.csv lists every file with its kind, label, variant, source and size.

The same seed, installed fonts and library versions give the same files.
"""

import argparse
import csv
import math
import os
import sys
import time

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drawing as D  # noqa: E402
import fontsets  # noqa: E402
from scene import INKS, PAPERS, Scene  # noqa: E402

STREAM = 0xC0  # the corpus's random stream; the training extras use another
KINDS = {"photo": 260, "printed": 250, "resaved": 250, "inverted": 250, "nondigit": 300}
KIND_ID = {k: i + 1 for i, k in enumerate(KINDS)}

SMALL_SIZES = [(640, 480), (800, 600), (1024, 768), (1280, 960), (1600, 1200), (2048, 1536)]
SMALL_WEIGHTS = [0.22, 0.2, 0.2, 0.16, 0.12, 0.1]
BIG_SIZES = [(4000, 3000), (4032, 3024), (3264, 2448)]
BIG_EVERY = 26  # one photo in 26 is big (10 of the 260)

# EXIF orientation: the transpose that makes the stored picture from the upright one (the
# inverse of what a viewer applies, see PIL.ImageOps.exif_transpose).
STORE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
ORIENTATIONS = [3, 6, 8, 3, 6, 8, 6, 2, 4, 5, 7]


# ---------------------------------------------------------------------------------------------
# Ink


def digit_ink(rng, img28, height, styles=("pen", "felt", "mnist"), weights=(0.55, 0.2, 0.25)):
    """An MNIST digit as ink about `height` pixels tall, and the pen's name.

    "mnist": its own strokes, bicubic ×6–×20 and a soft threshold so the edge is a stroke's
    edge, not a blur. "pen" and "felt": its skeleton redrawn with a round pen 4–7.5% (pen) or
    9–13% (felt tip) of the digit's height wide, the pressure varying a little.
    """
    style = pick(rng, list(styles), list(weights))
    if style == "mnist":
        u = int(np.clip(round(height / 20.0 * rng.uniform(0.6, 1.3)), 6, 20))
    else:
        u = 8
    big = Image.fromarray(img28.astype(np.float32) / 255.0, "F").resize((28 * u, 28 * u), Image.Resampling.BICUBIC)
    v = np.asarray(big, dtype=np.float32)
    if style == "mnist":
        t = rng.uniform(0.3, 0.6)
        w = rng.uniform(0.03, 0.1)
        m = D.smoothstep(t - w, t + w, v)
    else:
        m = D.smoothstep(0.4, 0.6, v)
        box = D.ink_bbox(m) or (0, 0, 1, 160)
        digit_h = box[3] - box[1]
        pen = digit_h * (rng.uniform(0.04, 0.075) if style == "pen" else rng.uniform(0.09, 0.13))
        m = D.redraw_with_pen(m, pen, rng, pressure=rng.uniform(0.05, 0.3))
    m = D.rotate_mask(D.crop_to_ink(m, pad=2), rng.uniform(-6, 6), rng.uniform(-0.1, 0.1))
    return sharpen_up(fit_height(m, height), m.shape[0], height), style


class Ink:
    """make_ink(height) for the presentations, remembering the pen that digit_ink chose."""

    def __init__(self, fn):
        self.fn, self.tag = fn, None

    def __call__(self, height):
        mask, self.tag = self.fn(height)
        return mask


def sharpen_up(mask, old_h, new_h):
    """After enlarging a mask a lot, make its edge crisp again (a smooth contour, ~2 px)."""
    f = new_h / float(max(old_h, 1))
    if f <= 1.5:
        return mask
    mask = D.blur(mask, 0.35 * f)  # round off the steps of the small mask
    w = min(0.2, 1.5 / f + 0.05)
    return D.smoothstep(0.5 - w, 0.5 + w, mask)


def font_ink(rng, face, ch, height, thick=0.0):
    m = D.glyph_mask(face, ch, min(1600, max(12, int(height / 0.7))))
    if thick:
        m = D.thicken(m, thick * m.shape[0])
    return fit_height(m, height)


def fit_height(mask, height):
    mask = D.crop_to_ink(mask, pad=1)
    h, w = mask.shape
    s = height / float(h)
    return D.resize_mask(mask, max(1, w * s), max(1, height))


def fit_box(mask, height, max_width):
    h, w = mask.shape
    s = min(height / float(h), max_width / float(w))
    return D.resize_mask(mask, max(1, w * s), max(1, h * s))


# ---------------------------------------------------------------------------------------------
# Presentations: an ink mask becomes a picture


def pick(rng, options, weights=None):
    if weights is not None:
        weights = np.asarray(weights, dtype=float) / np.sum(weights)
    return options[int(rng.choice(len(options), p=weights))]


def frame_size(rng, big=False, max_side=2048):
    sizes = [(w, h) for w, h in SMALL_SIZES if w <= max_side]
    W, H = pick(rng, BIG_SIZES) if big else pick(rng, sizes, SMALL_WEIGHTS[:len(sizes)])
    if rng.random() < 0.4:
        W, H = H, W
    return W, H


def photo(rng, make_ink, *, big=False, frac=(0.1, 0.7), inks=None, tags=None, max_side=2048):
    """A phone photo of a page with the ink on it. make_ink(height) gives the mask."""
    W, H = frame_size(rng, big, max_side)
    ruled = pick(rng, [None, "ruled", "grid"], [0.65, 0.25, 0.1])
    edge = None
    if rng.random() < 0.3:
        sides = ["left", "right", "top", "bottom"]
        n = 1 if rng.random() < 0.6 else 2
        edge = [sides[i] for i in sorted(rng.choice(4, n, replace=False))]
    sc = Scene(rng, W, H, ruled=ruled, edge=edge)
    ink_name = pick(rng, inks or list(INKS), None if inks else [0.3, 0.15, 0.25, 0.12, 0.18])
    lo, hi = frac
    height = int(H * math.exp(rng.uniform(math.log(lo), math.log(hi))))
    m = make_ink(height)
    sx0, sy0, sx1, sy1 = sc.safe
    if m.shape[1] > (sx1 - sx0) or m.shape[0] > (sy1 - sy0):
        m = fit_box(m, sy1 - sy0, sx1 - sx0)
    x, y = sc.place(*m.shape)
    style = "pencil" if ink_name == "pencil" else ("print" if ink_name == "black" and tags and "print" in tags else "pen")
    sc.ink(m, x, y, INKS[ink_name], opacity=rng.uniform(0.8, 1.0), style=style)
    shadow = pick(rng, [None, "band", "half"], [0.5, 0.35, 0.15])
    im = sc.finish(shadow=shadow)
    tg = [ink_name] + sc.tags
    return im, tg, (m.shape[1], m.shape[0])


def scan(rng, make_ink, lossless=False):
    """A flatbed scan: white, even light, a slight tilt, little noise (none when lossless,
    which is saved as PNG)."""
    W, H = pick(rng, [(850, 1100), (1240, 1754), (600, 800), (1000, 1000), (1275, 1650)])
    sc = Scene(rng, W, H, paper=pick(rng, ["bright", "white", "cream"]))
    height = int(H * rng.uniform(0.08, 0.45))
    m = make_ink(height)
    m = D.rotate_mask(m, rng.uniform(-3, 3))
    if m.shape[1] > 0.9 * W:
        m = fit_box(m, 0.9 * H, 0.9 * W)
    x, y = sc.place(*m.shape)
    sc.ink(m, x, y, INKS[pick(rng, ["black", "black", "blue"])], opacity=rng.uniform(0.85, 1.0), style="print")
    noise = rng.uniform(0.0, 1.5)
    im = sc.finish(lighting=rng.random() < 0.3, shadow=None, blur=rng.uniform(0.3, 0.8), noise=0.0 if lossless else noise,
                   exposure=rng.uniform(0.98, 1.05))
    return im, ["scan"] + sc.tags


def clean(rng, mask, *, dark_on_light=True):
    """A flat digital picture: the ink on a plain background with margins."""
    h, w = mask.shape
    m = [int(rng.uniform(0.05, 1.2) * max(h, w * 0.5)) + 1 for _ in range(4)]
    canvas = np.zeros((h + m[1] + m[3], w + m[0] + m[2]), dtype=np.float32)
    canvas[m[1]:m[1] + h, m[0]:m[0] + w] = mask
    if dark_on_light:
        bg = np.array(pick(rng, [(1, 1, 1), (0.97, 0.97, 0.97), (0.93, 0.93, 0.9), (1, 0.98, 0.93)]), np.float32)
        fg = np.array(pick(rng, [(0, 0, 0), (0.1, 0.1, 0.1), (0.25, 0.25, 0.25), (0.1, 0.15, 0.5)]), np.float32)
    else:
        bg = np.array(pick(rng, [(0, 0, 0), (0.05, 0.05, 0.05), (0.1, 0.1, 0.12), (0.0, 0.1, 0.2)]), np.float32)
        fg = np.array(pick(rng, [(1, 1, 1), (0.95, 0.95, 0.95), (0.85, 0.85, 0.8), (1, 0.95, 0.6)]), np.float32)
    rgb = bg[None, None, :] * (1 - canvas[..., None]) + fg[None, None, :] * canvas[..., None]
    im = Image.fromarray(np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8), "RGB")
    if np.allclose(bg, bg[0]) and np.allclose(fg, fg[0]) and rng.random() < 0.6:
        im = im.convert("L")
    return im, ["clean" if dark_on_light else "light_on_dark"]


def chalkboard(rng, make_ink):
    W, H = pick(rng, SMALL_SIZES[:4], SMALL_WEIGHTS[:4])
    if rng.random() < 0.3:
        W, H = H, W
    sc = Scene(rng, W, H, board=pick(rng, ["green-board", "dark-green-board", "grey-board", "black-board"]))
    height = int(H * rng.uniform(0.15, 0.65))
    m = make_ink(height)
    if m.shape[1] > 0.9 * W:
        m = fit_box(m, 0.9 * H, 0.9 * W)
    x, y = sc.place(*m.shape)
    colour = pick(rng, [(0.93, 0.93, 0.9), (0.95, 0.93, 0.75), (0.85, 0.9, 0.95), (0.95, 0.85, 0.88)], [0.6, 0.2, 0.1, 0.1])
    sc.ink(m, x, y, colour, opacity=rng.uniform(0.7, 0.95), style="chalk")
    im = sc.finish(shadow=pick(rng, [None, "band"], [0.8, 0.2]), exposure=rng.uniform(0.9, 1.15))
    return im, ["chalk"] + sc.tags


# ---------------------------------------------------------------------------------------------
# Writing


class Writer:
    def __init__(self, out):
        self.out = out
        self.rows = []

    def save(self, kind, label, index, variant, im, fmt, quality=None, orientation=None, source="", font=""):
        variant = "_".join(str(v) for v in variant if v).replace("-", "").replace(" ", "")
        ext = {"png": "png", "jpeg": "jpg"}[fmt]
        name = f"{label}-{index:04d}-{variant}.{ext}"
        path = os.path.join(self.out, kind, name)
        upright_size = im.size
        stored = im
        kwargs = {}
        if orientation:
            stored = im.transpose(STORE_FOR_ORIENTATION[orientation])
            exif = Image.Exif()
            exif[0x0112] = orientation
            kwargs["exif"] = exif.tobytes()
        if fmt == "jpeg":
            stored.save(path, "JPEG", quality=int(quality), **kwargs)
        else:
            stored.save(path, "PNG", optimize=True, **kwargs)
        if orientation:
            verify_orientation(path, im, orientation)
        self.rows.append({"kind": kind, "file": f"{kind}/{name}", "label": label, "variant": variant,
                          "format": fmt, "quality": quality or "", "width": upright_size[0],
                          "height": upright_size[1], "exif_orientation": orientation or "",
                          "source": source, "font": font, "bytes": os.path.getsize(path)})

    def save_manifest(self, kinds):
        """DIR/manifest.csv: this run's rows, and the old rows of kinds not made again."""
        path = os.path.join(self.out, "manifest.csv")
        rows = list(self.rows)
        if os.path.exists(path):
            with open(path, newline="") as f:
                rows = [r for r in csv.DictReader(f) if r["kind"] not in kinds] + rows
        rows.sort(key=lambda r: (list(KINDS).index(r["kind"]) if r["kind"] in KINDS else 99, r["file"]))
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(self.rows[0]))
            w.writeheader()
            w.writerows(rows)
        return rows


def verify_orientation(path, upright, orientation):
    """Read the file back: the tag is there and applying it gives the upright picture."""
    with Image.open(path) as back:
        tag = back.getexif().get(0x0112)
        shown = ImageOps.exif_transpose(back)
        if tag != orientation or shown.size != upright.size:
            sys.exit(f"error: {path}: EXIF orientation {tag}, size {shown.size}; wanted {orientation}, {upright.size}")
        a = np.asarray(shown.convert("L").reduce(4), dtype=np.float32)
        b = np.asarray(upright.convert("L").reduce(4), dtype=np.float32)
        err = float(np.abs(a - b).mean())
        if err > 4.0:
            sys.exit(f"error: {path}: after applying EXIF orientation {orientation} it differs from upright by {err:.1f}")


def jpeg_quality(rng, big=False):
    return int(rng.integers(60, 86) if big else rng.integers(60, 96))


# ---------------------------------------------------------------------------------------------
# The kinds


class Corpus:
    def __init__(self, args):
        self.seed = args.seed
        self.scale = args.count_scale
        self.w = Writer(args.out)
        images = D.read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
        labels = D.read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
        self.test_images, self.test_labels = images, labels
        self.by_label = [np.nonzero(labels == d)[0] for d in range(10)]
        self.faces = fontsets.faces(fontsets.CORPUS_GROUPS, styles="basic")
        if not self.faces:
            sys.exit("error: no corpus fonts are installed (see bench/realworld/README.md)")

    def count(self, kind):
        return max(10, int(round(KINDS[kind] * self.scale)))

    def rng(self, kind, index):
        return D.rng_for(self.seed, STREAM, KIND_ID[kind], index)

    def mnist(self, rng, label):
        idx = int(rng.choice(self.by_label[label]))
        return idx, self.test_images[idx]

    def face(self, rng, ch=None):
        for _ in range(50):
            f = self.faces[int(rng.integers(len(self.faces)))]
            if ch is None or f.has(ch):
                return f
        return self.faces[0]

    # -- photo: handwritten digits photographed on paper -----------------------------------
    def photo(self):
        n = self.count("photo")
        for i in range(n):
            rng = self.rng("photo", i)
            label = i % 10
            idx, img = self.mnist(rng, label)
            big = i % BIG_EVERY == BIG_EVERY // 2
            ink = Ink(lambda h: digit_ink(rng, img, h))
            im, tags, _ = photo(rng, ink, big=big, frac=(0.1, 0.7))
            tags.insert(0, ink.tag)
            orientation = int(pick(rng, ORIENTATIONS)) if rng.random() < 0.15 else None
            if orientation:
                tags.append(f"exif{orientation}")
            tags.insert(0, f"{im.size[0]}x{im.size[1]}")
            q = jpeg_quality(rng, big)
            self.w.save("photo", label, i, tags + [f"q{q}"], im, "jpeg", q, orientation, source=f"t10k#{idx}")

    # -- printed: digits in corpus fonts ---------------------------------------------------
    def printed(self):
        n = self.count("printed")
        for i in range(n):
            rng = self.rng("printed", i)
            label = i % 10
            face = self.face(rng, str(label))
            mode = pick(rng, ["clean", "photo", "scan"], [0.4, 0.35, 0.25])
            make = lambda h: font_ink(rng, face, str(label), h, thick=rng.choice([0, 0, 0, 0.02]))  # noqa: E731
            if mode == "clean":
                im, tags = clean(rng, make(int(math.exp(rng.uniform(math.log(16), math.log(400))))))
                fmt = "png" if rng.random() < 0.7 else "jpeg"
            elif mode == "photo":
                im, tags, _ = photo(rng, make, frac=(0.1, 0.6), inks=["black", "black", "blue", "red"], tags=["print"],
                                    max_side=1600)
                fmt = "jpeg"
            else:
                fmt = "jpeg" if rng.random() < 0.8 else "png"
                im, tags = scan(rng, make, lossless=fmt == "png")
                if fmt == "png":
                    im = im.convert("L")
            q = jpeg_quality(rng) if fmt == "jpeg" else None
            self.w.save("printed", label, i, [face.family, face.style] + tags, im, fmt, q, font=face.name)

    # -- resaved: MNIST test digits saved as users' files ----------------------------------
    RESAVED = ["png28", "inv28", "x4nearest", "x10bicubic", "jpg90", "rgb", "greyalpha", "palette", "rgba", "grey16",
               "bilevel"]

    def resaved(self):
        n = self.count("resaved")
        for i in range(n):
            rng = self.rng("resaved", i)
            label = i % 10
            idx, img = self.mnist(rng, label)
            v = self.RESAVED[i % len(self.RESAVED)]
            inverted = v == "inv28" or (v not in ("png28",) and rng.random() < 0.5)
            pix = 255 - img if inverted else img
            base = Image.fromarray(pix, "L")
            fmt, q, tags = "png", None, [v, "inv" if inverted else "mnist"]
            if v in ("png28", "inv28"):
                im = base
            elif v == "x4nearest":
                im = base.resize((112, 112), Image.Resampling.NEAREST)
            elif v == "x10bicubic":
                im = base.resize((280, 280), Image.Resampling.BICUBIC)
            elif v == "jpg90":
                im = base if rng.random() < 0.5 else base.resize((112, 112), Image.Resampling.BICUBIC)
                fmt, q = "jpeg", 90
                tags.append(f"{im.size[0]}px")
            elif v == "rgb":
                im = base.convert("RGB")
                if rng.random() < 0.5:
                    im = im.resize((140, 140), Image.Resampling.BILINEAR)
            elif v == "greyalpha":
                # a drawing app's export: ink black, the rest transparent (alpha = ink)
                a = Image.fromarray(img, "L")
                if rng.random() < 0.5:
                    a = a.resize((112, 112), Image.Resampling.BICUBIC)
                im = Image.merge("LA", (Image.new("L", a.size, 0), a))
                tags = [v, "transparent"]
            elif v == "palette":
                im = base.convert("RGB").quantize(colors=int(pick(rng, [4, 16, 256])), dither=Image.Dither.NONE)
            elif v == "rgba":
                im = base.convert("RGBA")
                if rng.random() < 0.5:
                    im = im.resize((84, 84), Image.Resampling.BICUBIC)
            elif v == "grey16":
                arr = (pix.astype(np.uint16) * 257)
                im = Image.fromarray(arr)  # mode I;16
            else:  # bilevel: 1 bit a pixel
                im = base.point(lambda p: 255 if p >= 128 else 0).convert("1")
                if rng.random() < 0.5:
                    im = im.resize((56, 56), Image.Resampling.NEAREST)
            self.w.save("resaved", label, i, tags, im, fmt, q, source=f"t10k#{idx}")

    # -- inverted: light on dark -----------------------------------------------------------
    def inverted(self):
        n = self.count("inverted")
        for i in range(n):
            rng = self.rng("inverted", i)
            label = i % 10
            mode = pick(rng, ["chalk", "whiteonblack", "darkmode"], [0.45, 0.35, 0.2])
            use_font = rng.random() < {"chalk": 0.4, "whiteonblack": 0.5, "darkmode": 0.7}[mode]
            if use_font:
                face = self.face(rng, str(label))
                make = lambda h: font_ink(rng, face, str(label), h)  # noqa: E731
                src, font, who = "", face.name, [face.family]
            else:
                idx, img = self.mnist(rng, label)
                make = Ink(lambda h: digit_ink(rng, img, h, ("felt", "mnist", "pen"), (0.45, 0.4, 0.15)))
                src, font, who = f"t10k#{idx}", "", ["hand"]
            if mode == "chalk":
                im, tags = chalkboard(rng, make)
                fmt = "jpeg"
            elif mode == "whiteonblack":
                im, tags = clean(rng, make(int(math.exp(rng.uniform(math.log(20), math.log(500))))), dark_on_light=False)
                fmt = "png" if rng.random() < 0.6 else "jpeg"
            else:
                m = make(int(rng.uniform(20, 120)))
                h, w = m.shape
                W, H = w + int(rng.uniform(0.3, 3) * w) + 8, h + int(rng.uniform(0.3, 1.5) * h) + 8
                canvas = np.zeros((H, W), np.float32)
                x, y = int(rng.uniform(4, W - w - 3)), int(rng.uniform(4, H - h - 3))
                canvas[y:y + h, x:x + w] = m
                bg, fg = rng.uniform(0.1, 0.2), rng.uniform(0.75, 0.95)
                arr = bg + (fg - bg) * canvas
                im = Image.fromarray(np.clip(arr * 255 + 0.5, 0, 255).astype(np.uint8), "L").convert("RGB")
                tags, fmt = ["darkmode"], "png"
            if not use_font:
                who = ["hand", make.tag]
            q = jpeg_quality(rng) if fmt == "jpeg" else None
            self.w.save("inverted", label, i, [mode] + who + tags[1:], im, fmt, q, source=src, font=font)

    # -- nondigit: letters, blanks, scribbles, shapes --------------------------------------
    NONDIGIT_MIX = [("font", 80), ("hand", 50), ("blank", 40), ("scribble", 50), ("shape", 60), ("blob", 20)]
    BLANKS = ["plain", "tinted", "noisy", "gradient", "shadow", "ruled", "grid", "board", "edge"]

    def nondigit(self):
        n = self.count("nondigit")
        plan = []
        for cat, k in self.NONDIGIT_MIX:
            plan += [cat] * int(round(k * n / KINDS["nondigit"]))
        plan = (plan + ["shape"] * n)[:n]
        order = D.rng_for(self.seed, STREAM, 99).permutation(n)
        plan = [plan[j] for j in order]
        blanks = 0
        for i, cat in enumerate(plan):
            rng = self.rng("nondigit", i)
            font, tags0 = "", [cat]
            if cat == "blank":
                self.blank(rng, i, self.BLANKS[blanks % len(self.BLANKS)])
                blanks += 1
                continue
            if cat == "font":
                ch = fontsets.NONDIGIT_CHARS[int(rng.integers(len(fontsets.NONDIGIT_CHARS)))]
                face = self.face(rng, ch)
                make = lambda h: font_ink(rng, face, ch, h)  # noqa: E731
                font = face.name
                tags0 = ["font", char_tag(ch), face.family]
            else:
                if cat == "hand":
                    ch = D.HANDDRAWN_CHARS[int(rng.integers(len(D.HANDDRAWN_CHARS)))]
                    dr = D.handdrawn(ch, rng)
                    tags0 = ["hand", char_tag(ch)]
                elif cat == "scribble":
                    sub, dr = D.scribble(rng)
                    tags0 = ["scribble", sub]
                elif cat == "shape":
                    sub, dr = D.shape(rng)
                    tags0 = ["shape", sub]
                else:
                    dr = D.blobs(rng)
                    tags0 = ["blob"]
                make = lambda h, dr=dr: D.rasterize(dr, h, rng, pressure=rng.uniform(0, 0.3))  # noqa: E731
            mode = pick(rng, ["photo", "clean", "scan", "chalk", "whiteonblack"], [0.4, 0.3, 0.15, 0.07, 0.08])
            if mode == "photo":
                im, tags, _ = photo(rng, make, frac=(0.12, 0.6), max_side=1600)
                fmt = "jpeg"
            elif mode == "clean":
                im, tags = clean(rng, make(int(math.exp(rng.uniform(math.log(20), math.log(400))))))
                fmt = "png" if rng.random() < 0.6 else "jpeg"
            elif mode == "scan":
                im, tags = scan(rng, make)
                fmt = "jpeg"
            elif mode == "chalk":
                im, tags = chalkboard(rng, make)
                fmt = "jpeg"
            else:
                im, tags = clean(rng, make(int(math.exp(rng.uniform(math.log(20), math.log(400))))), dark_on_light=False)
                fmt = "png"
            q = jpeg_quality(rng) if fmt == "jpeg" else None
            self.w.save("nondigit", "x", i, tags0 + [mode], im, fmt, q, font=font)

    def blank(self, rng, i, sub):
        fmt = "jpeg"
        if sub in ("plain", "tinted"):
            W, H = pick(rng, [(28, 28), (200, 200), (640, 480), (1024, 768), (300, 400)])
            colour = (255, 255, 255) if sub == "plain" else tuple(int(255 * c) for c in PAPERS[pick(rng, list(PAPERS))])
            im = Image.new("RGB", (W, H), colour)
            fmt = "png"
        elif sub == "noisy":
            W, H = pick(rng, SMALL_SIZES[:4])
            sc = Scene(rng, W, H)
            im = sc.finish(lighting=False, noise=rng.uniform(3, 8))
        else:
            W, H = frame_size(rng, max_side=1280)
            sc = Scene(rng, W, H, ruled={"ruled": "ruled", "grid": "grid"}.get(sub),
                       board=pick(rng, ["green-board", "black-board"]) if sub == "board" else None,
                       edge=[pick(rng, ["left", "right", "top", "bottom"])] if sub == "edge" else None)
            im = sc.finish(shadow={"shadow": "band", "gradient": None}.get(sub, pick(rng, [None, "band", "half"])))
        q = jpeg_quality(rng) if fmt == "jpeg" else None
        self.w.save("nondigit", "x", i, ["blank", sub, f"{im.size[0]}x{im.size[1]}"], im, fmt, q)


CHAR_NAMES = {"#": "hash", "&": "amp", "@": "at", "*": "star", "+": "plus"}


def char_tag(ch):
    if ch in CHAR_NAMES:
        return CHAR_NAMES[ch]
    return ("upper" if ch.isupper() else "lower") + ch


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the folder to write (one subfolder a kind)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count-scale", type=float, default=1.0, help="scale every kind's count (at least 10 each)")
    ap.add_argument("--data", default=os.path.normpath(os.path.join(here, "..", "..", "data", "mnist")),
                    help="the folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds to make (default: all)")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in KINDS:
            ap.error(f"unknown kind {k!r}; kinds: {', '.join(KINDS)}")
    corpus = Corpus(args)
    for k in kinds:
        os.makedirs(os.path.join(args.out, k), exist_ok=True)
        for old in os.listdir(os.path.join(args.out, k)):  # a fresh kind each run
            if old.lower().endswith((".png", ".jpg", ".jpeg")):
                os.remove(os.path.join(args.out, k, old))
    for k in kinds:
        t = time.time()
        getattr(corpus, k)()
        rows = [r for r in corpus.w.rows if r["kind"] == k]
        size = sum(r["bytes"] for r in rows)
        print(f"{k:9s} {len(rows):4d} files {size / 1e6:7.1f} MB  {time.time() - t:6.1f} s", flush=True)
    rows = corpus.w.save_manifest(kinds)
    total = sum(int(r["bytes"]) for r in rows)
    print(f"total     {len(rows):4d} files {total / 1e6:7.1f} MB in {args.out} (see manifest.csv)")


if __name__ == "__main__":
    main()
