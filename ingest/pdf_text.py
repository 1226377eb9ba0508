"""Text layers of born-digital PDFs: extraction in content-stream order and a soundness test.

pdfplumber's layout-sorted extraction scrambles Thai (zero-width marks sorted by x, a tone
mark landing after the next consonant, unmapped glyphs as "(cid:N)"). Reading the glyphs
in the order the PDF draws them, dropping unmapped glyphs and mapping the legacy private-use
Thai glyph code points back to Unicode, gives the printed text. A layer is used only when
the result is sound (see `quality`): Thai, Latin (English, German …), other scripts or a mix;
otherwise the page is OCR'd.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

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
_THAI_ANY = re.compile("[\u0e00-\u0e7f]")
_NEEDS_GLYPHS = re.compile("[\u0e00-\u0e7f\ue000-\uf8ff]")  # Thai, or its legacy glyphs
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")  # letters (and combining marks) of any script
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f\u0300-\u036f]+")
_VOWEL = re.compile(
    "[aeiouyAEIOUY\u00c0-\u00c6\u00c8-\u00cf\u00d2-\u00d6\u00d8-\u00dd\u00e0-\u00e6\u00e8-\u00ef\u00f2-\u00f6\u00f8-\u00fd\u00ff]"
)
_CONSONANTS_RUN = re.compile("[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{6,}")
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")


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
        elif prev_x1 is not None and c["x0"] - prev_x1 > size * 0.15 and t != " " and out[-1:] != [" "]:
            out.append(" ")
        out.append(t.translate(PUA_THAI))
        prev_top = c["top"]
        if c["x1"] > c["x0"]:
            prev_x1 = c["x1"]
    return normalize_thai("".join(out))


def _pdfium_texts(path: Path) -> list[str] | None:
    """Every page's text as PDFium reads it (in C: a 117-page book in a third of a second), or
    None when PDFium cannot open the file."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None
    try:
        out = []
        for page in pdf:
            text = page.get_textpage().get_text_bounded()
            out.append(_CONTROL.sub("", text.replace("\r\n", "\n").replace("\ufffe", "")))
        return out
    finally:
        pdf.close()


def extract(path: Path) -> list[str]:
    """Text of every page ('' where a page has no text layer). A page with no Thai (nor legacy
    Thai glyphs) is taken as PDFium reads it; a Thai page is read glyph by glyph (`page_text`),
    which is what Thai needs and ten times slower. In this process, unlimited: what users send
    is read by `extract_limited`."""
    fast = _pdfium_texts(path)
    thai = {i for i, t in enumerate(fast or []) if _NEEDS_GLYPHS.search(t)}
    if fast is not None and not thai:
        return [normalize_thai(t) for t in fast]
    with pdfplumber.open(path) as pdf:
        if fast is None or len(fast) != len(pdf.pages):
            return [page_text(p) for p in pdf.pages]
        return [page_text(pdf.pages[i]) if i in thai else normalize_thai(t) for i, t in enumerate(fast)]


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


def _thai_quality(text: str, thai: list[str], words: frozenset[str] | None) -> float:
    """Share of the Thai that is well-formed: orphan combining marks and leftover private-use
    glyphs are errors; with a word list, Thai runs that segment into mostly one-letter pieces
    (scrambled glyphs) are too."""
    bad = len(_ORPHAN_MARK.findall(text)) * 3 + len(_PUA.findall(text)) * 3
    score = 1.0 - bad / len(thai)
    if words is not None:
        pieces = [p for p in segment(text) if "\u0e01" <= p[:1] <= "\u0e5b"]
        if pieces:
            known = sum(len(p) for p in pieces if p in words)
            score = min(score, 0.3 + known / sum(map(len, pieces)))
    return max(0.0, score)


def _latin_word_like(run: str) -> bool:
    """A vowel and no long run of consonants; capitals (an abbreviation) pass."""
    if run.isupper() and len(run) <= 6:
        return True
    return bool(_VOWEL.search(run)) and not _CONSONANTS_RUN.search(run)


def _other_quality(runs: list[str]) -> float:
    """Share of the letters outside Thai that sit in word-like runs. A Latin word has a vowel and
    no long run of consonants (a font without a sound Unicode map gives "xq~xq~" or "Gtkxq");
    other scripts' letters count as sound. Runs of one or two Latin letters ("th", "Fi") tell
    nothing either way."""
    runs = [r for r in runs if len(r) > 2 or not _LATIN_LETTER.search(r)]  # "th", "Fi": no evidence
    total = sum(map(len, runs))
    good = 0
    for run in runs:
        if not _LATIN_LETTER.search(run) or (_LATIN_WORD.fullmatch(run) and _latin_word_like(run)):
            good += len(run)
    return good / total if total else 0.0


def quality(text: str, words: frozenset[str] | None = None) -> float:
    """How sound a text layer is: 1.0 is clean, 0 is empty or garbage. Thai and the other
    scripts are judged each their own way and weighted by their letters; a layer of fewer than 20
    letters, or one of many symbols, control or replacement characters or mojibake ("Ã¼"),
    scores 0."""
    thai = [c for c in text if "\u0e01" <= c <= "\u0e5b"]
    runs = [r for r in _LETTER_RUN.findall(text) if not _THAI_ANY.search(r)]
    other = sum(map(len, runs))
    if len(thai) + other < 20:
        return 0.0
    visible = [c for c in text if not c.isspace()]
    junk = sum(1 for c in visible if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cn"))
    junk += len(_MOJIBAKE.findall(text)) * 2
    symbols = sum(1 for c in visible if unicodedata.category(c)[0] == "S" or c in "#$%&*+<=>@[\\]^_`{|}~")
    if junk / len(visible) > 0.02 or symbols / len(visible) > 0.25:
        return 0.0
    score_thai = _thai_quality(text, thai, words) if thai else 0.0
    score_other = _other_quality(runs) if runs else 0.0
    return (score_thai * len(thai) + score_other * other) / (len(thai) + other)


if __name__ == "__main__":  # the child process of extract_limited
    sys.stdout.write(json.dumps(extract(Path(sys.argv[1])), ensure_ascii=False))
