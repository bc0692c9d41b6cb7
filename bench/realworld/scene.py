"""Photo-like pages for the test corpus: paper or blackboard, ruled lines, the page edge with a
table beyond it, a lighting gradient, a shadow band, texture, ink blended into the paper,
lens blur and sensor noise. Only make_corpus.py uses this.
"""

import math

import numpy as np
from PIL import Image, ImageFilter

from drawing import low_freq_noise, smoothstep

PAPERS = {  # name: RGB in [0, 1]
    "white": (0.95, 0.95, 0.94),
    "bright": (0.98, 0.98, 0.98),
    "cream": (0.96, 0.93, 0.84),
    "bluish": (0.90, 0.93, 0.97),
    "recycled": (0.86, 0.85, 0.81),
    "yellow-pad": (0.98, 0.95, 0.70),
}
INKS = {
    "blue": (0.12, 0.20, 0.58),
    "gel-blue": (0.10, 0.28, 0.75),
    "black": (0.08, 0.08, 0.10),
    "red": (0.72, 0.10, 0.12),
    "pencil": (0.36, 0.36, 0.38),
}
TABLES = {
    "wood": (0.45, 0.30, 0.18),
    "dark-wood": (0.25, 0.15, 0.09),
    "grey-desk": (0.40, 0.40, 0.42),
    "black-desk": (0.10, 0.10, 0.11),
    "white-desk": (0.78, 0.78, 0.76),
}
BOARDS = {
    "green-board": (0.13, 0.24, 0.18),
    "dark-green-board": (0.08, 0.17, 0.12),
    "grey-board": (0.17, 0.18, 0.18),
    "black-board": (0.07, 0.07, 0.08),
}


class Scene:
    """A page of W × H pixels. Put ink with `ink`, then `finish` gives the RGB picture."""

    def __init__(self, rng, W, H, *, paper=None, board=None, ruled=None, edge=None):
        self.rng, self.W, self.H = rng, W, H
        self.big = max(W, H)
        self.tags = []
        self.board = board
        self.y = np.arange(H, dtype=np.float32)[:, None]
        self.x = np.arange(W, dtype=np.float32)[None, :]
        if board:
            base = np.array(BOARDS[board], dtype=np.float32) * rng.uniform(0.85, 1.15)
            self.tags.append(board)
            tex = 1.0 + low_freq_noise(rng, H, W, rng.uniform(3, 8), 0.06) + low_freq_noise(rng, H, W, 60, 0.03)
            img = base[None, None, :] * tex[..., None]
            # chalk dust: faint light smears where the board was wiped
            dust = np.clip(low_freq_noise(rng, H, W, rng.uniform(5, 14), 1.0), 0, None) * rng.uniform(0.01, 0.05)
            img = img + dust[..., None] * np.array([0.9, 0.9, 0.88], dtype=np.float32)
            self.img = img.astype(np.float32)
        else:
            paper = paper or str(rng.choice(list(PAPERS)))
            self.tags.append(paper)
            base = np.array(PAPERS[paper], dtype=np.float32) * rng.uniform(0.97, 1.02, 3).astype(np.float32)
            tex = (1.0 + low_freq_noise(rng, H, W, rng.uniform(2, 5), 0.012)
                   + low_freq_noise(rng, H, W, min(self.big / 12.0, 300), 0.010))
            self.img = (base[None, None, :] * tex[..., None]).astype(np.float32)
        self.safe = [0.04 * W, 0.04 * H, 0.96 * W, 0.96 * H]
        if ruled and not board:
            self._rule(ruled)
        self.edge = None
        if edge and not board:
            self._plan_edge(edge)

    # -- the page --------------------------------------------------------------------------

    def _lines_mask(self, coord, spacing, offset, thick):
        phase = (coord - offset) / spacing
        dist = np.abs(phase - np.round(phase)) * spacing
        return np.clip(thick / 2.0 + 0.5 - dist, 0.0, 1.0)

    def _rule(self, kind):
        rng, W, H = self.rng, self.W, self.H
        theta = math.radians(rng.uniform(-2.5, 2.5))
        yr = self.y * math.cos(theta) - self.x * math.sin(theta)
        spacing = H * rng.uniform(1 / 24, 1 / 11)
        thick = max(1.0, H / rng.uniform(500, 900))
        colour = np.array(rng.choice([(0.55, 0.70, 0.90), (0.60, 0.75, 0.85), (0.65, 0.65, 0.68)]), dtype=np.float32)
        alpha = rng.uniform(0.45, 0.85)
        if kind == "grid":  # squared maths paper
            spacing *= 0.6
            xr = self.x * math.cos(theta) + self.y * math.sin(theta)
            lines = np.maximum(self._lines_mask(yr, spacing, rng.uniform(0, spacing), thick),
                               self._lines_mask(xr, spacing, rng.uniform(0, spacing), thick))
            alpha *= 0.8
            self.tags.append("grid")
        else:
            lines = self._lines_mask(yr, spacing, rng.uniform(0, spacing), thick)
            lines = lines * (yr > H * rng.uniform(0.0, 0.12))
            self.tags.append("ruled")
        self._multiply(lines * alpha, colour)
        if kind != "grid" and rng.random() < 0.5:
            xm = W * rng.uniform(0.06, 0.18)
            xr = self.x * math.cos(theta) + self.y * math.sin(theta)
            margin = np.clip(thick / 2 + 0.5 - np.abs(xr - xm), 0, 1)
            self._multiply(margin * alpha, np.array([0.85, 0.35, 0.40], dtype=np.float32))
            self.tags.append("margin")

    def _multiply(self, alpha, colour):
        """Blend like ink on paper: the colour darkens what is there."""
        self.img *= 1.0 - alpha[..., None] * (1.0 - colour[None, None, :])

    def _plan_edge(self, sides):
        """The page ends on some sides; a table shows beyond it."""
        rng, W, H = self.rng, self.W, self.H
        planes = []
        for side in sides:
            tilt = math.radians(rng.uniform(-4, 4))
            if side in ("left", "right"):
                off = W * rng.uniform(0.04, 0.2)
                slack = abs(math.tan(tilt)) * H + 0.03 * W
                # signed distance, positive on the page
                if side == "left":
                    planes.append(("x", off, tilt, 1.0))
                    self.safe[0] = max(self.safe[0], off + slack)
                else:
                    planes.append(("x", W - off, tilt, -1.0))
                    self.safe[2] = min(self.safe[2], W - off - slack)
            else:
                off = H * rng.uniform(0.04, 0.2)
                slack = abs(math.tan(tilt)) * W + 0.03 * H
                if side == "top":
                    planes.append(("y", off, tilt, 1.0))
                    self.safe[1] = max(self.safe[1], off + slack)
                else:
                    planes.append(("y", H - off, tilt, -1.0))
                    self.safe[3] = min(self.safe[3], H - off - slack)
        self.edge = planes
        self.table = str(rng.choice(list(TABLES)))
        self.tags.append("edge-" + "".join(s[0] for s in sides) + "-" + self.table)

    def _apply_edge(self):
        rng, W, H = self.rng, self.W, self.H
        dmin = None
        for axis, pos, tilt, sign in self.edge:
            if axis == "x":
                d = sign * (self.x - (pos + (self.y - H / 2) * math.tan(tilt)))
            else:
                d = sign * (self.y - (pos + (self.x - W / 2) * math.tan(tilt)))
            dmin = d if dmin is None else np.minimum(dmin, d)
        on_page = np.clip(dmin + 0.5, 0.0, 1.0)
        base = np.array(TABLES[self.table], dtype=np.float32) * rng.uniform(0.8, 1.2)
        grain = 1.0 + low_freq_noise(rng, H, W, rng.uniform(3, 6), 0.08)
        if "wood" in self.table:  # stretched noise: grain along one direction
            small = rng.standard_normal((max(2, H // 40), 6)).astype(np.float32)
            streaks = np.asarray(Image.fromarray(small, "F").resize((W, H), Image.Resampling.BICUBIC))
            grain = grain + 0.08 * streaks
        table = base[None, None, :] * grain[..., None]
        # the page casts a small shadow on the table
        soft = self.big * rng.uniform(0.004, 0.02)
        shade = 1.0 - rng.uniform(0.2, 0.5) * np.exp(np.minimum(dmin, 0.0) / soft)
        table = table * shade[..., None]
        self.img = self.img * on_page[..., None] + table * (1.0 - on_page[..., None])

    # -- ink -------------------------------------------------------------------------------

    def place(self, h, w):
        """A random top-left corner for an h × w ink box inside the safe area."""
        x0, y0, x1, y1 = self.safe
        xs = (x0, max(x0, x1 - w))
        ys = (y0, max(y0, y1 - h))
        x = int(self.rng.uniform(*xs)) if xs[1] > xs[0] else int(max(0, (self.W - w) / 2))
        y = int(self.rng.uniform(*ys)) if ys[1] > ys[0] else int(max(0, (self.H - h) / 2))
        return x, y

    def ink(self, mask, x, y, colour, opacity=1.0, style="pen"):
        """Blend an ink mask with its top-left at (x, y). style: pen, pencil, print or chalk."""
        h, w = mask.shape
        x, y = int(x), int(y)
        xa, ya = max(0, x), max(0, y)
        xb, yb = min(self.W, x + w), min(self.H, y + h)
        if xb <= xa or yb <= ya:
            return
        a = mask[ya - y:yb - y, xa - x:xb - x] * opacity
        rng = self.rng
        if style == "pencil":
            hh, ww = a.shape
            cell = max(1.0, self.big / 1500.0)
            fine = rng.random((hh, ww)).astype(np.float32)
            if cell > 1.5:
                fine = low_freq_noise(rng, hh, ww, max(ww, hh) / cell, 0.35) + 0.5
            a = a * np.clip(0.35 + 0.65 * 1.4 * fine, 0.0, 1.0)
        elif style == "chalk":
            # dry chalk: the board shows through in grains a few pixels across
            hh, ww = a.shape
            cell = max(2.0, self.big / 500.0)
            grain = low_freq_noise(rng, hh, ww, max(ww, hh) / cell, 1.0)
            grain += 0.5 * low_freq_noise(rng, hh, ww, max(ww, hh) / (cell * 0.5), 1.0)
            a = a * smoothstep(rng.uniform(-1.4, -0.6), 0.6, grain)
        elif style == "pen":
            hh, ww = a.shape
            a = a * np.clip(1.0 + low_freq_noise(rng, hh, ww, 4, 0.08), 0.75, 1.0)
        colour = np.asarray(colour, dtype=np.float32)
        region = self.img[ya:yb, xa:xb]
        if style == "chalk":
            region[:] = region * (1.0 - a[..., None]) + colour[None, None, :] * a[..., None]
        else:
            region *= 1.0 - a[..., None] * (1.0 - colour[None, None, :])

    # -- the camera ------------------------------------------------------------------------

    def finish(self, *, lighting=True, shadow=None, blur=None, noise=None, exposure=None):
        rng, W, H = self.rng, self.W, self.H
        if self.edge:
            self._apply_edge()
        img = self.img
        if lighting:
            ang = rng.uniform(0, 2 * math.pi)
            g = rng.uniform(0.03, 0.25)
            half = self.big / 2.0
            light = 1.0 + g * ((self.x - W / 2) * math.cos(ang) + (self.y - H / 2) * math.sin(ang)) / half
            v = rng.uniform(0.0, 0.3)
            cx, cy = W * rng.uniform(0.3, 0.7), H * rng.uniform(0.3, 0.7)
            light = light * (1.0 - v * (((self.x - cx) ** 2 + (self.y - cy) ** 2) / (half * half * 2)))
            img = img * light[..., None]
        if shadow:
            ang = rng.uniform(0, math.pi)
            nx, ny = math.cos(ang), math.sin(ang)
            d = (self.x - W / 2) * nx + (self.y - H / 2) * ny
            span = abs(W / 2 * nx) + abs(H / 2 * ny)
            pen = self.big * rng.uniform(0.006, 0.06)
            if shadow == "band":
                c = rng.uniform(-0.6, 0.6) * span
                half_w = self.big * rng.uniform(0.05, 0.22)
                inside = smoothstep(-pen, pen, half_w - np.abs(d - c))
            else:  # a half-plane: the shadow of the phone or a hand over part of the page
                c = rng.uniform(-0.3, 0.7) * span
                inside = smoothstep(-pen, pen, d - c)
            dark = rng.uniform(0.5, 0.85)
            tint = np.array([1.0, 1.0, 1.06], dtype=np.float32)
            img = img * (1.0 - inside[..., None] * (1.0 - dark * tint[None, None, :]))
            self.tags.append("shadow" if shadow == "band" else "shadow-half")
        wb = rng.uniform(0.93, 1.05, 3).astype(np.float32)
        ex = exposure if exposure is not None else rng.uniform(0.8, 1.08)
        img = img * (wb * ex)[None, None, :]
        out = Image.fromarray(np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")
        self.img = None
        sigma = blur if blur is not None else rng.uniform(0.3, 1.1) * max(0.8, self.big / 1200.0)
        if sigma > 0.2:
            out = out.filter(ImageFilter.GaussianBlur(sigma))
        if noise is None:
            noise = rng.uniform(0.8, 2.2) if self.big <= 2100 else rng.uniform(0.6, 1.4)
        arr = np.asarray(out, dtype=np.float32)
        if noise > 0:
            lum = rng.standard_normal((H, W, 1), dtype=np.float32) * noise
            chroma = rng.standard_normal((H, W, 3), dtype=np.float32) * (noise * 0.4)
            arr = arr + lum + chroma
        return Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8), "RGB")
