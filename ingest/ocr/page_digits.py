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

Such a group's glyphs become templates of the digit they were given (`extra`, consulted by the
digit reader while the same page's lines are read again). A page in a known face, whose digits
each match their own templates, learns nothing and is read once.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

import numpy as np

from thai.characters import THAI_DIGITS

SAME_SHAPE = 40.0  # mean squared distance between glyph vectors under which two glyphs are one shape
MIN_GROUP = 2
WORSE = 1.3  # the group to give way matches the digit this much worse than the group that keeps it
NEXT_RATIO = 1.35  # its next digit is at most this much farther than the one it took


@dataclass
class PageDigits:
    """The digit glyphs seen on one page, and what was learned from them."""

    vectors: list[np.ndarray] = field(default_factory=list)
    costs: list[np.ndarray] = field(default_factory=list)  # distance to each of ๐–๙'s templates
    lines: list[int] = field(default_factory=list)
    line: int = -1  # the line being read
    learning: bool = True
    extra: tuple[np.ndarray, list[str]] | None = None
    relabelled: dict[str, str] = field(default_factory=dict)  # digit read → digit meant, for the note
    reread: set[int] = field(default_factory=set)  # lines holding a glyph whose digit changed

    seen: set[tuple[int, tuple[int, int]]] = field(default_factory=set)

    def note(self, vector: np.ndarray, costs: np.ndarray, where: tuple[int, int]) -> None:
        """A glyph of the line being read (at `where`, its columns in the line) read as one digit;
        once per glyph, however often the line is read."""
        if self.learning and (self.line, where) not in self.seen:
            self.seen.add((self.line, where))
            self.vectors.append(vector)
            self.costs.append(costs)
            self.lines.append(self.line)

    def learn(self) -> bool:
        """Group the glyphs seen by shape and give each group its digit; True when a group's digit
        changed (its glyphs are then `extra` templates and its lines in `reread`)."""
        self.learning = False
        if len(self.vectors) < 2 * MIN_GROUP:
            return False
        groups = _groups(np.array(self.vectors))
        costs = np.array(self.costs)
        found = []
        for members in groups:
            c = costs[members].mean(axis=0)
            found.append((members, c, int(c.argmin())))
        # the digit each group of two or more reads as, and how well the best of them matches it
        held: dict[int, float] = {}
        for members, c, d in found:
            if len(members) >= MIN_GROUP:
                held[d] = min(held.get(d, np.inf), float(c[d]))
        wanted: dict[int, tuple[float, np.ndarray, int]] = {}
        for members, c, d in found:
            if len(members) < MIN_GROUP or c[d] <= held[d] * WORSE:
                continue
            nxt = min((k for k in range(len(THAI_DIGITS)) if k != d), key=lambda k: c[k])
            if nxt in held or c[nxt] > NEXT_RATIO * c[d]:
                continue
            if nxt not in wanted or c[nxt] < wanted[nxt][0]:
                wanted[nxt] = (float(c[nxt]), members, d)
        if not wanted:
            return False
        vecs, labels = [], []
        for nxt, (_, members, d) in wanted.items():
            vecs += [self.vectors[i] for i in members]
            labels += [THAI_DIGITS[nxt]] * len(members)
            self.reread |= {self.lines[i] for i in members}
            self.relabelled[THAI_DIGITS[d]] = THAI_DIGITS[nxt]
        self.extra = (np.array(vecs, dtype=np.float32), labels)
        return True


def _groups(vectors: np.ndarray) -> list[np.ndarray]:
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(vectors, method="average", metric="sqeuclidean")
    ids = fcluster(tree, SAME_SHAPE, criterion="distance")
    return [np.flatnonzero(ids == k) for k in np.unique(ids)]


current: contextvars.ContextVar[PageDigits | None] = contextvars.ContextVar("page_digits", default=None)
