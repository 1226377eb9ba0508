"""The glyphs of one line image and which character of Tesseract's text each one is.

A glyph is what stands in the line's body zone: a consonant, a vowel written beside it (า ะ เ
แ โ ใ ไ), a digit, a dash or dot — one connected component, or pieces of one stacked above each
other. Marks above and below the body zone are not glyphs (`mark_reader` reads those).

The glyphs, left to right, are aligned with the text's base characters (everything but the
marks above and below and spaces). Mostly by order: Tesseract's symbol boxes drift (its marks
take room in the line), so their centres only break ties, where a glyph or a character has no
partner (two digits touching, a letter broken in two). The second readers (`digit_reader`,
`mark_reader`) use this to know which characters of the text a glyph or a mark stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from thai.characters import LOWER_VOWELS as LOWER
from thai.characters import UPPER_MARKS as UPPER

GAP = 1.0  # alignment cost of a glyph or character without a partner
DRIFT = 0.2  # ... and of one x-height between partners


@dataclass
class Glyph:
    x0: int
    x1: int
    y0: int
    y1: int
    mask: np.ndarray  # its ink, in its box

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0


def ink_threshold(a: np.ndarray) -> float:
    """Half way between the darkest ink and the paper (the median: a line image is mostly paper).
    Otsu fails on a small crop of white paper with a blurred glyph: it splits the paper."""
    return (float(a.min()) + float(np.median(a))) / 2


def ink_of(grey: np.ndarray) -> np.ndarray:
    return grey < min(ink_threshold(grey), 200)


def glyphs(grey: np.ndarray, zone: tuple[int, int]) -> list[Glyph]:
    """Glyphs of a line image, left to right."""
    ink = ink_of(grey)
    n, labels, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    z0, z1 = zone
    zh = max(1, z1 - z0)
    picked = []
    for i in range(1, n):
        x, y, w, h, area = st[i]
        if area < max(3, 0.004 * zh * zh):
            continue
        if min(y + h, z1) - max(y, z0) < 0.3 * min(h, zh):
            continue
        picked.append((int(x), int(x + w), int(y), int(y + h), i))
    picked.sort()
    groups: list[list] = []
    for x0, x1, y0, y1, i in picked:
        if groups:
            g = groups[-1]
            x_overlap = min(x1, g[1]) - max(x0, g[0])
            y_overlap = min(y1, g[3]) - max(y0, g[2])
            if x_overlap > 0.5 * min(x1 - x0, g[1] - g[0]) and y_overlap < 0.3 * min(y1 - y0, g[3] - g[2]):
                g[0], g[1], g[2], g[3] = min(x0, g[0]), max(x1, g[1]), min(y0, g[2]), max(y1, g[3])
                g[4].append(i)
                continue
        groups.append([x0, x1, y0, y1, [i]])
    return [Glyph(x0, x1, y0, y1, np.isin(labels[y0:y1, x0:x1], ids)) for x0, x1, y0, y1, ids in groups]


def is_base(c: str) -> bool:
    return c not in UPPER and c not in LOWER and not c.isspace()


def align(gl: list[Glyph], chars: list[tuple[str, tuple[int, int, int, int]]], x_height: float) -> dict[int, int]:
    """Glyph index → index in `chars` (characters with their symbol boxes) of the base character
    it stands for, for every glyph that has a partner."""
    bases = [(i, (b[0] + b[2]) / 2) for i, (c, b) in enumerate(chars) if is_base(c)]
    n, m = len(gl), len(bases)
    if not n or not m:
        return {}
    gx = np.array([(g.x0 + g.x1) / 2 for g in gl])
    bx = np.array([x for _, x in bases])
    d = DRIFT * np.minimum(2.0, np.abs(gx[:, None] - bx[None, :]) / x_height)
    cost = np.zeros((n + 1, m + 1))
    cost[:, 0] = np.arange(n + 1) * GAP
    cost[0, :] = np.arange(m + 1) * GAP
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i, j] = min(cost[i - 1, j - 1] + d[i - 1, j - 1], cost[i - 1, j] + GAP, cost[i, j - 1] + GAP)
    out, i, j = {}, n, m
    while i and j:
        if np.isclose(cost[i, j], cost[i - 1, j - 1] + d[i - 1, j - 1]):
            out[i - 1] = bases[j - 1][0]
            i, j = i - 1, j - 1
        elif np.isclose(cost[i, j], cost[i - 1, j] + GAP):
            i -= 1
        else:
            j -= 1
    return out
