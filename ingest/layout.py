"""Text lines of a cleaned page, found from its connected components, each with every mark it owns.

Tesseract's own layout analysis often takes the row of Thai upper vowels and tone marks above a
line (or the lower vowels below it) for a line of its own, and then reads the line without them
(หน้าที่ → หนาท) plus a junk line of marks. Here the ink is split into connected components;
components the size of a consonant ("body" components) are grouped into lines by their vertical
centres; every other component (upper and lower vowels, tone marks, dots, dashes) joins the
component it sits closest to straight above or below it — a tone mark over a vowel over a
consonant chains to the consonant — and so the line of that component. Specks far from any line
are dropped. Each line is then cut out as its own image holding only its own components (the
marks of the line below that reach up into its box are left out), ready to be read alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

# shares of the x-height (the median height of consonant-sized components)
BODY_MIN_H, BODY_MAX_H, BODY_MIN_W = 0.7, 3.0, 0.3
LINE_GAP = 0.3          # line cores closer than this merge into one line
REACH = 1.6             # how far up or down a mark may be from what it belongs to
RULE_W = 12.0           # a component this wide and thin is a ruled line, not text
PAD = 0.35              # padding around a line image


@dataclass
class Line:
    top: int            # the body zone: where the consonants are
    bottom: int
    box: tuple[int, int, int, int]  # left, top, right, bottom of everything the line owns
    labels: list[int] = field(default_factory=list)

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass
class Layout:
    lines: list[Line]
    labels: np.ndarray   # connected-component label of every pixel (0 = paper)
    x_height: float


def _x_height(stats: np.ndarray, scale: float) -> float:
    h, w = stats[:, 3], stats[:, 2]
    sized = (h >= 10 * scale) & (h <= 150 * scale) & (w >= 4 * scale)
    return float(np.median(h[sized])) if sized.any() else 30.0 * scale


def _cores(stats: np.ndarray, body: np.ndarray, height: int, xh: float) -> list[list[int]]:
    """Vertical bands where the middles of body components lie: one band per text line."""
    prof = np.zeros(height + 1, np.int32)
    for x, y, w, h, _ in stats[body]:
        prof[y + int(0.3 * h)] += 1
        prof[y + h - int(0.3 * h)] -= 1
    on = np.cumsum(prof)[:height] > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.view(np.int8), [0]])))
    bands = [[int(a), int(b)] for a, b in zip(edges[::2], edges[1::2])]
    merged: list[list[int]] = []
    for b in bands:
        if merged and b[0] - merged[-1][1] < LINE_GAP * xh:
            merged[-1][1] = b[1]
        else:
            merged.append(b)
    return merged


def _neighbour(labels: np.ndarray, st, own: int, reach: int, up: bool) -> tuple[int, int]:
    """The first other component straight above (up) or below a component, and the gap to it."""
    x, y, w, h = int(st[0]), int(st[1]), int(st[2]), int(st[3])
    if up:
        y0 = max(0, y - reach)
        win = labels[y0:y, x:x + w][::-1]
    else:
        win = labels[y + h:y + h + reach, x:x + w]
    hit = (win != 0) & (win != own)
    rows = np.flatnonzero(hit.any(axis=1))
    if not len(rows):
        return 0, reach + 1
    r = int(rows[0])
    found = win[r][hit[r]]
    return int(np.bincount(found).argmax()), r


def _assign(st: np.ndarray, body: np.ndarray, cores: list[list[int]]) -> np.ndarray:
    line_of = np.full(len(st), -1, np.int64)
    if not cores:
        return line_of
    core_a = np.array(cores, dtype=np.float64)
    mids = st[:, 1] + st[:, 3] / 2.0
    for i in np.flatnonzero(body):
        d = np.maximum(core_a[:, 0] - mids[i], 0) + np.maximum(mids[i] - core_a[:, 1], 0)
        line_of[i] = int(d.argmin())
    return line_of


def _body_lines(st: np.ndarray, body: np.ndarray, height: int, xh: float):
    """Lines of body components. A "line" whose bodies are mostly short (stacked marks, a row
    of vowels the size of a small consonant) is no line: its components become marks."""
    cores = _cores(st, body, height, xh)
    line_of = _assign(st, body, cores)
    h = st[:, 3]
    weak = []
    for k in range(len(cores)):
        members = np.flatnonzero(line_of == k)
        letters = ((h[members] >= 0.85 * xh) & (h[members] <= 1.3 * xh)).sum()
        if letters < max(1, 0.3 * len(members)) or letters < 2 and len(members) < 3:
            weak.append(k)
    if weak:
        body = body.copy()
        body[np.isin(line_of, weak)] = False
        cores = _cores(st, body, height, xh)
        line_of = _assign(st, body, cores)
    return cores, line_of


def _zones(st: np.ndarray, line_of: np.ndarray, n_lines: int) -> np.ndarray:
    """Per line: top and bottom of its body zone, left and right of its bodies."""
    z = np.zeros((n_lines, 4))
    for k in range(n_lines):
        s = st[line_of == k]
        if not len(s):
            z[k] = (-1e9, -1e9, 0, 0)
            continue
        z[k] = (np.median(s[:, 1]), np.median(s[:, 1] + s[:, 3]), s[:, 0].min(),
                (s[:, 0] + s[:, 2]).max())
    return z


def find_lines(ink: np.ndarray, dpi: int = 300, despeckle: bool = True) -> Layout:
    """Lines of text in a boolean ink mask of a deskewed page, top to bottom. Specks too small to
    be writing are dropped (`despeckle`)."""
    scale = dpi / 300
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return Layout([], labels, 30.0 * scale)
    st = stats.copy()
    st[0] = 0  # the paper
    xh = _x_height(st[1:], scale)
    h, w, area = st[:, 3], st[:, 2], st[:, 4]
    speck = area < (max(4, 6 * scale * scale) if despeckle else 1)
    rule = ((w > RULE_W * xh) & (h < 0.5 * xh)) | ((h > 4 * BODY_MAX_H * xh) & (w < 0.3 * xh))
    huge = (h > 2 * BODY_MAX_H * xh) | (w > 40 * xh)  # emblems, photos, signatures, frames
    body = (h >= BODY_MIN_H * xh) & (h <= BODY_MAX_H * xh) & (w >= BODY_MIN_W * xh) & ~rule & ~huge
    body[0] = speck[0] = False
    cores, line_of = _body_lines(st, body, ink.shape[0], xh)
    if not cores:
        return Layout([], labels, xh)
    zones = _zones(st, line_of, len(cores))
    mids = st[:, 1] + st[:, 3] / 2.0
    centre_x = st[:, 0] + st[:, 2] / 2.0
    rest = [i for i in range(1, n) if line_of[i] < 0 and not rule[i] and not huge[i] and not speck[i]]
    # dashes, dots, commas, digits' small parts: in a line's body zone
    for i in rest:
        inside = np.flatnonzero((zones[:, 0] <= mids[i]) & (mids[i] <= zones[:, 1])
                                & (zones[:, 2] - 2 * xh <= centre_x[i]) & (centre_x[i] <= zones[:, 3] + 2 * xh))
        if len(inside):
            line_of[i] = int(inside[np.abs(zones[inside, :2].mean(axis=1) - mids[i]).argmin()])
    # marks above and below: each joins the line it is nearer to, counting only the paper between
    # (a tone mark over a vowel over a consonant reaches its consonant through the vowel)
    reach = int(REACH * xh)
    marks = [i for i in rest if line_of[i] < 0]
    steps = {(i, up): _neighbour(labels, st[i], i, reach, up) for i in marks for up in (True, False)}

    def path(i: int, up: bool) -> tuple[float, int]:
        total, j = 0.0, i
        for _ in range(6):
            nxt, gap = steps.get((j, up), (0, reach + 1))
            if not nxt:
                return float("inf"), -1
            total += gap
            if line_of[nxt] >= 0 and (nxt, up) not in steps:
                return total, int(line_of[nxt])
            j = nxt
        return float("inf"), -1

    for i in marks:
        (cost_up, k_up), (cost_down, k_down) = path(i, True), path(i, False)
        if k_down >= 0 and cost_down <= cost_up:
            line_of[i] = k_down
        elif k_up >= 0:
            line_of[i] = k_up
        else:  # a mark on its own: the nearest line, if near
            d = np.maximum(zones[:, 0] - mids[i], 0) + np.maximum(mids[i] - zones[:, 1], 0)
            k = int(d.argmin())
            if d[k] <= 0.8 * xh:
                line_of[i] = k
    lines: list[Line] = []
    for k in range(len(cores)):
        members = np.flatnonzero(line_of == k)
        if not len(members) or not body[members].any():
            continue
        s = st[members]
        bs = st[members[body[members]]]
        box = (int(s[:, 0].min()), int(s[:, 1].min()), int((s[:, 0] + s[:, 2]).max()),
               int((s[:, 1] + s[:, 3]).max()))
        top = int(np.percentile(bs[:, 1], 20))
        bottom = int(np.percentile(bs[:, 1] + bs[:, 3], 80))
        lines.append(Line(top, bottom, box, [int(m) for m in members]))
    lines.sort(key=lambda ln: (ln.top, ln.box[0]))
    return Layout(lines, labels, xh)


def line_image(grey: np.ndarray, layout: Layout, line: Line) -> tuple[np.ndarray, tuple[int, int]]:
    """The line alone: its own components' pixels (with their soft edges) on white paper, and
    where the image's top left corner lies on the page."""
    x0, y0, x1, y1 = line.box
    sub = layout.labels[y0:y1, x0:x1]
    mask = np.isin(sub, np.asarray(line.labels))
    mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    img = np.where(mask, grey[y0:y1, x0:x1], 255).astype(np.uint8)
    pad = max(4, int(PAD * layout.x_height))
    return cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255), (x0 - pad, y0 - pad)
