"""A second reader for the Thai marks above the line: upper vowels (ั ิ ี ึ ื ็), tone marks
(่ ้ ๊ ๋), the thanthakhat (์) and the nikhahit of ำ.

Tesseract's Thai model drops or confuses these marks more than anything else (on the dev corpus,
after the line layout: น้ำ read as น้า, ที่ as ที, ยึด as ยืด, หนี้ as หนื้), and most such
misreadings are still Thai words, so a lexicon alone cannot tell them from the truth. The page
can: every mark is a connected component of its own above the consonant it belongs to. Here the
marks above each consonant of a line image are grouped into stacks, each mark matched against
the marks rendered from the installed Thai fonts (sharp, soft and bold), and the line's text is
corrected where the picture clearly says otherwise: a mark Tesseract left out is put back, one
it confused is replaced. A stack is changed only when every mark in it is read with a clear
margin or is one Tesseract read there too, and a change is kept only when it leaves its word at
least as good Thai (words of the lexicon) as it found it: a mark of a font the templates do not
know is easily misread.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ingest.ocr.line_glyphs import LOWER, UPPER, align, glyphs, ink_of
from thai.characters import CONSONANTS, NIKHAHIT, SARA_AA, SARA_AM, TONES, TOP_MARKS, UPPER_VOWELS
from thai.lexicon import known_words
from thai.text import normalize_thai
from thai.words import segment

S = 16  # template side
# what each rendered string holds above its consonant, bottom to top
RENDER = (
    {"ก" + v: [v] for v in UPPER_VOWELS}
    | {"ก" + t: [t] for t in TOP_MARKS}
    | {"กี" + t: ["ี", t] for t in TONES}
    | {"กิ์": ["ิ", "์"], "กำ": [NIKHAHIT], "ก่ำ": [NIKHAHIT, "่"], "ก้ำ": [NIKHAHIT, "้"]}
)
RENDERINGS = [(64, 0.0, 0), (44, 1.0, 0), (34, 1.2, 0), (44, 0.8, 3)]
MARGIN = 1.25  # the best reading must be this much nearer than the best other one
MAX_DIST = 0.35  # ... and this near at all (mean squared difference per template pixel)


def _vector(mask: np.ndarray, x_height: float) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    side = max(h, w)  # keep the shape's proportions: ่ is a stroke, ้ a hook
    sq = np.zeros((side, side), np.uint8)
    sq[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = crop * 255
    v = np.asarray(Image.fromarray(sq).resize((S, S), Image.Resampling.BILINEAR), np.float32).ravel() / 255.0
    return np.concatenate([v, [2.0 * w / x_height, 2.0 * h / x_height]])


def _components(mask: np.ndarray):
    n, lab, st, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return lab, st[1:], n - 1


@functools.cache
def templates() -> tuple[np.ndarray, list[str]]:
    """Every template with its label (rendered once, then kept in `glyph_cache`)."""
    from ingest.ocr.glyph_cache import cached, template_fonts

    return cached("marks", sys.modules[__name__], template_fonts(), _render_templates)


def _render_templates() -> tuple[list[np.ndarray], list[str]]:
    from ingest.ocr.glyph_cache import covers, render_ink, renderings, template_fonts

    vecs, labels = [], []
    for font, px, blur, bold in renderings(template_fonts(), RENDERINGS):
        lab, st, n = _components(render_ink("ก", font, px, blur, bold))
        if n != 1:
            continue
        top, xh = st[0][1], st[0][3]
        for text, marks in RENDER.items():
            if not covers(font, text):
                continue
            lab, st, n = _components(render_ink(text, font, px, blur, bold))
            above = sorted((i for i in range(n) if st[i][1] + st[i][3] <= top + 2), key=lambda i: -st[i][1])
            if len(above) != len(marks):
                continue
            for i, mark in zip(above, marks):
                vecs.append(_vector(lab == i + 1, xh))
                labels.append(mark)
    return vecs, labels


def read_mark(mask: np.ndarray, x_height: float) -> tuple[str | None, bool]:
    """The mark a component is, and whether it is read clearly."""
    vecs, labels = templates()
    d = ((vecs - _vector(mask, x_height)) ** 2).mean(axis=1)
    order = np.argsort(d)
    best = labels[order[0]]
    other = next((d[i] for i in order if labels[i] != best), np.inf)
    return best, bool(d[order[0]] <= MAX_DIST and other >= MARGIN * d[order[0]])


@dataclass
class Stack:
    x0: int
    x1: int
    marks: list[str]  # bottom to top
    clear: bool
    unclear: list[str] = field(default_factory=list)  # the marks read without a clear margin


def stacks(grey: np.ndarray, zone: tuple[int, int]) -> list[Stack]:
    """The stacks of marks above the body zone of a line image, left to right."""
    z0, z1 = zone
    xh = max(4, z1 - z0)
    ink = ink_of(grey)
    lab, st, n = _components(ink)
    upper = [
        i
        for i in range(n)
        if st[i][1] + st[i][3] <= z0 + 0.2 * xh
        and st[i][3] < 0.9 * xh
        and st[i][4] >= 0.004 * xh * xh
        and st[i][1] + st[i][3] > z0 - 1.6 * xh
    ]
    groups: list[list[int]] = []
    for i in sorted(upper, key=lambda i: st[i][0]):
        x, w = st[i][0], st[i][2]
        for g in groups:
            gx0, gx1 = min(st[j][0] for j in g), max(st[j][0] + st[j][2] for j in g)
            if min(x + w, gx1) - max(x, gx0) > 0.3 * min(w, gx1 - gx0):
                g.append(i)
                break
        else:
            groups.append([i])
    out = []
    for g in groups:
        g.sort(key=lambda i: -(st[i][1] + st[i][3]))  # bottom first
        reads = [read_mark(lab == i + 1, xh) for i in g]
        out.append(
            Stack(
                min(st[i][0] for i in g),
                max(st[i][0] + st[i][2] for i in g),
                [m for m, _ in reads if m],
                all(ok for _, ok in reads),
                [m for m, ok in reads if m and not ok],
            )
        )
    return sorted(out, key=lambda s: s.x0)


@dataclass
class Cluster:
    base: int  # index of the consonant in the text
    end: int  # index after its marks (and after ำ, which it includes)
    marks: list[str]  # the upper marks the text gives it, bottom to top (ำ as its nikhahit)


def _clusters(chars: list[tuple[str, tuple[int, int, int, int]]]) -> list[Cluster]:
    out = []
    i = 0
    while i < len(chars):
        c = chars[i][0]
        if c not in CONSONANTS:
            i += 1
            continue
        j, marks = i + 1, []
        while j < len(chars) and (chars[j][0] in UPPER or chars[j][0] in LOWER):
            if chars[j][0] in UPPER:
                marks.append(chars[j][0])
            j += 1
        if j < len(chars) and chars[j][0] == SARA_AM:
            marks.insert(0, NIKHAHIT)
            j += 1
        elif NIKHAHIT in marks and j < len(chars) and chars[j][0] == SARA_AA:
            j += 1  # Tesseract's ํา: the า belongs to the ำ
        out.append(Cluster(i, j, _bottom_up(marks)))
        i = j
    return out


def _bottom_up(marks: list[str]) -> list[str]:
    """Marks in the order they stand on the page, lowest first: vowel or nikhahit, then tone."""
    return sorted(marks, key=lambda m: 0 if m in UPPER_VOWELS or m == NIKHAHIT else 1)


def _spell(consonant: str, lower: str, marks: list[str]) -> str:
    """A cluster written out in Unicode order: consonant, vowel, lower vowel, tone; ำ last."""
    vowel = "".join(m for m in marks if m in UPPER_VOWELS)
    tone = "".join(m for m in marks if m in TOP_MARKS)
    am = SARA_AM if NIKHAHIT in marks else ""
    return consonant + vowel + lower + tone + am


def correct_line(
    text_chars: list[tuple[str, tuple[int, int, int, int]]],
    grey: np.ndarray,
    zone: tuple[int, int],
    gl: list | None = None,
) -> str:
    """The line's text (characters with the boxes of their symbols) with its marks set right where
    the stacks of marks on the page clearly disagree. Each stack belongs to the glyph right below
    it; glyphs and the text's base characters are aligned left to right."""
    chars = [c for c, _ in text_chars]
    x_height = max(4, zone[1] - zone[0])
    gl = glyphs(grey, zone) if gl is None else gl
    glyph_char = align(gl, text_chars, x_height)
    if not glyph_char:
        return "".join(chars)
    spans = [(g.x0, g.x1) for g in gl]
    order = _clusters(text_chars)
    clusters = {c.base: c for c in order}
    stack_of: dict[int, Stack] = {}
    for s in stacks(grey, zone):
        under = max(range(len(spans)), key=lambda g: min(s.x1, spans[g][1]) - max(s.x0, spans[g][0]))
        if min(s.x1, spans[under][1]) - max(s.x0, spans[under][0]) <= 0 or under not in glyph_char:
            continue
        if glyph_char[under] in clusters and glyph_char[under] not in stack_of:
            stack_of[glyph_char[under]] = s
    position = {c.base: k for k, c in enumerate(order)}
    replace: dict[int, tuple[int, str]] = {}
    for base, s in stack_of.items():
        cl = clusters[base]
        # a mark read without a clear margin still counts where Tesseract read it too (a vowel of
        # a face the templates do not know, ี near ื, under a tone mark Tesseract dropped) — to
        # add a mark, never to take one away (a stack that missed a faint mark has fewer)
        clear = s.clear or (len(s.marks) > len(cl.marks) and all(m in cl.marks for m in s.unclear))
        if not clear or not s.marks or len(s.marks) > 2 or not _plausible(s.marks) or cl.marks == s.marks:
            continue
        if not cl.marks:
            # marks Tesseract put on a neighbour that has none on the page: the alignment
            # drifted there, not Tesseract
            k = position[base]
            near = [order[j] for j in (k - 1, k + 1) if 0 <= j < len(order)]
            if any(n.marks == s.marks and n.base not in stack_of for n in near):
                continue
        lower = "".join(ch for ch in chars[cl.base + 1 : cl.end] if ch in LOWER)
        end, marks = cl.end, list(s.marks)
        had_am = NIKHAHIT in cl.marks
        if NIKHAHIT in marks and not had_am:
            # the nikhahit makes the า after the cluster ำ; with no า there it is no nikhahit
            if end < len(chars) and chars[end] == SARA_AA:
                end += 1
            else:
                continue
        elif had_am and NIKHAHIT not in marks:
            marks = _bottom_up([NIKHAHIT, *marks])  # ำ stays ำ: its circle may touch the tone above
        replace[cl.base] = (end, _spell(chars[cl.base], lower, marks))
    # each change must leave its word at least as good Thai as it found it: a mark of a font
    # the templates do not know, read as the wrong mark, mostly makes a non-word
    for base in sorted(replace):
        end, new = replace[base]
        lo, hi = _word_span(chars, base, end)
        old_word = "".join(chars[lo:hi])
        new_word = "".join(chars[lo:base]) + new + "".join(chars[end:hi])
        if _non_word_letters(new_word) > _non_word_letters(old_word):
            del replace[base]
    out, i = [], 0
    while i < len(chars):
        if i in replace:
            end, new = replace[i]
            out.append(new)
            i = end
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)


def _word_span(chars: list[str], start: int, end: int) -> tuple[int, int]:
    """The run of Thai letters (no spaces) around chars[start:end]."""
    lo, hi = start, end
    while lo > 0 and _thai(chars[lo - 1]):
        lo -= 1
    while hi < len(chars) and _thai(chars[hi]):
        hi += 1
    return lo, hi


def _thai(c: str) -> bool:
    return "\u0e01" <= c <= "\u0e4e"


def _non_word_letters(run: str) -> int:
    words = known_words()
    return sum(len(p) for p in segment(normalize_thai(run)) if p not in words)


def _plausible(marks: list[str]) -> bool:
    """At most one vowel (or nikhahit) and one tone, the vowel below."""
    vowels = [m for m in marks if m in UPPER_VOWELS or m == NIKHAHIT]
    tones = [m for m in marks if m in TOP_MARKS]
    return len(vowels) <= 1 and len(tones) <= 1 and marks == _bottom_up(marks)
