"""The two font sets: CORPUS fonts (test pictures only) and TRAINING fonts (data/extra only).

Fonts are split by design group, not just by family name: metric clones and derivatives of
one design (Liberation Sans, Arimo, Nimbus Sans, TeX Gyre Heros and FreeSans are all
Helvetica/Arial shapes) are one group, and a group is on one side only. Every family named
here comes from a Debian package listed in README.md; a family that is not installed is
skipped with a note on stderr, so the sets in use are the listed ones that are present.

Files are found with fontconfig (`fc-list`), sorted by family, style and path, so a seed
gives the same pictures on machines with the same fonts installed.
"""

import functools
import re
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Group name -> families (fontconfig's first family name, exactly).
CORPUS_GROUPS = {
    "helvetica-arial": ["Liberation Sans", "Liberation Sans Narrow", "Arimo", "Nimbus Sans",
                        "Nimbus Sans Narrow", "TeX Gyre Heros", "TeX Gyre Heros Cn", "FreeSans"],
    "palatino": ["P052", "TeX Gyre Pagella"],
    "avant-garde": ["URW Gothic", "TeX Gyre Adventor"],
    "bookman": ["URW Bookman", "TeX Gyre Bonum"],
    "lato-calibri": ["Lato", "Carlito"],
    "roboto": ["Roboto", "Roboto Condensed"],
    "vera-dejavu": ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Hack", "Aerial",
                    "Aerial Mono", "Veranda", "Tymes", "Waree"],
    "comic-neue": ["Comic Neue"],
    "courier-prime": ["Courier Prime", "Courier Prime Sans", "Courier Prime Code"],
    "libertine": ["Linux Libertine O", "Linux Biolinum O", "Linux Libertine Display O",
                  "Linux Libertine Mono O"],
    "vollkorn": ["Vollkorn"],
    "fira": ["Fira Code"],
    "cantarell": ["Cantarell"],
    "quicksand": ["Quicksand", "Quicksand Light", "Quicksand Medium"],
    "purisa": ["Purisa"],
    "dancing-script": ["Dancing Script"],
    "yanone": ["Yanone Kaffeesatz"],
    "gillius": ["Gillius ADF", "Gillius ADF No2"],
    "averia": ["Averia GWF", "Averia Sans GWF", "Averia Serif GWF"],
    "pt": ["PT Sans", "PT Sans Caption", "PT Sans Narrow", "PT Serif", "PT Serif Caption", "PT Mono"],
    "andika": ["Andika"],
    "old-standard": ["Old Standard TT"],
    "go": ["Go", "Go Medium", "Go Mono", "Go Smallcaps"],
    "anonymous-pro": ["Anonymous Pro", "Anonymous Pro Minus"],
    "mononoki": ["mononoki"],
    "kristi": ["Kristi"],
    "dkg-handwriting": ["DkgHandwriting"],
}

TRAINING_GROUPS = {
    "times": ["Liberation Serif", "Tinos", "Nimbus Roman", "TeX Gyre Termes", "FreeSerif"],
    "courier": ["Nimbus Mono PS", "TeX Gyre Cursor", "FreeMono", "Tlwg Mono", "Tlwg Typist"],
    "liberation-mono": ["Liberation Mono", "Cousine"],
    "century-schoolbook": ["C059", "TeX Gyre Schola"],
    "zapf-chancery": ["Z003", "TeX Gyre Chorus"],
    "computer-modern": ["Latin Modern Roman", "Latin Modern Roman Caps", "Latin Modern Roman Demi",
                        "Latin Modern Roman Dunhill", "Latin Modern Roman Slanted",
                        "Latin Modern Roman Unslanted", "Latin Modern Sans", "Latin Modern Sans Demi Cond",
                        "Latin Modern Sans Quotation", "Latin Modern Mono", "Latin Modern Mono Caps",
                        "Latin Modern Mono Light", "Latin Modern Mono Light Cond", "Latin Modern Mono Prop",
                        "Latin Modern Mono Prop Light", "Latin Modern Mono Slanted"],
    "inter": ["Inter", "Inter Display"],
    "gentium": ["Gentium", "Gentium Plus", "Gentium Book Plus", "GentiumAlt"],
    "charis": ["Charis SIL"],
    "mplus": ["M PLUS 1", "M PLUS 2", "M PLUS 1 Code", "M PLUS Code Latin 50", "M PLUS Code Latin 60",
              "Mplus Code 50", "Mplus Code 60"],
    "noto-open-sans": ["Noto Sans", "Noto Serif", "Noto Sans Display", "Noto Serif Display",
                       "Open Sans", "Open Sans Condensed"],
    "fantasque": ["Fantasque Sans Mono"],
    "jetbrains-mono": ["JetBrains Mono"],
    "inconsolata": ["Inconsolata"],
    "cabin": ["Cabin"],
    "cardo": ["Cardo"],
    "comfortaa": ["Comfortaa"],
    "lobster": ["Lobster Two"],
    "jura": ["Jura"],
    "play": ["Play"],
    "yrsa-rasa": ["Yrsa", "Rasa"],
    "eb-garamond": ["EB Garamond"],
    "caladea": ["Caladea"],
    "accanthis": ["Accanthis ADF Std", "Accanthis ADF Std No2", "Accanthis ADF Std No3"],
    "universalis": ["Universalis ADF Std"],
    "agave": ["Agave"],
    "hermit": ["Hermit"],
    "monoid": ["Monoid", "Monoisome"],
    "league-spartan": ["League Spartan"],
    "league-mono": ["League Mono"],
    "gfs": ["GFS Didot", "GFS Artemisia", "GFS Neohellenic"],
    "century-catalogue": ["Century Catalogue"],
    "goudy-bookletter": ["Goudy Bookletter 1911"],
    "fanwood": ["Fanwood", "Fanwood Text"],
    "prociono": ["Prociono"],
    "rufscript": ["Rufscript"],
    "staypuft": ["StayPuft"],
    "breip": ["Breip"],
    "ibm-3270": ["IBM 3270", "IBM 3270 Condensed", "IBM 3270 Semi-Condensed"],
    "junicode": ["Junicode Two Beta"],
    "sawasdee": ["Sawasdee"],
    "humor-sans": ["Humor Sans"],
    "linex": ["Jara", "Quercus"],
    "tuffy": ["Tuffy"],
}

# Characters that cannot pass for a digit (not O o I l i S s Z z B G g q b D T J L U e a C c,
# which can look like 0 1 5 2 8 6 9 7 4).
NONDIGIT_LETTERS = "AEFHKMNRVWXYkmnwx"
NONDIGIT_SYMBOLS = "#&@*+"
NONDIGIT_CHARS = NONDIGIT_LETTERS + NONDIGIT_SYMBOLS


def _check_disjoint():
    corpus = {f for fams in CORPUS_GROUPS.values() for f in fams}
    training = {f for fams in TRAINING_GROUPS.values() for f in fams}
    both = corpus & training
    assert not both, f"families in both sets: {sorted(both)}"
    assert not set(CORPUS_GROUPS) & set(TRAINING_GROUPS)


_check_disjoint()


class Face:
    """One font file (one face): family, style, weight class, italic flag."""

    def __init__(self, group, family, style, path, index, weight, italic):
        self.group, self.family, self.style = group, family, style
        self.path, self.index, self.weight, self.italic = path, index, weight, italic

    @property
    def name(self):
        return f"{self.family} {self.style}"

    def font(self, size):
        return _font(self.path, self.index, int(size))

    def has(self, ch):
        return _has_glyph(self.path, self.index, ch)

    def __repr__(self):
        return f"Face({self.name!r}, {self.path!r})"


@functools.lru_cache(maxsize=512)
def _font(path, index, size):
    return ImageFont.truetype(path, size, index=index)


def _render(font, ch):
    im = Image.new("L", (160, 160))
    ImageDraw.Draw(im).text((30, 20), ch, font=font, fill=255)
    return np.asarray(im)


@functools.lru_cache(maxsize=None)
def _has_glyph(path, index, ch):
    """True when the face draws `ch` itself (not its .notdef box, not nothing)."""
    font = _font(path, index, 80)
    mask = _render(font, ch)
    if mask.max() == 0:
        return False
    return not np.array_equal(mask, _render(font, "\uffff"))


_WEIGHT_WORDS = [  # (word in style name, weight class); longest words first
    ("extralight", "light"), ("ultralight", "light"), ("hairline", "light"), ("semibold", "semibold"), ("demibold", "semibold"),
    ("extrabold", "black"), ("ultrabold", "black"), ("thin", "light"), ("light", "light"),
    ("book", "regular"), ("regular", "regular"), ("roman", "regular"), ("normal", "regular"),
    ("medium", "medium"), ("demi", "semibold"), ("bold", "bold"), ("black", "black"), ("heavy", "black"),
]


def _classify(style):
    """(weight class, italic, whether the text named a weight or slant at all)."""
    s = style.lower().replace(" ", "").replace("-", "").replace("_", "")
    italic = any(w in s for w in ("italic", "oblique", "slanted", "kursiv"))
    weight, found = "regular", italic
    for word, cls in _WEIGHT_WORDS:
        if word in s:
            weight, found = cls, True
            break
    return weight, italic, found


def _style_of(family, style, path):
    """Weight and slant from the file name when it names them (some fonts' name tables say
    "Light" for every face), else from the style name; and a style label to show."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    squash = lambda t: t.lower().replace(" ", "").replace("-", "").replace("_", "")
    rest = squash(stem).replace(squash(family), "", 1)
    weight, italic, found = _classify(rest)
    if found:
        by_style = _classify(style)
        if (by_style[0], by_style[1]) != (weight, italic):
            words = [w for w in re.split(r"[ _-]+", stem) if w.lower() not in squash(family)]
            style = " ".join(words) or style
        return style, weight, italic
    weight, italic, _ = _classify(style)
    return style, weight, italic


@functools.lru_cache(maxsize=None)
def _fc_list():
    try:
        out = subprocess.run(["fc-list", "--format", "%{family[0]}\t%{index}\t%{file}\n"],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"error: fc-list (fontconfig) is needed to find the fonts: {e}")
    rows = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].lower().endswith((".ttf", ".otf")):
            continue
        rows.append((parts[0], int(parts[1] or 0), parts[2]))
    return sorted(set(rows))


def faces(groups, styles="all", quiet=False):
    """The installed faces of `groups` (CORPUS_GROUPS or TRAINING_GROUPS), sorted.

    styles="basic" keeps at most regular, bold, italic and bold italic of each family (the
    nearest weights when a family has no exact regular or bold); "all" keeps every face.
    """
    by_family = {}
    for family, index, path in _fc_list():
        by_family.setdefault(family, []).append((path, index))
    result = []
    missing = []
    for group in sorted(groups):
        for family in groups[group]:
            files = by_family.get(family)
            if not files:
                missing.append(family)
                continue
            fam_faces = []
            for path, index in sorted(files):
                try:
                    style = _font(path, index, 40).getname()[1] or "Regular"
                except OSError:
                    continue
                style, weight, italic = _style_of(family, style, path)
                if not all(_has_glyph(path, index, d) for d in "0123456789"):
                    continue
                fam_faces.append(Face(group, family, style, path, index, weight, italic))
            if styles == "basic":
                fam_faces = _basic(fam_faces)
            result.extend(fam_faces)
    if missing and not quiet:
        print(f"note: fonts not installed, skipped: {', '.join(missing)}", file=sys.stderr)
    return result


_ORDER = {"regular": 0, "medium": 1, "semibold": 2, "light": 3, "bold": 0, "black": 1}


def _basic(fam_faces):
    picked = []
    for want_bold in (False, True):
        for want_italic in (False, True):
            pool = [f for f in fam_faces if f.italic == want_italic
                    and (f.weight in ("bold", "black", "semibold")) == want_bold]
            if not pool:
                continue
            plain = ("regular", "roman", "book", "normal", "bold", "italic", "bolditalic", "oblique",
                     "boldoblique")
            pool.sort(key=lambda f: (_ORDER.get(f.weight, 9),
                                     f.style.lower().replace(" ", "") not in plain, f.path))
            if pool[0] not in picked:
                picked.append(pool[0])
    return picked


def describe(groups):
    """Markdown lines naming each group's families (for the README)."""
    return [f"- {g}: {', '.join(groups[g])}" for g in sorted(groups)]


if __name__ == "__main__":
    for title, groups, styles in (("corpus", CORPUS_GROUPS, "basic"), ("training", TRAINING_GROUPS, "all")):
        fs = faces(groups, styles)
        print(f"{title}: {len(fs)} faces in {len({f.family for f in fs})} families, "
              f"{len({f.group for f in fs})} groups")
        for f in fs:
            print(f"  {f.group:20s} {f.name:40s} {f.weight:8s} {'italic' if f.italic else ''}")
