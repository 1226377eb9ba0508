"""The glyph templates the second readers (`digit_reader`, `mark_reader`) match
against: text rendered from the template fonts as a scan shows it (sharp, soft, bold), and a
disk cache for them — rendering takes seconds, and every `damrong` process (one per document in
a batch of `damrong ocr` calls) would pay that again.

The cache file is named by a hash of what the templates depend on — the reader's own source,
this module's, and the font files (path, size, modification time) — so a change to any of them
makes new templates. It is written atomically (temporary file, rename), and a damaged or
unreadable file is rendered again."""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

TLWG_DIR = Path("/usr/share/fonts/truetype/tlwg")
# the looped office faces (Debian fonts-thai-tlwg; Laksaman is metric-compatible with TH Sarabun,
# the government font)
TLWG = ["Laksaman", "Garuda", "Loma", "Kinnari", "Norasi", "Sawasdee", "Umpush", "Waree", "TlwgTypo"]
# faces shipped in `fonts/` (SIL Open Font License, Thai subsets from the fontsource npm packages):
# Sarabun, the open release of the government face, and the loopless faces whose ๑ and ๓ have no
# loop at all — signs, forms and web pages printed in them are read as often as letters in TLWG
VENDORED_DIR = Path(__file__).with_name("fonts")
VENDORED = ["sarabun", "kanit", "prompt", "athiti", "mitr", "k2d", "krub"]


def template_fonts() -> list[Path]:
    """The font files the templates are rendered from (those installed)."""
    out = [TLWG_DIR / f"{n}.ttf" for n in TLWG]
    if os.environ.get("DAMRONG_OCR_TEMPLATE_FONTS", "all") != "tlwg":
        out += [VENDORED_DIR / f"{n}-thai-400-normal.woff" for n in VENDORED]
    return [p for p in out if p.is_file()]


def render_ink(
    text: str, font: ImageFont.FreeTypeFont, px: int, blur: float, bold: int, canvas: float = 3.0
) -> np.ndarray:
    """`text` drawn in `font` at `px` pixels, thickened by a `bold`-pixel minimum filter and
    softened by a `blur` Gaussian, as an ink mask (half way between the darkest ink and paper)."""
    im = Image.new("L", (int(canvas * px), int(canvas * px)), 255)
    ImageDraw.Draw(im).text((px // 2, px // 2), text, font=font, fill=0)
    if bold:
        im = im.filter(ImageFilter.MinFilter(bold))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(im)
    return a < (float(a.min()) + float(np.median(a))) / 2


@functools.cache
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether the font has every character of `text` (a Thai subset has no '/' nor Arabic
    digits: drawn, they would be its empty box, a template that matches any square glyph)."""
    cmap = _cmap(str(font.path))
    return all(ord(c) in cmap for c in text)


def renderings(fonts: list[Path], sizes: list[tuple[int, float, int]]):
    """(font, px, blur, bold) for every installed font and every rendering size."""
    for path in fonts:
        if path.is_file():
            for px, blur, bold in sizes:
                yield ImageFont.truetype(str(path), px), px, blur, bold


def _key(owner, fonts: list[Path]) -> str:
    # the reader's source and this module's (how a template is drawn, which characters a face has)
    h = hashlib.sha256(inspect.getsource(owner).encode() + inspect.getsource(sys.modules[__name__]).encode())
    for f in fonts:
        try:
            st = f.stat()
        except OSError:
            continue
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def cache_dir() -> Path:
    """Where files derived from the installed fonts and data are kept (DAMRONG_CACHE_DIR)."""
    return Path(os.environ.get("DAMRONG_CACHE_DIR") or tempfile.gettempdir())


def cached(
    name: str, owner: object, fonts: list[Path], render: Callable[[], tuple[Sequence[np.ndarray], list[str]]]
) -> tuple[np.ndarray, list[str]]:
    """The templates `render` makes, from the cache when it holds them."""
    base = cache_dir()
    path = base / f"damrong-{name}-{_key(owner, fonts)}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            return z["vecs"], [str(x) for x in z["labels"]]
    except (OSError, KeyError, ValueError):
        pass
    vecs, labels = render()
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, vecs=np.asarray(vecs, np.float32), labels=np.array(labels))
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: render next time too
    return np.asarray(vecs, np.float32), labels
