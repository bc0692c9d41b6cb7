"""Shared drawing code for make_corpus.py and make_training_extras.py.

Everything here draws INK MASKS: float32 arrays in [0, 1], 1 where there is ink, in image
coordinates (x right, y down). Procedural pictures (hand-drawn letters, scribbles, shapes)
are first described as a `Drawing` in a unit box and then rasterised at any size, with
anti-aliasing (supersampled, then area-averaged down).

Randomness always comes from a numpy Generator passed in; the scripts make one per picture
from (seed, stream, kind, index), so the corpus and the training data draw from different
streams and a picture does not depend on how many came before it.
"""

import gzip
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# ---------------------------------------------------------------------------------------------
# Random streams and files


def rng_for(seed, stream, *keys):
    """A Generator for one picture: seed, then the script's stream, then kind and index."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), int(stream), *map(int, keys)])))


def read_idx(path):
    """An IDX file (gzipped or not) as a numpy array: images [n, rows, cols] or labels [n]."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx_gz(path, array, level=9):
    """An uint8 array as gzipped IDX (magic 2051 for [n, rows, cols], 2049 for [n])."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = (0x0800 | array.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    # mtime=0: the same data gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0, filename="") as f:
        f.write(header)
        f.write(array.tobytes())


# ---------------------------------------------------------------------------------------------
# Mask helpers


def to_l(mask):
    return Image.fromarray(np.clip(np.rint(mask * 255.0), 0, 255).astype(np.uint8), "L")


def from_l(im):
    return np.asarray(im.convert("L"), dtype=np.float32) / 255.0


def blur(mask, sigma):
    """Gaussian blur of a mask (through 8-bit; masks need no more)."""
    if sigma <= 0.05:
        return mask
    return from_l(to_l(mask).filter(ImageFilter.GaussianBlur(sigma)))


def resize_mask(mask, width, height):
    """Resize a mask to width × height: area-averaging down, bicubic up."""
    width, height = max(1, int(round(width))), max(1, int(round(height)))
    im = Image.fromarray(mask.astype(np.float32), "F")
    shrinking = width < mask.shape[1] and height < mask.shape[0]
    out = im.resize((width, height), Image.Resampling.BOX if shrinking else Image.Resampling.BICUBIC)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, 1.0)


def ink_bbox(mask, threshold=0.08):
    """(x0, y0, x1, y1) of ink above threshold, end-exclusive; None if there is none."""
    ys, xs = np.nonzero(mask > threshold)
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def crop_to_ink(mask, pad=0, threshold=0.08):
    box = ink_bbox(mask, threshold)
    if box is None:
        return mask
    x0, y0, x1, y1 = box
    h, w = mask.shape
    return mask[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)]


def smoothstep(lo, hi, x):
    t = np.clip((x - lo) / max(hi - lo, 1e-6), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def rotate_mask(mask, degrees, shear=0.0):
    """Rotate (and shear horizontally) a mask about its centre, growing the canvas to fit."""
    if abs(degrees) < 0.01 and abs(shear) < 0.001:
        return mask
    h, w = mask.shape
    pad = int(math.ceil(0.5 * max(h, w) * (abs(math.sin(math.radians(degrees))) + abs(shear)) + 2))
    big = np.pad(mask, pad)
    H, W = big.shape
    a = math.radians(degrees)
    ca, sa = math.cos(a), math.sin(a)
    # output (x, y) -> input: inverse of (shear then rotate) about the centre
    cx, cy = W / 2.0, H / 2.0
    # forward M = R @ S, S = [[1, shear], [0, 1]]; inverse = S^-1 @ R^-1
    r_inv = np.array([[ca, sa], [-sa, ca]])
    s_inv = np.array([[1.0, -shear], [0.0, 1.0]])
    m = s_inv @ r_inv
    off = np.array([cx, cy]) - m @ np.array([cx, cy])
    im = Image.fromarray(big.astype(np.float32), "F")
    out = im.transform((W, H), Image.Transform.AFFINE, (m[0, 0], m[0, 1], off[0], m[1, 0], m[1, 1], off[1]),
                       resample=Image.Resampling.BICUBIC)
    return crop_to_ink(np.clip(np.asarray(out, dtype=np.float32), 0, 1), pad=2, threshold=0.02)


def low_freq_noise(rng, height, width, cells, amplitude=1.0):
    """Smooth noise: a random grid of about `cells` cells along the longer side, bicubic up."""
    cells = max(2, int(cells))
    gh = max(2, int(round(cells * height / max(height, width))) + 2)
    gw = max(2, int(round(cells * width / max(height, width))) + 2)
    grid = rng.standard_normal((gh, gw)).astype(np.float32)
    im = Image.fromarray(grid, "F").resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(im, dtype=np.float32) * amplitude


# ---------------------------------------------------------------------------------------------
# Font glyphs


def glyph_mask(face, ch, px, stroke=0):
    """The glyph `ch` of a fontsets.Face rendered at font size px, cropped to its ink."""
    font = face.font(px)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    x0, y0, x1, y1 = probe.textbbox((0, 0), ch, font=font, stroke_width=stroke)
    pad = 4 + stroke
    im = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad))
    ImageDraw.Draw(im).text((pad - x0, pad - y0), ch, font=font, fill=255, stroke_width=stroke, stroke_fill=255)
    return crop_to_ink(from_l(im), pad=1, threshold=0.02)


def thicken(mask, pixels):
    """Grow (pixels > 0) or shrink (pixels < 0) the ink by about |pixels| (max/min filter)."""
    n = int(round(abs(pixels)))
    if n == 0:
        return mask
    size = 2 * n + 1
    im = to_l(mask)
    im = im.filter(ImageFilter.MaxFilter(size) if pixels > 0 else ImageFilter.MinFilter(size))
    return from_l(im)


# ---------------------------------------------------------------------------------------------
# Procedural drawings: a list of ("stroke", points) and ("fill", polygon) in a unit box


def catmull_rom(points, closed=False, samples=12):
    """A smooth curve through the points (centripetal-ish uniform Catmull-Rom)."""
    p = np.asarray(points, dtype=np.float64)
    if len(p) < 3:
        return p
    if closed:
        p = np.vstack([p[-1], p, p[0], p[1]])
    else:
        p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = []
    t = np.linspace(0, 1, samples, endpoint=False)[:, None]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        seg = 0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                     + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3)
        out.append(seg)
    out.append(p[-2][None, :])
    return np.vstack(out)


def resample(poly, spacing):
    """Points along a polyline every `spacing` (at least the two ends)."""
    poly = np.asarray(poly, dtype=np.float64)
    if len(poly) < 2:
        return poly
    seg = np.sqrt(((poly[1:] - poly[:-1]) ** 2).sum(axis=1))
    dist = np.concatenate([[0.0], np.cumsum(seg)])
    total = dist[-1]
    if total <= 0:
        return poly[:1]
    n = max(2, int(math.ceil(total / spacing)) + 1)
    s = np.linspace(0, total, n)
    return np.stack([np.interp(s, dist, poly[:, 0]), np.interp(s, dist, poly[:, 1])], axis=1)


def arc(cx, cy, rx, ry, a0, a1, n=16):
    """Points on an elliptic arc, angles in degrees (0 = right, 90 = down)."""
    a = np.radians(np.linspace(a0, a1, n))
    return np.stack([cx + rx * np.cos(a), cy + ry * np.sin(a)], axis=1)


def seg(*pts):
    return np.array(pts, dtype=np.float64)


# Skeletons of the hand-drawn non-digit characters: (width/height, strokes in a unit box).
# Lower-case letters have their own proportions; the normalisation crops to the ink anyway.
SKELETONS = {
    "A": (0.85, [seg((0, 1), (0.5, 0), (1, 1)), seg((0.22, 0.62), (0.78, 0.62))]),
    "E": (0.7, [seg((1, 0), (0, 0), (0, 1), (1, 1)), seg((0, 0.5), (0.8, 0.5))]),
    "F": (0.65, [seg((1, 0), (0, 0), (0, 1)), seg((0, 0.48), (0.8, 0.48))]),
    "H": (0.8, [seg((0, 0), (0, 1)), seg((1, 0), (1, 1)), seg((0, 0.5), (1, 0.5))]),
    "K": (0.75, [seg((0, 0), (0, 1)), seg((0.95, 0), (0, 0.62)), seg((0.3, 0.42), (1, 1))]),
    "M": (0.95, [seg((0, 1), (0.05, 0), (0.5, 0.65), (0.95, 0), (1, 1))]),
    "N": (0.8, [seg((0, 1), (0, 0), (1, 1), (1, 0))]),
    "R": (0.75, [seg((0, 1), (0, 0)),
                 np.vstack([seg((0, 0), (0.55, 0)), arc(0.55, 0.25, 0.4, 0.25, -90, 90, 14), seg((0.55, 0.5), (0, 0.5))]),
                 seg((0.4, 0.5), (1, 1))]),
    "V": (0.85, [seg((0, 0), (0.5, 1), (1, 0))]),
    "W": (1.2, [seg((0, 0), (0.25, 1), (0.5, 0.25), (0.75, 1), (1, 0))]),
    "X": (0.85, [seg((0, 0), (1, 1)), seg((1, 0), (0, 1))]),
    "Y": (0.85, [seg((0, 0), (0.5, 0.5), (1, 0)), seg((0.5, 0.5), (0.5, 1))]),
    "k": (0.65, [seg((0, 0), (0, 1)), seg((0.85, 0.38), (0, 0.78)), seg((0.32, 0.62), (0.95, 1))]),
    "m": (1.35, [seg((0, 0.02), (0, 1)),
                 np.vstack([arc(0.25, 0.3, 0.25, 0.28, 180, 360, 10), seg((0.5, 0.3), (0.5, 1))]),
                 np.vstack([arc(0.75, 0.3, 0.25, 0.28, 180, 360, 10), seg((1, 0.3), (1, 1))])]),
    "n": (0.85, [seg((0, 0.02), (0, 1)),
                 np.vstack([arc(0.5, 0.35, 0.5, 0.33, 180, 360, 12), seg((1, 0.35), (1, 1))])]),
    "w": (1.3, [seg((0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0))]),
    "x": (1.0, [seg((0, 0), (1, 1)), seg((1, 0), (0, 1))]),
    "#": (0.9, [seg((0.35, 0), (0.2, 1)), seg((0.8, 0), (0.65, 1)), seg((0, 0.32), (1, 0.32)), seg((0, 0.68), (1, 0.68))]),
    "*": (1.0, [seg((0.5, 0), (0.5, 1)), seg((0.07, 0.25), (0.93, 0.75)), seg((0.93, 0.25), (0.07, 0.75))]),
    "+": (1.0, [seg((0.5, 0), (0.5, 1)), seg((0, 0.5), (1, 0.5))]),
}
HANDDRAWN_CHARS = "".join(SKELETONS)


class Drawing:
    """Strokes and filled polygons in a unit-ish box; `width` is the pen relative to the height."""

    def __init__(self, width=0.08):
        self.items = []
        self.width = width

    def stroke(self, pts, closed=False):
        pts = np.asarray(pts, dtype=np.float64)
        if closed:
            pts = np.vstack([pts, pts[:1]])
        self.items.append(("stroke", pts))
        return self

    def fill(self, pts):
        self.items.append(("fill", np.asarray(pts, dtype=np.float64)))
        return self

    def points(self):
        return np.vstack([p for _, p in self.items])

    def transformed(self, m, offset=(0.0, 0.0)):
        d = Drawing(self.width)
        d.items = [(k, p @ np.asarray(m).T + offset) for k, p in self.items]
        return d


def affine(rng, rotate=10.0, shear=0.2, stretch=0.15):
    """A random 2×2 matrix: rotation ±rotate degrees, shear ±shear, aspect ×(1±stretch)."""
    a = math.radians(rng.uniform(-rotate, rotate))
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    s = np.array([[1.0, rng.uniform(-shear, shear)], [0.0, 1.0]])
    k = math.exp(rng.uniform(-stretch, stretch))
    return r @ s @ np.diag([k, 1.0 / k])


def jitter(drawing, rng, amount, wobble=True):
    """Hand-drawn look: move each stroke a little, wobble its points, smooth it again."""
    out = Drawing(drawing.width)
    for kind, pts in drawing.items:
        p = pts + rng.normal(0, amount * 0.6, size=2)  # the whole stroke misses a little
        if wobble and kind == "stroke":
            p = resample(p, 0.3)
            p = p + rng.normal(0, amount * 0.5, size=p.shape)
            p = catmull_rom(p, samples=10)
        elif kind == "fill":
            p = p + rng.normal(0, amount * 0.5, size=p.shape)
        out.items.append((kind, p))
    return out


def rasterize(drawing, height, rng=None, pressure=0.0, ss=3, margin=None):
    """The drawing as a mask whose ink is about `height` pixels tall (pen included)."""
    pts = drawing.points()
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span_y = max(hi[1] - lo[1], 1e-3)
    span_x = max(hi[0] - lo[0], 1e-3)
    pen = drawing.width * max(span_y, 0.5 * span_x)  # pen in drawing units
    scale = height / (span_y + pen)
    if span_x > 3 * span_y:  # a flat drawing: keep its size sensible
        scale = height / (max(span_x, span_y) * 0.5 + pen)
    pen_px = max(1.0, pen * scale)
    margin = int(math.ceil(pen_px + 3)) if margin is None else margin
    W = int(math.ceil(span_x * scale + 2 * margin))
    H = int(math.ceil(span_y * scale + 2 * margin))
    im = Image.new("L", (W * ss, H * ss))
    d = ImageDraw.Draw(im)

    def tr(p):
        return (p - lo) * scale * ss + margin * ss

    for kind, p in drawing.items:
        q = tr(p)
        if kind == "fill":
            d.polygon([tuple(v) for v in q], fill=255)
            continue
        q = resample(q, max(0.7, pen_px * ss / 5))
        n = len(q)
        if rng is not None and pressure > 0 and n > 2:
            t = np.linspace(0, 1, n)
            ph = rng.uniform(0, 2 * math.pi, 2)
            f = rng.uniform(0.5, 2.0, 2)
            r = 1 + pressure * (0.6 * np.sin(2 * math.pi * f[0] * t + ph[0]) + 0.4 * np.sin(2 * math.pi * f[1] * t * 2.3 + ph[1]))
        else:
            r = np.ones(n)
        rad = pen_px * ss / 2 * np.clip(r, 0.35, 2.0)
        for (x, y), rr in zip(q, rad):
            d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=255)
        if n > 1:
            for i in range(n - 1):
                w = int(round(2 * min(rad[i], rad[i + 1])))
                if w >= 2:
                    d.line([tuple(q[i]), tuple(q[i + 1])], fill=255, width=w)
    small = im.resize((W, H), Image.Resampling.BOX)
    return crop_to_ink(from_l(small), pad=1, threshold=0.02)


# ---------------------------------------------------------------------------------------------
# Generators: each returns a Drawing in about a unit box


def handdrawn(ch, rng):
    aspect, strokes = SKELETONS[ch]
    aspect *= math.exp(rng.uniform(-0.15, 0.15))
    d = Drawing(width=rng.uniform(0.06, 0.14))
    for s in strokes:
        d.stroke(s * [aspect, 1.0])
    d = d.transformed(affine(rng, rotate=10, shear=0.25, stretch=0.08))
    return jitter(d, rng, amount=rng.uniform(0.008, 0.03))


def scribble(rng):
    """A scribble: a long random curve, a zigzag, loops, a tangle or hatching."""
    kind = rng.choice(["curve", "zigzag", "wave", "loops", "tangle", "hatch", "crosshatch"])
    d = Drawing(width=rng.uniform(0.03, 0.1))
    if kind == "curve":
        n = int(rng.integers(7, 14))
        p = rng.uniform(0, 1, size=(n, 2)) * [rng.uniform(0.7, 1.6), 1.0]
        d.stroke(catmull_rom(p))
    elif kind == "zigzag":
        n = int(rng.integers(5, 12))
        x = np.linspace(0, rng.uniform(0.8, 2.0), n) + rng.normal(0, 0.03, n)
        y = np.where(np.arange(n) % 2 == 0, 0.0, 1.0) + rng.normal(0, 0.08, n)
        d.stroke(np.stack([x, y], axis=1))
    elif kind == "wave":
        periods = rng.uniform(2.5, 5)
        t = np.linspace(0, 1, 200)
        d.stroke(np.stack([t * rng.uniform(1.2, 2.5), 0.5 + 0.5 * np.sin(2 * math.pi * periods * t)], axis=1))
    elif kind == "loops":
        loops = rng.uniform(3, 7)
        t = np.linspace(0, 1, 300)
        r = rng.uniform(0.25, 0.5)
        x = t * loops * rng.uniform(0.25, 0.45) + r * np.cos(2 * math.pi * loops * t)
        y = 0.5 + r * 1.2 * np.sin(2 * math.pi * loops * t)
        d.stroke(np.stack([x, y], axis=1))
    elif kind == "tangle":
        n = int(rng.integers(25, 70))
        v = np.zeros(2)
        p = [np.array([0.5, 0.5])]
        for _ in range(n):
            v = 0.6 * v + rng.normal(0, 0.12, 2)
            q = np.clip(p[-1] + v, 0, 1)
            p.append(q)
        d.stroke(catmull_rom(np.array(p), samples=6))
    else:
        angles = [rng.uniform(0, 180)]
        if kind == "crosshatch":
            angles.append(angles[0] + rng.uniform(50, 130))
        n = int(rng.integers(3, 10))
        for a in angles:
            dirv = np.array([math.cos(math.radians(a)), math.sin(math.radians(a))])
            nrm = np.array([-dirv[1], dirv[0]])
            for i in range(n):
                off = (i - (n - 1) / 2) / max(n - 1, 1) * 0.9
                half = rng.uniform(0.35, 0.5)
                c = np.array([0.5, 0.5]) + nrm * off + dirv * rng.normal(0, 0.04)
                d.stroke(seg(c - dirv * half, c + dirv * half))
        d.width = rng.uniform(0.02, 0.06)
    return kind, d.transformed(affine(rng, rotate=180 if kind in ("hatch", "crosshatch") else 15, shear=0.1, stretch=0.1))


def blob(rng, harmonics=None):
    """A filled irregular blob (a random radial outline)."""
    k = harmonics or int(rng.integers(2, 6))
    a = np.linspace(0, 2 * math.pi, 120, endpoint=False)
    r = np.ones_like(a)
    for h in range(2, 2 + k):
        r += rng.uniform(0.05, 0.3) / h * np.cos(h * a + rng.uniform(0, 2 * math.pi))
    r = np.clip(r, 0.3, None)
    pts = np.stack([0.5 + 0.5 * r * np.cos(a) * rng.uniform(0.6, 1.5), 0.5 + 0.5 * r * np.sin(a)], axis=1)
    return Drawing(0.02).fill(pts)


def blobs(rng):
    d = Drawing(0.02)
    for _ in range(int(rng.integers(1, 4))):
        b = blob(rng)
        off = rng.uniform(-0.5, 0.5, 2)
        s = rng.uniform(0.4, 1.0)
        d.items += [(k, p * s + off) for k, p in b.items]
    return d


SHAPES = ["triangle", "square", "rectangle", "star", "heart", "arrow", "grid", "checkmark"]


def shape(rng, name=None, filled=None):
    """A shape that is no digit: triangle, square, star, heart, arrow, grid ... (no circles,
    no ellipses, no single bars)."""
    name = name or str(rng.choice(SHAPES))
    filled = bool(rng.random() < 0.4) if filled is None else filled
    d = Drawing(width=rng.uniform(0.04, 0.12))
    if name == "triangle":
        pts = np.array([[0.5, 0.0], [1.0, 0.87], [0.0, 0.87]]) + rng.normal(0, 0.06, (3, 2))
        if rng.random() < 0.3:
            pts[:, 1] = 0.87 - pts[:, 1]  # upside down
    elif name == "square":
        pts = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float) + rng.normal(0, 0.03, (4, 2))
    elif name == "rectangle":
        w = rng.uniform(1.4, 2.2)  # wide only: a tall one passes for a 0 or, filled, a 1
        pts = np.array([[0, 0], [w, 0], [w, 1], [0, 1]], dtype=float) + rng.normal(0, 0.03, (4, 2))
    elif name == "star":
        n = int(rng.choice([5, 5, 6, 7]))
        inner = rng.uniform(0.35, 0.5)
        a = np.linspace(0, 2 * math.pi, 2 * n, endpoint=False) - math.pi / 2 + rng.uniform(-0.2, 0.2)
        r = np.where(np.arange(2 * n) % 2 == 0, 1.0, inner)
        pts = np.stack([0.5 + 0.5 * r * np.cos(a), 0.5 + 0.5 * r * np.sin(a)], axis=1)
        if not filled and n == 5 and rng.random() < 0.5:  # the pentagram drawn in one line
            order = [0, 4, 8, 2, 6, 0]
            pts = pts[order]
            d.stroke(pts)
            return name, d.transformed(affine(rng, rotate=12, shear=0.1, stretch=0.1))
    elif name == "heart":
        t = np.linspace(0, 2 * math.pi, 100, endpoint=False)
        x = 16 * np.sin(t) ** 3
        y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        pts = np.stack([x, y], axis=1) / 32.0
    elif name == "arrow":
        ang = rng.uniform(-60, 60) + (180 if rng.random() < 0.5 else 0)  # never vertical
        L = rng.uniform(1.2, 2.0)
        if filled:
            sw, hw, hl = rng.uniform(0.12, 0.25), rng.uniform(0.35, 0.5), rng.uniform(0.4, 0.6)
            pts = np.array([[0, -sw], [L - hl, -sw], [L - hl, -hw], [L, 0], [L - hl, hw], [L - hl, sw], [0, sw]])
        else:
            hl = rng.uniform(0.3, 0.5)
            d.stroke(seg((0, 0), (L, 0)))
            d.stroke(seg((L - hl, -hl * 0.8), (L, 0), (L - hl, hl * 0.8)))
            pts = None
        a = math.radians(ang)
        m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        if pts is not None:
            d.fill(pts)
        return name, d.transformed(m)
    elif name == "grid":  # cross-hatch / tic-tac-toe
        n = int(rng.integers(2, 5))
        for i in range(n):
            t = (i + 1) / (n + 1)
            d.stroke(seg((t, 0), (t, 1)))
            d.stroke(seg((0, t), (1, t)))
        d.width = rng.uniform(0.03, 0.08)
        return name, d.transformed(affine(rng, rotate=20, shear=0.15, stretch=0.1))
    elif name == "checkmark":
        d.stroke(seg((0, 0.55), (0.35, 1.0), (1.1, 0.0)))
        return name, d.transformed(affine(rng, rotate=12, shear=0.1, stretch=0.1))
    else:
        raise ValueError(f"unknown shape {name}")
    if filled:
        d.fill(pts)
    else:
        d.stroke(pts, closed=True)
    return name, d.transformed(affine(rng, rotate=15, shear=0.1, stretch=0.1))


# ---------------------------------------------------------------------------------------------
# Thinning: a handwritten MNIST digit redrawn with another pen


def skeleton(mask):
    """Zhang–Suen thinning of a boolean mask to one-pixel-wide lines."""
    img = np.pad(mask.astype(bool), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = img
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            c = p[1:-1, 1:-1]
            b = sum(x.astype(np.uint8) for x in n)
            a = sum(((~n[i]) & n[(i + 1) % 8]).astype(np.uint8) for i in range(8))
            if step == 0:
                extra = ~(n[0] & n[2] & n[4]) & ~(n[2] & n[4] & n[6])
            else:
                extra = ~(n[0] & n[2] & n[6]) & ~(n[0] & n[4] & n[6])
            kill = c & (b >= 2) & (b <= 6) & (a == 1) & extra
            if kill.any():
                c[kill] = False
                changed = True
        if not changed:
            return img[1:-1, 1:-1]


def redraw_with_pen(mask, pen, rng=None, pressure=0.0, ss=2):
    """The strokes of `mask` (their skeleton) drawn again with a round pen `pen` pixels wide."""
    sk = skeleton(mask > 0.5)
    ys, xs = np.nonzero(sk)
    h, w = mask.shape
    m = int(math.ceil(pen)) + 2
    im = Image.new("L", ((w + 2 * m) * ss, (h + 2 * m) * ss))
    d = ImageDraw.Draw(im)
    if rng is not None and pressure > 0:
        var = 1.0 + low_freq_noise(rng, h, w, 4, pressure)
    else:
        var = np.ones((h, w), np.float32)
    for x, y in zip(xs, ys):
        r = max(0.5, pen / 2.0 * float(np.clip(var[y, x], 0.5, 1.6))) * ss
        cx, cy = (x + m + 0.5) * ss, (y + m + 0.5) * ss
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    out = from_l(im.resize((w + 2 * m, h + 2 * m), Image.Resampling.BOX))
    # round off the one-pixel steps of the skeleton: blur, then a soft threshold
    return smoothstep(0.3, 0.7, blur(out, 0.3 * pen))
