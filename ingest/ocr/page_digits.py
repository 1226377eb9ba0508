"""Digits learned from the page itself: a face the templates do not know is read by its own shapes.

The digit reader (`digit_reader`) matches each glyph against templates drawn from known faces. A
face unlike all of them misreads one digit as another every time it occurs: Chakra Petch's square
๑ is nearer the templates' ๓ than their ๑, Niramit's ๕ and ๘ are nearer ๔. But on one page a digit
is printed the same way each time, so the page says itself that something is wrong: the glyphs read
as ๓ come in two shapes far apart, one matching the ๓ templates well and one badly — and no glyph
on the page is read as ๑ at all, though ๑ is that second shape's next reading.

While a page's lines are read, every glyph read as one digit is noted (`note`) with its distance to
each digit's templates. `learn` then groups the glyphs by shape (average-linkage clustering of
their template vectors) and gives each group the digit nearest it; where two groups of distinct
shapes took the same digit, the one that matches it worse takes its next digit instead if:

- the group is of two glyphs or more (one glyph may be a smudge),
- it matches the digit clearly worse than the other group (`WORSE`),
- its next digit is nearly as near (`NEXT_RATIO`), and
- no group of two or more on the page reads as that digit.

A group the coarse threshold kept whole may still be two shapes: on a fax, Niramit's ๕s and the
page's one ๔ are one group, and at twice the detail every glyph is apart from every other. Its
tree then says it: the top merge stands well above the ones below (`GAP`). The part matching the
digit worse gives way as above — if the part keeping it is surely that digit (`KEEPER_SURE`: a
lone ๘ among ๙s, nearly as near ๘, keeps nothing).

Then every digit glyph of the page becomes a template (`extra`, consulted by the digit reader
for the glyphs of a number while the same page's lines are read again: those holding a group's glyphs that changed, and
those holding a glyph nearer one of them than to any template) — of the digit it was given, or
of the one it was read as: a glyph read again finds its own face's digits first. A piece cut
from touching digits is matched with the learned ones only (`learned`): a part of Niramit's wide
๗ is nearer the page's own ๓ than any template's ๗. A page in a known face, whose digits
each match their own templates, learns nothing and is read once.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from thai.characters import THAI_DIGITS

SAME_SHAPE = 40.0  # mean squared distance between glyph vectors under which two glyphs are one shape
SHAPE_W, SHAPE_H = 40, 48  # a group is parted again at twice the templates' detail …
SAME_FINE_SHAPE = 60.0  # … its parts this far apart
MIN_GROUP = 2
WORSE = 1.3  # the group to give way matches the digit this much worse than the group that keeps it
NEXT_RATIO = 1.35  # its next digit is at most this much farther than the one it took
# a group of two shapes the coarse threshold kept together: its tree's top merge this many times
# above the merge below it, and at least this far (noise of one shape stays one group) …
GAP, MIN_SPLIT = 1.6, 15.0
SHAPES_WORSE = 1.15  # … parts when the part giving way matches the digit this much worse,
KEEPER_SURE = 1.25  # and the part keeping it matches the new digit this much worse than its own


@dataclass
class PageDigits:
    """The digit glyphs seen on one page, and what was learned from them."""

    digits: list[str] = field(default_factory=list)  # what each glyph was read as
    vectors: list[np.ndarray] = field(default_factory=list)  # as the templates are (`digit_reader`)
    masks: list[np.ndarray] = field(default_factory=list)  # their ink, for `_shape` where a group is parted
    costs: list[np.ndarray] = field(default_factory=list)  # distance to each of ๐–๙'s templates
    lines: list[int] = field(default_factory=list)
    line: int = -1  # the line being read
    learning: bool = True
    extra: tuple[np.ndarray, list[str]] | None = None  # every digit glyph, as what it now reads
    learned: tuple[np.ndarray, list[str]] | None = None  # those whose digit changed
    reread: set[int] = field(default_factory=set)  # lines holding a glyph whose digit changed

    seen: set[tuple[int, tuple[int, int]]] = field(default_factory=set)

    def note(self, digit: str, mask: np.ndarray, vector: np.ndarray, costs: np.ndarray, where: tuple[int, int]) -> None:
        """A glyph of the line being read (its ink `mask`, at `where`: its columns in the line)
        read as `digit`; once per glyph, however often the line is read."""
        if self.learning and (self.line, where) not in self.seen:
            self.seen.add((self.line, where))
            self.digits.append(digit)
            self.vectors.append(vector)
            self.masks.append(mask)
            self.costs.append(costs)
            self.lines.append(self.line)

    def learn(self) -> bool:
        """Group the glyphs seen by shape and give each group its digit; True when a group's digit
        changed (its glyphs are then `extra` templates and its lines in `reread`)."""
        self.learning = False
        if len(self.vectors) < 2 * MIN_GROUP:
            return False
        costs = np.array(self.costs)
        vectors = np.array(self.vectors)
        found = _found(_groups(vectors, SAME_SHAPE), costs)
        held = _held(found)
        wanted = _wanted(found, held, set(held))
        # a group of two shapes the templates' detail cannot part (Niramit's ๕ is its ๔ with a
        # hook): parted at twice the detail, a part may take a digit no group on the page holds
        for members, _c, _d in found:
            if len(members) < 2 * MIN_GROUP or any(members is w[1] for w in wanted.values()):
                continue
            shapes = np.array([_shape(self.masks[i]) for i in members])
            parts = _found([members[p] for p in _groups(shapes, SAME_FINE_SHAPE)], costs)
            for nxt, want in _wanted(parts, _held(parts), set(held) | set(wanted)).items():
                wanted.setdefault(nxt, want)
        _wanted_by_gap(found, vectors, costs, set(held), wanted)
        if not wanted:
            return False
        # every digit of the page becomes a template of what it is read as — the learned ones of
        # their new digit — so that a glyph read again finds its own face's digits first (a ๔ that
        # stood in one group with the ๕s stays ๔)
        labels = list(self.digits)
        for nxt, (_, members) in wanted.items():
            for i in members:
                labels[i] = THAI_DIGITS[nxt]
            self.reread |= {self.lines[i] for i in members}
        vectors = vectors.astype(np.float32)
        self.extra = (vectors, labels)
        changed = [i for i, lab in enumerate(labels) if lab != self.digits[i]]
        if not changed:  # the glyphs that gave way were read as their new digit already
            self.reread.clear()
            return False
        self.learned = (vectors[changed], [labels[i] for i in changed])
        # a glyph of the page nearer a learned one than to any template (a ๑ the photograph bent
        # out of its group) is read again too
        for i, v in enumerate(vectors):
            if self.lines[i] not in self.reread and ((self.learned[0] - v) ** 2).sum(axis=1).min() < costs[i].min():
                self.reread.add(self.lines[i])
        return True


Found = list[tuple[np.ndarray, np.ndarray, int]]  # each group: its members, mean costs, digit


def _found(groups: list[np.ndarray], costs: np.ndarray) -> Found:
    out = []
    for members in groups:
        c = costs[members].mean(axis=0)
        out.append((members, c, int(c.argmin())))
    return out


def _held(found: Found) -> dict[int, float]:
    """The digit each group of two or more reads as, and how well the best of them matches it."""
    held: dict[int, float] = {}
    for members, c, d in found:
        if len(members) >= MIN_GROUP:
            held[d] = min(held.get(d, np.inf), float(c[d]))
    return held


def _wanted(found: Found, held: dict[int, float], taken: set[int]) -> dict[int, tuple[float, np.ndarray]]:
    """The groups that give way (two or more glyphs, matching their digit `WORSE` than the group
    that keeps it), each taking its next digit where that is nearly as near and not `taken`: the
    digit → (its cost, the members); the nearest group where two want one."""
    wanted: dict[int, tuple[float, np.ndarray]] = {}
    for members, c, d in found:
        if len(members) < MIN_GROUP or c[d] <= held[d] * WORSE:
            continue
        nxt = _next_digit(c, d)
        if nxt in taken or c[nxt] > NEXT_RATIO * c[d]:
            continue
        if nxt not in wanted or c[nxt] < wanted[nxt][0]:
            wanted[nxt] = (float(c[nxt]), members)
    return wanted


def _wanted_by_gap(found: Found, vectors: np.ndarray, costs: np.ndarray, held: set[int], wanted: dict) -> None:
    """Into `wanted`: the groups none of whose glyphs is wanted yet that fall clearly into two
    shapes (`_two_shapes`: Niramit's ๕s with the page's one ๔), the part matching the digit
    `SHAPES_WORSE` taking its next digit as in `_wanted` — if the part keeping the digit is
    surely that digit (`KEEPER_SURE`)."""
    for members, _c, d in found:
        if len(members) < MIN_GROUP + 1 or any(np.intersect1d(members, w[1]).size for w in wanted.values()):
            continue
        halves = _two_shapes(vectors[members])
        if halves is None:
            continue
        keep, other = sorted((members[h] for h in halves), key=lambda m: costs[m].mean(axis=0)[d])
        ck, co = costs[keep].mean(axis=0), costs[other].mean(axis=0)
        if len(other) < MIN_GROUP or co[d] <= ck[d] * SHAPES_WORSE:
            continue
        nxt = _next_digit(co, d)
        if nxt in held or nxt in wanted or co[nxt] > NEXT_RATIO * co[d]:
            continue
        if ck[nxt] < KEEPER_SURE * ck[d]:  # the part keeping the digit might be the other digit
            continue
        wanted[nxt] = (float(co[nxt]), other)


def _next_digit(c: np.ndarray, d: int) -> int:
    """The digit nearest after `d` by the costs `c`."""
    return min((k for k in range(len(THAI_DIGITS)) if k != d), key=lambda k: c[k])


def _two_shapes(vectors: np.ndarray) -> list[np.ndarray] | None:
    """The glyphs parted in two where their tree's top merge stands `GAP` times above the one
    below it (and at least `MIN_SPLIT`): two shapes, not one shape's noise."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(vectors) < 3:
        return None
    tree = linkage(vectors, method="average", metric="sqeuclidean")
    top, below = tree[-1, 2], tree[-2, 2]
    if top < MIN_SPLIT or top < GAP * below:
        return None
    ids = fcluster(tree, 2, criterion="maxclust")
    return [np.flatnonzero(ids == k) for k in (1, 2)]


def _shape(mask: np.ndarray) -> np.ndarray:
    """The glyph's ink box at `SHAPE_W` × `SHAPE_H`, grey."""
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    im = Image.fromarray((crop * 255).astype(np.uint8)).resize((SHAPE_W, SHAPE_H), Image.Resampling.BILINEAR)
    return np.asarray(im, dtype=np.float32).ravel() / 255.0


def _groups(vectors: np.ndarray, same: float) -> list[np.ndarray]:
    """Indices of the vectors grouped by average linkage, groups at most `same` apart within."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(vectors) < 2:
        return [np.arange(len(vectors))]
    tree = linkage(vectors, method="average", metric="sqeuclidean")
    ids = fcluster(tree, same, criterion="distance")
    return [np.flatnonzero(ids == k) for k in np.unique(ids)]


current: contextvars.ContextVar[PageDigits | None] = contextvars.ContextVar("page_digits", default=None)
