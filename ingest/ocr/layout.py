"""Text lines of a cleaned page, found from its connected components, each with every mark it owns.

Tesseract's own layout analysis often takes the row of Thai upper vowels and tone marks above a
line (or the lower vowels below it) for a line of its own, and then reads the line without them
(หน้าที่ → หนาท) plus a junk line of marks. Here the ink is split into connected components:

- components the size of a consonant ("bodies") are chained into lines left to right, each to
  the nearest body on its right that stands on the same baseline or hangs from the same top
  line (ascenders like ป, descenders like ญ) — a chain follows a line however it is tilted, so a
  photographed page whose lines are not parallel is read as well as a flat scan;
- every other component (upper and lower vowels, tone marks, dots, dashes) joins the line it is
  nearer to, counting only the paper between (a tone mark over a vowel over a consonant reaches
  its consonant through the vowel); dashes and dots join the line whose body zone holds them;
  specks far from any line are dropped;
- each line gets its own baseline (a robust fit through its letters' feet), and is cut out as an
  image of its own, turned level, holding only its own components: the marks of the line below
  that reach up into its box are left out.

Lines come in reading order: rows top to bottom (lines side by side, as a letter's number and its
agency, form one row), left to right within a row — except where the page has columns (at least
five rows each side of a band no line crosses, running beside each other): there each column is
read top to bottom before the next, and a headline across them between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

# shares of the x-height (the median height of consonant-sized components)
BODY_MIN_H, BODY_MAX_H, BODY_MIN_W = 0.7, 3.0, 0.3
CHAIN_MAX_H = 1.7  # taller bodies (two lines touching, marks stuck on) are not chained, only placed
CHAIN_GAP = 2.5  # the farthest a body's right neighbour on its line may be
ALIGN = 0.35  # feet (or tops) this close stand on one baseline (or top line)
REACH = 1.6  # how far up or down a mark may be from what it belongs to
RULE_W = 12.0  # a component this wide and thin is a ruled line, not text
PAD = 0.35  # padding around a line image
LEVEL = 0.15  # degrees: a line tilted less than this is cut out as it is
DOT_AREA = 0.04  # (x-heights squared) a dot of noise is no bigger than this …
DOT_REACH = 0.9  # … and has no writing this near
SLIVER_CUT = 0.5  # a line this much of whose letters an edge of the image cuts is a neighbour's sliver
SLIVER_PIECES = 5  # an edge that cuts this many pieces outside the lines cuts through a neighbour
HEADING_LETTERS = 3  # tall letters in a chain that make a heading's line
COLUMN_ROWS = 5  # rows on each side of a gutter that make two columns (a letter's header has fewer)
GUTTER_W = 1.0  # (x-heights) how far past a gutter a column's lines may reach
GUTTER_GAP = 0.5  # (x-heights) a gap this wide where a line crosses a gutter parts two columns' lines
GUTTER_CROSSING = 0.2  # the most lines (headlines, rules of text) that may cross a gutter


@dataclass
class Line:
    labels: list[int]
    box: tuple[int, int, int, int]  # left, top, right, bottom of everything the line owns
    slope: float  # of its baseline, dy/dx
    base: float  # baseline at x = 0 (page rows)
    cap: float  # top line of its letters at x = 0

    def zone_at(self, x: float) -> tuple[float, float]:
        """The body zone (top, bottom rows) at column x."""
        return self.cap + self.slope * x, self.base + self.slope * x

    @property
    def top(self) -> int:
        return int(round(self.zone_at((self.box[0] + self.box[2]) / 2)[0]))

    @property
    def bottom(self) -> int:
        return int(round(self.zone_at((self.box[0] + self.box[2]) / 2)[1]))


@dataclass
class Layout:
    lines: list[Line]
    labels: np.ndarray  # connected-component label of every pixel (0 = paper)
    x_height: float


@dataclass
class LineImage:
    """A line cut out, levelled: its image, its body zone (rows), and the way back to the page."""

    image: np.ndarray
    zone: tuple[int, int]
    back: np.ndarray = field(repr=False)  # 2×3 affine: line-image → page coordinates

    def to_page(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = box
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ self.back.T
        return (int(pts[:, 0].min()), int(pts[:, 1].min()), int(pts[:, 0].max()), int(pts[:, 1].max()))


def _x_height(stats: np.ndarray, scale: float) -> float:
    h, w = stats[:, 3], stats[:, 2]
    sized = (h >= 10 * scale) & (h <= 150 * scale) & (w >= 4 * scale)
    return float(np.median(h[sized])) if sized.any() else 30.0 * scale


class _Sets:
    def __init__(self, n: int):
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _chains(st: np.ndarray, chained: np.ndarray, xh: float) -> np.ndarray:
    """Group id (-1: none) of every chained body: each linked to its nearest right neighbour on
    the same baseline or top line."""
    ids = np.flatnonzero(chained)
    group = np.full(len(st), -1, np.int64)
    if not len(ids):
        return group
    x0 = st[ids, 0].astype(np.float64)
    x1 = x0 + st[ids, 2]
    y0 = st[ids, 1].astype(np.float64)
    y1 = y0 + st[ids, 3]
    sets = _Sets(len(ids))
    for k in range(len(ids)):
        gap = x0 - x1[k]
        right = (x0 > x0[k]) & (gap <= CHAIN_GAP * xh) & (gap >= -0.5 * (x1[k] - x0[k]))
        overlap = np.minimum(y1, y1[k]) - np.maximum(y0, y0[k])
        aligned = (np.abs(y1 - y1[k]) <= ALIGN * xh) | (np.abs(y0 - y0[k]) <= ALIGN * xh)
        cand = np.flatnonzero(right & aligned & (overlap >= 0.5 * np.minimum(y1 - y0, y1[k] - y0[k])))
        if len(cand):
            best = cand[np.argmin(np.maximum(gap[cand], 0) + 2 * np.abs(y1[cand] - y1[k]))]
            sets.union(k, int(best))
    roots = np.array([sets.find(k) for k in range(len(ids))])
    _, compact = np.unique(roots, return_inverse=True)
    group[ids] = compact
    return group


def _headings(st: np.ndarray, tall: np.ndarray, line_of: np.ndarray) -> np.ndarray:
    """Lines of letters too tall to chain with the page's own (a headline, a memo's title at
    twice the body size): the tall bodies of a letter's shape are chained again at their own
    size, and a chain of HEADING_LETTERS or more is a line. What is left (two lines' letters
    touching, a mark stuck on) is placed as before."""
    lettered = tall & (st[:, 2] <= 1.5 * st[:, 3])
    if lettered.sum() < HEADING_LETTERS:
        return line_of
    groups = _chains(st, lettered, float(np.median(st[lettered, 3])))
    out = line_of.copy()
    n_lines = _n_lines(line_of)
    boxes = _boxes(st, line_of, n_lines)
    k_new = n_lines
    for g in range(int(groups.max()) + 1):
        members = np.flatnonzero(groups == g)
        if len(members) < HEADING_LETTERS:
            continue
        x0, y0 = st[members, 0].min(), st[members, 1].min()
        x1, y1 = (st[members, 0] + st[members, 2]).max(), (st[members, 1] + st[members, 3]).max()
        if len(boxes):
            hit = np.flatnonzero((boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1) & (boxes[:, 3] > y0))
            size = float(np.median(st[members, 3]))
            b = boxes[hit]
            inside = (b[:, 0] >= x0 - size) & (b[:, 2] <= x1 + size) & (b[:, 1] >= y0 - size) & (b[:, 3] <= y1 + size)
            # tall letters among a text line's own (marks stuck on, a line touching the next)
            # are that line's; a "line" the heading holds whole is its marks, chained by size
            if not inside.all():
                continue
            for k in hit:
                out[line_of == k] = -1
        out[members] = k_new
        k_new += 1
    return _renumbered(out)


def _renumbered(line_of: np.ndarray) -> np.ndarray:
    """Line ids 0, 1, 2 … with none left out."""
    out = np.full(len(line_of), -1, np.int64)
    used = np.unique(line_of[line_of >= 0])
    for k_new, k in enumerate(used):
        out[line_of == k] = k_new
    return out


def _box_of(st: np.ndarray, members: np.ndarray) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) round the components `members`."""
    s = st[members]
    return (int(s[:, 0].min()), int(s[:, 1].min()), int((s[:, 0] + s[:, 2]).max()), int((s[:, 1] + s[:, 3]).max()))


def _n_lines(line_of: np.ndarray) -> int:
    """How many lines `line_of` numbers (0, 1, 2 …; -1 is none)."""
    return int(line_of.max()) + 1 if (line_of >= 0).any() else 0


def _boxes(st: np.ndarray, line_of: np.ndarray, n_lines: int) -> np.ndarray:
    """Each line's box over its members so far, one row a line."""
    return np.array([_box_of(st, np.flatnonzero(line_of == k)) for k in range(n_lines)], np.int64).reshape(-1, 4)


def _fit(st: np.ndarray, members: np.ndarray, xh: float) -> tuple[float, float, float]:
    """Slope, baseline and top line (at x = 0) through a line's letters: the median of the slopes
    between letters far apart, then the medians of their feet and tops (Theil–Sen)."""
    h = st[members, 3]
    size = float(np.median(h))
    letters = members[(h >= 0.8 * size) & (h <= 1.3 * size)]
    if len(letters) < 2:
        letters = members
    cx = st[letters, 0] + st[letters, 2] / 2.0
    feet = (st[letters, 1] + st[letters, 3]).astype(np.float64)
    tops = st[letters, 1].astype(np.float64)
    slope = 0.0
    if len(letters) >= 3:
        order = np.argsort(cx)
        cx, feet, tops = cx[order], feet[order], tops[order]
        i, j = np.triu_indices(len(cx), k=1)
        far = cx[j] - cx[i] > 3 * xh
        if far.sum() >= 3:
            sel = np.flatnonzero(far)
            if len(sel) > 2000:
                sel = sel[np.linspace(0, len(sel) - 1, 2000).astype(int)]
            slope = float(np.median((feet[j[sel]] - feet[i[sel]]) / (cx[j[sel]] - cx[i[sel]])))
            slope = max(-0.1, min(0.1, slope))
    return slope, float(np.median(feet - slope * cx)), float(np.median(tops - slope * cx))


def find_lines(ink: np.ndarray, dpi: int = 300, despeckle: bool = True) -> Layout:
    """Lines of text in a boolean ink mask of a deskewed page, in reading order. Specks too
    small to be writing are dropped (`despeckle`)."""
    scale = dpi / 300
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return Layout([], labels, 30.0 * scale)
    st = stats.copy()
    st[0] = 0  # the paper
    # the x-height from what no edge of the image cuts: a neighbour's sliver is many short pieces
    inner = (st[1:, 1] > 0) & (st[1:, 1] + st[1:, 3] < ink.shape[0])
    xh = _x_height(st[1:][inner] if inner.sum() >= 8 else st[1:], scale)
    h, w, area = st[:, 3], st[:, 2], st[:, 4]
    speck = area < (max(4, 6 * scale * scale) if despeckle else 1)
    if despeckle:
        speck |= _isolated_dots(labels, st, xh)
    rule = ((w > RULE_W * xh) & (h < 0.5 * xh)) | ((h > 4 * BODY_MAX_H * xh) & (w < 0.3 * xh))
    huge = (h > 2 * BODY_MAX_H * xh) | (w > 40 * xh)  # emblems, photos, signatures, frames
    body = (h >= BODY_MIN_H * xh) & (h <= BODY_MAX_H * xh) & (w >= BODY_MIN_W * xh) & ~rule & ~huge
    body[0] = speck[0] = False
    line_of = _chains(st, body & (h <= CHAIN_MAX_H * xh), xh)
    line_of = _drop_weak(st, line_of, xh)
    line_of = _headings(st, body & (h > CHAIN_MAX_H * xh), line_of)
    line_of, cut = _drop_slivers(st, line_of, ink.shape[0])
    n_lines = _n_lines(line_of)
    if not n_lines:
        return Layout([], labels, xh)
    fits = [_fit(st, np.flatnonzero(line_of == k), xh) for k in range(n_lines)]
    extent = np.array(
        [[st[line_of == k, 0].min(), (st[line_of == k, 0] + st[line_of == k, 2]).max()] for k in range(n_lines)],
        dtype=np.float64,
    )
    cx = st[:, 0] + st[:, 2] / 2.0
    mids = st[:, 1] + st[:, 3] / 2.0

    def zone_distance(i: int) -> np.ndarray:
        """How far component i's middle is from each line's body zone where it stands (inf off
        the line's length)."""
        d = np.full(n_lines, np.inf)
        for k, (slope, base, cap) in enumerate(fits):
            if extent[k, 0] - 2 * xh <= cx[i] <= extent[k, 1] + 2 * xh:
                top, bottom = cap + slope * cx[i], base + slope * cx[i]
                d[k] = max(top - mids[i], 0.0) + max(mids[i] - bottom, 0.0)
        return d

    rest = [i for i in range(1, n) if line_of[i] < 0 and not rule[i] and not huge[i] and not speck[i] and not cut[i]]
    # dashes, dots, tall letters, digits' small parts: in a line's body zone
    marks = []
    for i in rest:
        d = zone_distance(i)
        k = int(d.argmin())
        if d[k] == 0 or (body[i] and d[k] < 0.5 * xh):
            line_of[i] = k
        else:
            marks.append(i)
    _place_marks(st, labels, line_of, marks, xh, zone_distance, fits)
    lines = []
    for k in range(n_lines):
        members = np.flatnonzero(line_of == k)
        slope, base, cap = fits[k]
        lines.append(Line([int(m) for m in members], _box_of(st, members), slope, base, cap))
    return Layout(_reading_order(_split_at_gutter(lines, st, xh), xh), labels, xh)


def _split_at_gutter(lines: list[Line], st: np.ndarray, xh: float) -> list[Line]:
    """Columns set closer than the chaining reaches are chained across: where the page has a
    gutter, a line that crosses it with a gap of GUTTER_GAP x-heights or more at the gutter
    (nothing of it there) is the two columns' lines, and is cut in two."""
    x = _gutter(lines, xh)
    if x is None:
        return lines
    out = []
    for ln in lines:
        m = np.array(ln.labels)
        if np.median(st[m, 3]) > CHAIN_MAX_H * xh:  # a headline over both columns, word space and all
            out.append(ln)
            continue
        left = m[st[m, 0] + st[m, 2] / 2 < x]
        right = m[st[m, 0] + st[m, 2] / 2 >= x]
        if len(left) and len(right):
            gap = st[right, 0].min() - (st[left, 0] + st[left, 2]).max()
            if gap >= GUTTER_GAP * xh:
                parts = [_part(ln, side, st) for side in (left, right)]
                # a piece of the rule between the columns is no line of its own: it is left out
                out += [pt for pt in parts if pt.box[2] - pt.box[0] >= xh]
                continue
        out.append(ln)
    return out


def _part(ln: Line, members: np.ndarray, st: np.ndarray) -> Line:
    return Line([int(k) for k in members], _box_of(st, members), ln.slope, ln.base, ln.cap)


def _drop_slivers(st: np.ndarray, line_of: np.ndarray, height: int) -> tuple[np.ndarray, np.ndarray]:
    """A line cut from a page often shows a sliver of the lines above and below it: the feet of
    the one above along the top edge, the heads of the one below along the bottom. A "line" most
    of whose letters the top or bottom edge cuts is such a sliver, and so is an edge that cuts
    many pieces (SLIVER_PIECES): the sliver and every component that edge cuts outside a kept
    line are dropped (not read, nor taken for marks of the real line).
    Lines are numbered anew; returns them and the dropped components."""
    top_cut = st[:, 1] <= 0
    bottom_cut = st[:, 1] + st[:, 3] >= height
    cut = np.zeros(len(st), bool)
    out = np.full(len(line_of), -1, np.int64)
    k_new = 0
    for k in range(_n_lines(line_of)):
        members = np.flatnonzero(line_of == k)
        if max(top_cut[members].mean(), bottom_cut[members].mean()) >= SLIVER_CUT:
            cut[members] = True
            continue
        out[members] = k_new
        k_new += 1
    # an edge that cuts through many pieces cuts through a neighbour line, chained or not; a
    # line's own marks that a tight crop touches are a few at most
    for edge in (top_cut, bottom_cut):
        loose = edge & (out < 0)
        loose[0] = False
        if cut[edge].any() or loose.sum() >= SLIVER_PIECES:
            cut |= loose
    cut[0] = False
    return out, cut


def _isolated_dots(labels: np.ndarray, st: np.ndarray, xh: float) -> np.ndarray:
    """Dots of noise (a fax's or a photocopy's speckle): components no bigger than a tone mark's
    dot with no writing within DOT_REACH x-heights. A mark stands close to its letter, a full stop
    close to its word."""
    small = (st[:, 4] < DOT_AREA * xh * xh) & (st[:, 2] < 0.35 * xh) & (st[:, 3] < 0.35 * xh)
    small[0] = False
    if not small.any():
        return small
    writing = (labels > 0) & ~small[labels]
    r = max(1, int(DOT_REACH * xh))
    near = cv2.dilate(writing.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    out = np.zeros(len(st), bool)
    for i in np.flatnonzero(small):
        x, y, w, h = st[i, :4]
        if not near[y : y + h, x : x + w].any():
            out[i] = True
    return out


def _drop_weak(st: np.ndarray, line_of: np.ndarray, xh: float) -> np.ndarray:
    """A "line" whose bodies are mostly short (stacked marks, a row of vowels the size of a small
    consonant) is no line: its components are placed as marks. Lines are numbered anew."""
    h = st[:, 3]
    out = np.full(len(line_of), -1, np.int64)
    k_new = 0
    for k in range(_n_lines(line_of)):
        members = np.flatnonzero(line_of == k)
        size = float(np.median(h[members]))  # a heading's letters are larger than the page's
        letters = ((h[members] >= 0.8 * size) & (h[members] <= 1.3 * size)).sum()
        if size < 0.65 * xh or letters < max(1, 0.3 * len(members)) or (letters < 2 and len(members) < 3):
            continue
        out[members] = k_new
        k_new += 1
    return out


def _neighbour(labels: np.ndarray, st, own: int, reach: int, up: bool) -> tuple[int, int]:
    """The first other component straight above (up) or below a component, and the gap to it."""
    x, y, w, h = int(st[0]), int(st[1]), int(st[2]), int(st[3])
    if up:
        y0 = max(0, y - reach)
        win = labels[y0:y, x : x + w][::-1]
    else:
        win = labels[y + h : y + h + reach, x : x + w]
    hit = (win != 0) & (win != own)
    rows = np.flatnonzero(hit.any(axis=1))
    if not len(rows):
        return 0, reach + 1
    r = int(rows[0])
    found = win[r][hit[r]]
    return int(np.bincount(found).argmax()), r


def _place_marks(st, labels, line_of, marks: list[int], xh: float, zone_distance, fits) -> None:
    """Each mark joins the line it is nearer to, counting only the paper between. Going up, the
    way may pass other marks only above the line it reaches (a tone mark over its vowel), never
    one hanging below it: a mark under a line's lower vowel is a tone mark of the line below."""
    reach = int(REACH * xh)

    def below_line(m: int, k: int) -> bool:
        slope, base, _ = fits[k]
        return st[m, 1] >= base + slope * (st[m, 0] + st[m, 2] / 2) - 0.2 * xh

    steps = {(i, up): _neighbour(labels, st[i], i, reach, up) for i in marks for up in (True, False)}

    def path(i: int, up: bool) -> tuple[float, int]:
        total, j = 0.0, i
        passed: list[int] = []
        for _ in range(6):
            nxt, gap = steps.get((j, up), (0, reach + 1))
            if not nxt:
                return float("inf"), -1
            total += gap
            if line_of[nxt] >= 0 and (nxt, up) not in steps:
                k = int(line_of[nxt])
                if up and any(below_line(m, k) for m in passed):
                    return float("inf"), -1  # under a line's lower vowel: the next line's mark
                return total, k
            passed.append(nxt)
            j = nxt
        return float("inf"), -1

    for i in marks:
        (cost_up, k_up), (cost_down, k_down) = path(i, True), path(i, False)
        if k_down >= 0 and cost_down <= cost_up:
            line_of[i] = k_down
        elif k_up >= 0:
            line_of[i] = k_up
        else:  # a mark on its own: the nearest line, if near
            d = zone_distance(i)
            k = int(d.argmin())
            if d[k] <= 0.8 * xh:
                line_of[i] = k


def _reading_order(lines: list[Line], xh: float) -> list[Line]:
    """Columns first, where the page has them (a newspaper, a two-column form): each column top
    to bottom before the next; within a column, or on a page without columns, `_rows`."""
    gutter = _gutter(lines, xh)
    if gutter is None:
        return _rows(lines)
    left, right, spanning = _sides(lines, gutter, xh)
    spanning.sort(key=lambda ln: ln.top)
    # the page in bands between the lines that cross the gutter (a headline over both columns)
    out: list[Line] = []
    edges = [-math.inf, *(ln.top for ln in spanning), math.inf]
    for k in range(len(edges) - 1):
        lo, hi = edges[k], edges[k + 1]
        band_l = [ln for ln in left if lo <= ln.top < hi]
        band_r = [ln for ln in right if lo <= ln.top < hi]
        if _side_by_side(band_l, band_r):
            out += _reading_order(band_l, xh) + _reading_order(band_r, xh)
        else:
            out += _rows(band_l + band_r)
        if k < len(spanning):
            out.append(spanning[k])
    return out


def _rows_of(lines: list[Line]) -> int:
    """How many rows of text the lines make (a line broken at wide word spaces is one row)."""
    return len(_row_groups(lines))


def _side_by_side(left: list[Line], right: list[Line]) -> bool:
    """Two columns, not a letter's number beside its agency: each side COLUMN_ROWS rows or more,
    running beside each other for most of their height."""
    if _rows_of(left) < COLUMN_ROWS or _rows_of(right) < COLUMN_ROWS:
        return False
    l0, l1 = min(ln.top for ln in left), max(ln.bottom for ln in left)
    r0, r1 = min(ln.top for ln in right), max(ln.bottom for ln in right)
    return min(l1, r1) - max(l0, r0) > 0.5 * min(l1 - l0, r1 - r0)


def _sides(lines: list[Line], x: float, xh: float) -> tuple[list[Line], list[Line], list[Line]]:
    """The lines left of x, right of it, and across it. A line crosses only if it runs more
    than GUTTER_W x-heights past x on both sides: a column's lines may reach into the gutter
    (a rule between the columns, broken into pieces, is taken into the lines beside it)."""
    reach = GUTTER_W * xh
    left, right, across = [], [], []
    for ln in lines:
        if ln.box[0] < x - reach and ln.box[2] > x + reach:
            across.append(ln)
        elif ln.box[0] + ln.box[2] < 2 * x:
            left.append(ln)
        else:
            right.append(ln)
    return left, right, across


def _gutter(lines: list[Line], xh: float) -> float | None:
    """The x of the space between two columns: the place in the middle of the text that the
    fewest lines cross (at most GUTTER_CROSSING of them, see _sides), with COLUMN_ROWS rows on
    each side; None when there is none."""
    if len(lines) < 2 * COLUMN_ROWS:
        return None
    x0 = min(ln.box[0] for ln in lines)
    x1 = max(ln.box[2] for ln in lines)
    step = max(1.0, xh / 2)
    xs = np.arange(x0 + 0.15 * (x1 - x0), x0 + 0.85 * (x1 - x0), step)
    if not len(xs):
        return None
    lo = np.array([ln.box[0] for ln in lines], dtype=np.float64)
    hi = np.array([ln.box[2] for ln in lines], dtype=np.float64)
    reach = GUTTER_W * xh
    crossing = ((lo[None, :] < xs[:, None] - reach) & (hi[None, :] > xs[:, None] + reach)).sum(axis=1)
    for i in np.argsort(crossing, kind="stable"):
        x = float(xs[i])
        if crossing[i] > GUTTER_CROSSING * len(lines):
            return None  # a column with wide word spaces: most of its lines run across any gap
        left, right, _ = _sides(lines, x, xh)
        if _rows_of(left) >= COLUMN_ROWS and _rows_of(right) >= COLUMN_ROWS:
            return x
    return None


def _rows(lines: list[Line]) -> list[Line]:
    """Rows top to bottom (lines whose body zones overlap by half are side by side), left to
    right within a row."""
    return [ln for row in _row_groups(lines) for ln in sorted(row, key=lambda ln: ln.box[0])]


def _row_groups(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: ln.top):
        for row in rows:
            r = row[0]
            overlap = min(ln.bottom, r.bottom) - max(ln.top, r.top)
            if overlap > 0.5 * min(ln.bottom - ln.top, r.bottom - r.top) and not (
                min(ln.box[2], r.box[2]) > max(ln.box[0], r.box[0])
            ):
                row.append(ln)
                break
        else:
            rows.append([ln])
    return rows


def line_image(grey: np.ndarray, layout: Layout, line: Line) -> LineImage:
    """The line alone: its own components' pixels (with their soft edges) on white paper,
    turned so its baseline is level."""
    x0, y0, x1, y1 = line.box
    sub = layout.labels[y0:y1, x0:x1]
    mask = np.isin(sub, np.asarray(line.labels))
    mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    img = np.where(mask, grey[y0:y1, x0:x1], 255).astype(np.uint8)
    pad = max(4, int(PAD * layout.x_height))
    img = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    ox, oy = x0 - pad, y0 - pad
    mid = (line.box[0] + line.box[2]) / 2
    top, bottom = line.zone_at(mid)
    angle = math.degrees(math.atan(line.slope))
    if abs(angle) < LEVEL:
        back = np.array([[1.0, 0, ox], [0, 1.0, oy]])
        return LineImage(img, (int(round(top - oy)), int(round(bottom - oy))), back)
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    level = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)
    # the zone at the line's middle, carried into the levelled image
    zt = m @ np.array([mid - ox, top - oy, 1.0])
    zb = m @ np.array([mid - ox, bottom - oy, 1.0])
    inv = cv2.invertAffineTransform(m)
    back = inv.copy()
    back[:, 2] += (ox, oy)
    return LineImage(level, (int(round(zt[1])), int(round(zb[1]))), back)
