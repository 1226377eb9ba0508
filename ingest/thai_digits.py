"""A second reader for Thai digits (๐–๙).

Tesseract's Thai models misread Thai digits badly in the common Thai office fonts (on the dev
corpus: ๔ read as ๕ 87% of the time, ๘ as ๕ 74%, ๖ as ๒ 50%) — and Thai digits carry the ID
numbers, document numbers and dates. This module re-reads them: every run of Thai digits on a
page (consecutive TSV boxes of digits, dashes, dots and slashes, plus the letters Tesseract
writes for digits when they sit inside such a run) is cut into glyphs at blank columns, with
each glyph taken whole even where Tesseract's box clipped it (tails of ๗ ๘ ๙); small glyphs
are told apart as '.' or '-' by shape, and the rest are matched against ๐–๙ and '/' rendered
from the installed Thai fonts, sharp and soft (TLWG: Laksaman is metric-compatible with TH
Sarabun, the government font). The run's text is replaced by the new reading."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONTS = ["Laksaman", "Garuda", "Loma", "Kinnari", "Norasi", "Sawasdee", "Umpush", "Waree", "TlwgTypo"]
W, H = 20, 24


def _normalise(ink: np.ndarray) -> np.ndarray | None:
    """A boolean ink mask → a fixed-size grey vector, the glyph's box filling it; plus its aspect."""
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    crop = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = crop.shape
    im = Image.fromarray((crop * 255).astype(np.uint8)).resize((W, H), Image.BILINEAR)
    v = np.asarray(im, dtype=np.float32).ravel() / 255.0
    return np.concatenate([v, [4.0 * w / h]])


# each glyph rendered large and sharp, and small and soft as a 300-dpi office scan shows it
TEMPLATE_RENDERINGS = [(64, 0.0), (44, 1.0), (34, 1.3)]


@functools.cache
def templates() -> tuple[np.ndarray, list[str]]:
    from PIL import ImageFilter
    vecs, labels = [], []
    for name in FONTS:
        path = FONT_DIR / f"{name}.ttf"
        if not path.is_file():
            continue
        for px, blur in TEMPLATE_RENDERINGS:
            font = ImageFont.truetype(str(path), px)
            for d in THAI_DIGITS + ARABIC_DIGITS + "/":
                im = Image.new("L", (2 * px, 2 * px), 255)
                ImageDraw.Draw(im).text((px // 3, px // 6), d, font=font, fill=0)
                if blur:
                    im = im.filter(ImageFilter.GaussianBlur(blur))
                a = np.asarray(im)
                v = _normalise(a < ink_threshold(a))
                if v is not None:
                    vecs.append(v)
                    labels.append(d)
    return np.array(vecs), labels


def classify(ink: np.ndarray, among: str = THAI_DIGITS) -> str | None:
    """The digit (of `among`) whose template is nearest."""
    v = _normalise(ink)
    if v is None:
        return None
    vecs, labels = templates()
    keep = [i for i, lab in enumerate(labels) if lab in among]
    if not keep:
        return None
    d = ((vecs[keep] - v) ** 2).sum(axis=1)
    return labels[keep[int(d.argmin())]]


def glyph_columns(ink: np.ndarray) -> list[tuple[int, int]]:
    """Column spans of ink separated by blank columns."""
    cols = ink.any(axis=0)
    spans, start = [], None
    for x, on in enumerate(cols):
        if on and start is None:
            start = x
        elif not on and start is not None:
            spans.append((start, x))
            start = None
    if start is not None:
        spans.append((start, len(cols)))
    return spans


def ink_threshold(a: np.ndarray) -> float:
    """Half way between the darkest ink and the paper (the median: a word crop is mostly paper).
    Otsu fails here: on a small crop of white paper with a blurred glyph it splits the paper."""
    return (float(a.min()) + float(np.median(a))) / 2


RUN_CHARS = set(THAI_DIGITS + ARABIC_DIGITS + "-./")
# letters Tesseract writes for Thai digits (๗ → ฒ, ญ; ๘ → ส; ๖ → อ, ค ...): part of a run when they touch it
CONFUSABLE = set("ฒญคผดซสอตเ\u0e48\u0e49")


def _grow(ink: np.ndarray, x0: int, x1: int, core0: int, core1: int) -> tuple[int, int]:
    """Rows of a glyph: its ink in the core band, extended up and down while rows stay inked
    (the tall tails of ๗ ๘ ๙ rise above the box Tesseract gives), stopping at a blank row."""
    col = ink[:, x0:x1].any(axis=1)
    top, bottom = core0, core1
    while top > 0 and col[top - 1]:
        top -= 1
    while bottom < len(col) and col[bottom]:
        bottom += 1
    return top, bottom


def read_run(grey: np.ndarray, box: tuple[int, int, int, int]) -> str | None:
    """Read a number written in Thai digits (with - . / between) from its box: glyphs cut at blank
    columns, small ones told apart as '.' or '-' by shape, the rest classified as Thai digits."""
    left, top, right, bottom = box
    h0 = bottom - top
    y0, y1 = max(0, top - h0), min(grey.shape[0], bottom + h0 // 2)
    x0 = max(0, left - h0)
    # room on both sides: the box Tesseract gives can clip the first and the last glyph; glyphs
    # are then kept when they overlap the box, whole
    crop = grey[y0:y1, x0:min(grey.shape[1], right + h0)]
    if crop.size == 0:
        return None
    ink = crop < ink_threshold(crop)
    core0, core1 = top - y0, top - y0 + h0
    spans = [sp for sp in glyph_columns(ink[core0:core1]) if ink[core0:core1, sp[0]:sp[1]].sum() > 2
             and sp[0] < right - x0 - 1 and sp[1] > left - x0 + 1]
    if not spans:
        return None
    boxes = []
    for x0, x1 in spans:
        g0, g1 = _grow(ink, x0, x1, core0, core1)
        ys = np.nonzero(ink[g0:g1, x0:x1].any(axis=1))[0]
        boxes.append((x0, x1, g0 + int(ys.min()), g0 + int(ys.max()) + 1))
    heights = sorted(b[3] - b[2] for b in boxes)
    digit_h = heights[len(heights) * 3 // 4]
    widths = sorted(b[1] - b[0] for b in boxes if b[3] - b[2] > 0.6 * digit_h) or [digit_h]
    digit_w = widths[len(widths) // 2]
    out = []
    for x0, x1, g0, g1 in boxes:
        w, h = x1 - x0, g1 - g0
        if h < 0.4 * digit_h:
            out.append("-" if w > 1.6 * h else ".")
            continue
        parts = max(1, round(w / digit_w)) if w > 1.6 * digit_w else 1  # touching digits
        step = w / parts
        among = THAI_DIGITS + "/" if w < 0.8 * digit_w else THAI_DIGITS  # a slash is narrow
        for k in range(parts):
            g = classify(ink[g0:g1, x0 + int(k * step):x0 + int((k + 1) * step)], among)
            if g is None:
                return None
            out.append(g)
    return "".join(out)


def reread_page(image: Path, txt: str, tsv: str) -> str:
    """Re-read every run of Thai digits on the page (TSV word boxes) and patch the text lines."""
    import re
    from ingest.line_repair import pair_with_text, parse_lines
    lines = parse_lines(tsv)
    if not any(ch in THAI_DIGITS for ln in lines for w, _ in ln.words for ch in w):
        return txt
    pairs = pair_with_text(txt, lines)
    if pairs is None:
        return txt  # cannot pair text lines with boxes safely
    out = txt.splitlines()
    with Image.open(image) as im:
        grey = np.asarray(im.convert("L"))
    for idx, ln in pairs:
        ws = ln.words
        runs: list[list[tuple[str, tuple]]] = []
        for i, (word, box) in enumerate(ws):
            touching = bool(runs and runs[-1]) and box[0] - runs[-1][-1][1][2] < 0.5 * (box[3] - box[1])
            nxt = ws[i + 1] if i + 1 < len(ws) else None
            # a letter Tesseract wrote for a digit joins only between two pieces of the number
            # (or starts one, right before a digit)
            sandwiched = (nxt is not None and nxt[1][0] - box[2] < 0.5 * (box[3] - box[1])
                          and (set(nxt[0]) <= RUN_CHARS if not touching else set(nxt[0]) <= RUN_CHARS | CONFUSABLE))
            if set(word) <= RUN_CHARS or (sandwiched and set(word) <= RUN_CHARS | CONFUSABLE):
                if touching:
                    runs[-1].append((word, box))
                else:
                    runs.append([(word, box)])
            else:
                runs.append([])
        line, cursor = out[idx], 0
        for run in runs:
            if not run or not any(ch in THAI_DIGITS for w, _ in run for ch in w):
                continue
            box = (min(b[0] for _, b in run), min(b[1] for _, b in run),
                   max(b[2] for _, b in run), max(b[3] for _, b in run))
            new = read_run(grey, (box[0] - 1, box[1], box[2] + 1, box[3]))
            m = re.compile(r"\s*".join(re.escape(w) for w, _ in run)).search(line, cursor)
            if not new or m is None:
                continue
            line = line[:m.start()] + new + line[m.end():]
            cursor = m.start() + len(new)
        out[idx] = line
    return "\n".join(out)
