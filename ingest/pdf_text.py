"""Text layers of born-digital PDFs: extraction in content-stream order and a soundness test.

pdfplumber's layout-sorted extraction scrambles Thai (zero-width marks sorted by x, a tone
mark landing after the next consonant, unmapped glyphs as "(cid:N)"). Reading the glyphs
in the order the PDF draws them, dropping unmapped glyphs and mapping the legacy private-use
Thai glyph code points back to Unicode, gives the printed text. A layer is used only when
the result is sound Thai (see `quality`); otherwise the page is OCR'd.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber

from ingest.limits import run_limited
from thai.characters import CONSONANTS, MARK_CLASS
from thai.text import normalize_thai
from thai.words import segment

# Legacy Thai presentation forms in the private use area (Microsoft/Adobe fonts, U+F700–U+F71A)
log = logging.getLogger(__name__)

PUA_THAI = {
    0xF700: "\u0e10",
    0xF701: "\u0e34",
    0xF702: "\u0e35",
    0xF703: "\u0e36",
    0xF704: "\u0e37",
    0xF705: "\u0e48",
    0xF706: "\u0e49",
    0xF707: "\u0e4a",
    0xF708: "\u0e4b",
    0xF709: "\u0e4c",
    0xF70A: "\u0e48",
    0xF70B: "\u0e49",
    0xF70C: "\u0e4a",
    0xF70D: "\u0e4b",
    0xF70E: "\u0e4c",
    0xF70F: "\u0e0d",
    0xF710: "\u0e31",
    0xF711: "\u0e4d",
    0xF712: "\u0e47",
    0xF713: "\u0e48",
    0xF714: "\u0e49",
    0xF715: "\u0e4a",
    0xF716: "\u0e4b",
    0xF717: "\u0e4c",
    0xF718: "\u0e38",
    0xF719: "\u0e39",
    0xF71A: "\u0e3a",
}

CONSONANT = f"{CONSONANTS[0]}-{CONSONANTS[-1]}"  # ก-ฮ
ABOVE_BELOW = MARK_CLASS
# A combining mark must follow a consonant (or another mark stacked on it)
_ORPHAN_MARK = re.compile(f"(?<![{CONSONANT}{ABOVE_BELOW}\u0e24\u0e26])[{ABOVE_BELOW}]")
_PUA = re.compile("[\ue000-\uf8ff]")


def page_text(page) -> str:
    """Text of one pdfplumber page, glyphs in drawing order, lines split on baseline changes."""
    out: list[str] = []
    prev_top = prev_x1 = None
    for c in page.chars:
        t = c["text"]
        if t.startswith("(cid:"):
            prev_x1 = c["x1"]  # an unmapped glyph (e.g. the second half of ำ): skip, keep position
            continue
        size = c.get("size") or 10
        if prev_top is not None and abs(c["top"] - prev_top) > size * 0.5:
            out.append("\n")
        elif prev_x1 is not None and c["x0"] - prev_x1 > size * 0.15:
            out.append(" ")
        out.append(t.translate(PUA_THAI))
        prev_top = c["top"]
        if c["x1"] > c["x0"]:
            prev_x1 = c["x1"]
    return normalize_thai("".join(out))


def extract(path: Path) -> list[str]:
    """Text of every page ('' where a page has no text layer). In this process, unlimited: what
    users send is read by `extract_limited`."""
    with pdfplumber.open(path) as pdf:
        return [page_text(p) for p in pdf.pages]


def extract_limited(path: Path, memory_mb: int, timeout_s: float) -> list[str] | None:
    """`extract` in a child process with a memory and a time limit (pdfplumber has none of its
    own: one crafted content stream can cost gigabytes); None when the child failed or ran out of
    memory or time — the pages are then OCR'd, each render under the same limits."""
    try:
        r = run_limited([sys.executable, "-m", "ingest.pdf_text", str(path)], memory_mb, timeout_s)
    except subprocess.TimeoutExpired:
        log.warning("text layer of %s: no answer in %s s", path.name, timeout_s)
        return None
    if r.returncode != 0:
        log.warning("text layer of %s unreadable (exit %s)", path.name, r.returncode)
        return None
    texts = json.loads(r.stdout)
    return [str(t) for t in texts] if isinstance(texts, list) else None


def quality(text: str, words: frozenset[str] | None = None) -> float:
    """Share of the layer's Thai that is well-formed: 1.0 is clean, 0 is empty or garbage.

    Counts orphan combining marks and leftover private-use glyphs as errors; with a word list,
    also penalises Thai runs that segment into mostly one-letter pieces (scrambled glyphs)."""
    thai = [c for c in text if "\u0e01" <= c <= "\u0e5b"]
    if len(thai) < 20:
        return 0.0
    bad = len(_ORPHAN_MARK.findall(text)) * 3 + len(_PUA.findall(text)) * 3
    score = 1.0 - bad / len(thai)
    if words is not None:
        pieces = [p for p in segment(text) if "\u0e01" <= p[:1] <= "\u0e5b"]
        if pieces:
            known = sum(len(p) for p in pieces if p in words)
            score = min(score, 0.3 + known / sum(map(len, pieces)))
    return max(0.0, score)


if __name__ == "__main__":  # the child process of extract_limited
    sys.stdout.write(json.dumps(extract(Path(sys.argv[1])), ensure_ascii=False))
