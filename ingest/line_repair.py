"""Second pass for lines Tesseract split in two.

Tesseract's page layout often takes the row of Thai upper vowels and tone marks above a line
(most often the first line of a block) for a line of its own: the marks come out as a junk line
("va 4 ๐ ๑") and the line below loses them (หน้าที่ → หนาท). Read as a single line (--psm 7)
the same pixels come out right. From the page's TSV, a line much thinner than the page's
typical line and sitting just above another line is such a split: the two are cropped together,
read again as one line, and the new reading replaces both when it holds at least as much Thai.
A split is recognised by position and content: a line with almost no Thai consonants whose
bottom touches or overlaps (within a quarter of a typical line height) the line below it.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

TOUCH = 0.25        # the marks line ends within this share of a line height above the next line
MAX_CONSONANTS = 0.3  # ... and at most this share of its characters are Thai consonants


@dataclass
class Line:
    key: tuple[int, int, int]
    left: int
    top: int
    right: int
    bottom: int
    words: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)  # text, box

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words if w.strip())


def parse_lines(tsv: str) -> list[Line]:
    lines: dict[tuple[int, int, int], Line] = {}
    for row in tsv.splitlines()[1:]:
        c = row.split("\t")
        if len(c) != 12 or c[0] != "5" or not c[11].strip():
            continue
        key = (int(c[2]), int(c[3]), int(c[4]))
        left, top, w, h = map(int, c[6:10])
        ln = lines.get(key)
        if ln is None:
            ln = lines[key] = Line(key, left, top, left + w, top + h)
        else:
            ln.left, ln.top = min(ln.left, left), min(ln.top, top)
            ln.right, ln.bottom = max(ln.right, left + w), max(ln.bottom, top + h)
        ln.words.append((c[11], (left, top, left + w, top + h)))
    return sorted(lines.values(), key=lambda ln: (ln.top, ln.left))


def pair_with_text(txt: str, lines: list[Line]) -> list[tuple[int, Line]] | None:
    """(index in txt.splitlines(), Line) for each TSV line: Tesseract writes one text line per TSV
    line, in TSV order, with its own spacing. None when the counts differ (no safe pairing)."""
    own = [i for i, t in enumerate(txt.splitlines()) if t.strip()]
    ordered = sorted(lines, key=lambda ln: ln.key)
    return list(zip(own, ordered)) if len(own) == len(ordered) else None


def _consonant_share(s: str) -> float:
    chars = [c for c in s if not c.isspace()]
    return sum("\u0e01" <= c <= "\u0e2e" for c in chars) / len(chars) if chars else 1.0


def split_pairs(lines: list[Line]) -> list[tuple[Line, Line]]:
    """(marks line, text line) pairs: a line of marks touching the top of the line below it."""
    if len(lines) < 2:
        return []
    typical = statistics.median(ln.height for ln in lines if ln.height > 0)
    pairs = []
    for i, ln in enumerate(lines):
        if _consonant_share(ln.text) > MAX_CONSONANTS:
            continue
        below = [b for b in lines if b is not ln and b.top > ln.top and b.bottom > ln.bottom
                 and b.top - ln.bottom <= TOUCH * typical
                 and min(ln.right, b.right) > max(ln.left, b.left) and _consonant_share(b.text) > MAX_CONSONANTS]
        if below:
            pairs.append((ln, min(below, key=lambda b: b.top)))
    return pairs


def thai_letters(s: str) -> int:
    return sum("\u0e01" <= ch <= "\u0e4e" for ch in s)
