#!/usr/bin/env python3
"""Makes the user-style digit PNGs in samples/ from MNIST test digits (standard library only).

Each sample is one MNIST test digit turned into something a person might photograph or
draw: dark ink on light paper, enlarged, off-centre on a larger canvas, sometimes thicker
or tinted, saved in a different PNG encoding (grey 8-bit, grey 16-bit, RGB, RGBA with a
transparent background, palette, grey+alpha, Adam7-interlaced grey). The true digit comes
first in each file name. The digits are the first two of each class from test image 9000
on, so `digits` sees them as new images, not training data.

Run from the repository root:  python3 samples/make_samples.py
"""
import gzip
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples"


def read_idx(path):
    data = gzip.open(path).read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic == 2051:
        count, rows, cols = struct.unpack(">III", data[4:16])
        return [data[16 + i * rows * cols:16 + (i + 1) * rows * cols] for i in range(count)]
    count = struct.unpack(">I", data[4:8])[0]
    return list(data[8:8 + count])


def scale(image, size, factor):
    """Nearest-neighbour enlargement by an integer factor, then a 3×3 blur to soften steps."""
    big_size = size * factor
    big = [[image[(y // factor) * size + x // factor] for x in range(big_size)] for y in range(big_size)]
    soft = [[0] * big_size for _ in range(big_size)]
    for y in range(big_size):
        for x in range(big_size):
            total = count = 0
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < big_size and 0 <= xx < big_size:
                        total += big[yy][xx]
                        count += 1
            soft[y][x] = total // count
    return soft


def thicken(ink):
    """Grey-level dilation: each pixel takes the strongest ink of its 3×3 neighbourhood."""
    h, w = len(ink), len(ink[0])
    return [[max(ink[yy][xx] for yy in range(max(0, y - 1), min(h, y + 2))
                 for xx in range(max(0, x - 1), min(w, x + 2))) for x in range(w)] for y in range(h)]


def place(ink, width, height, left, top):
    """Ink (0…255) on a blank canvas of the given size at (left, top)."""
    canvas = [[0] * width for _ in range(height)]
    for y, row in enumerate(ink):
        for x, value in enumerate(row):
            if 0 <= top + y < height and 0 <= left + x < width:
                canvas[top + y][left + x] = value
    return canvas


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, color_type, bit_depth, rows, palette=None, transparency=None, interlaced=False):
    """PNG bytes; `rows` are lists of samples (channels interleaved, or palette indices)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]

    def pack(row):
        if bit_depth == 16:
            return b"".join(struct.pack(">H", v) for v in row)
        if bit_depth == 8:
            return bytes(row)
        per_byte = 8 // bit_depth
        out = bytearray()
        for i in range(0, len(row), per_byte):
            byte = 0
            for j, v in enumerate(row[i:i + per_byte]):
                byte |= v << (8 - bit_depth * (j + 1))
            out.append(byte)
        return bytes(out)

    raw = bytearray()
    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        for x0, y0, dx, dy in passes:
            for y in range(y0, height, dy):
                xs = range(x0, width, dx)
                if not xs:
                    continue
                row = [v for x in xs for v in rows[y][x * channels:(x + 1) * channels]]
                raw += b"\x00" + pack(row)
    else:
        for row in rows:
            raw += b"\x00" + pack(row)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlaced else 0))
    if palette:
        out += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    if transparency:
        out += chunk(b"tRNS", bytes(transparency))
    out += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    return out + chunk(b"IEND", b"")


def mix(paper, ink_color, ink):
    """The colour of paper covered by ink of strength ink/255."""
    return [round(p + (i - p) * ink / 255) for p, i in zip(paper, ink_color)]


def grey8(canvas, paper=245):
    return png(len(canvas[0]), len(canvas), 0, 8, [[round(paper - paper * v / 255) for v in row] for row in canvas])


def grey8_interlaced(canvas, paper=250):
    return png(len(canvas[0]), len(canvas), 0, 8, [[round(paper - paper * v / 255) for v in row] for row in canvas],
               interlaced=True)


def grey16(canvas, paper=60000):
    return png(len(canvas[0]), len(canvas), 0, 16, [[round(paper - paper * v / 255) for v in row] for row in canvas])


def rgb_blue_ink(canvas):
    paper, ink = (250, 246, 232), (20, 40, 120)
    return png(len(canvas[0]), len(canvas), 2, 8, [[c for v in row for c in mix(paper, ink, v)] for row in canvas])


def rgba_transparent(canvas):
    """Black ink whose alpha is the ink strength on a fully transparent background."""
    return png(len(canvas[0]), len(canvas), 6, 8, [[c for v in row for c in (10, 10, 10, v)] for row in canvas])


def grey_alpha(canvas):
    return png(len(canvas[0]), len(canvas), 4, 8, [[c for v in row for c in (0, v)] for row in canvas])


def palette4(canvas):
    """A 4-bit palette: 16 shades from pencil grey to paper."""
    paper, ink = (240, 240, 235), (50, 50, 60)
    colours = [mix(paper, ink, level * 17) for level in range(16)]
    return png(len(canvas[0]), len(canvas), 3, 4, [[v // 16 for v in row] for row in canvas], palette=colours)


ENCODINGS = [
    ("grey", grey8, 5, (200, 170), (50, 8)),
    ("blue-ink", rgb_blue_ink, 4, (150, 150), (34, 30)),
    ("transparent", rgba_transparent, 3, (120, 90), (5, 3)),
    ("palette", palette4, 6, (200, 220), (30, 40)),
    ("grey16", grey16, 4, (140, 140), (10, 25)),
    ("grey-alpha", grey_alpha, 2, (90, 64), (30, 4)),
    ("interlaced", grey8_interlaced, 5, (170, 170), (2, 30)),
]


def main():
    images = read_idx(ROOT / "data/mnist/t10k-images-idx3-ubyte.gz")
    labels = read_idx(ROOT / "data/mnist/t10k-labels-idx1-ubyte.gz")
    for old in OUT.glob("*.png"):
        old.unlink()
    chosen = {d: [] for d in range(10)}
    for index in range(9000, len(images)):
        if len(chosen[labels[index]]) < 2:
            chosen[labels[index]].append(index)
    made = 0
    for digit, indices in chosen.items():
        for copy, index in enumerate(indices):
            name, encode, factor, (width, height), (left, top) = ENCODINGS[(digit * 2 + copy) % len(ENCODINGS)]
            ink = scale(images[index], 28, factor)
            assert left + len(ink) <= width and top + len(ink) <= height, f"{name}: the digit must fit its canvas"
            if copy == 1:
                ink = thicken(ink)
            canvas = place(ink, width, height, left, top)
            style = "thick-" if copy == 1 else ""
            (OUT / f"{digit}-{style}{name}.png").write_bytes(encode(canvas))
            made += 1
    print(f"wrote {made} samples to {OUT}")


if __name__ == "__main__":
    main()
