"""The lines of a cleaned page read one by one: each line cut out by the layout (`layout`), read
alone by Tesseract (`tesseract`), its Thai digits read again (`digit_reader`) and the marks above
it checked against the page (`mark_reader`); a doubtful line is read a second time, in black and
white and with English where Latin letters showed. A page whose first lines make no sense in
Thai is shown to Tesseract's script detection, and a page in Latin script (English, German …) is
read with English alone, without the Thai second readers. Or, with the `page` layout, the page as
Tesseract lays it out itself (the baseline the line layout is measured against). Each line comes
back with its text, a confidence and its words' boxes on the page (for the archival PDF's
invisible text layer)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

import numpy as np

from ingest.ocr import layout as lay
from ingest.ocr import page_digits
from ingest.ocr.correction import THAI_RUN
from ingest.ocr.digit_reader import reread_line
from ingest.ocr.line_glyphs import glyphs
from ingest.ocr.mark_reader import correct_line
from ingest.ocr.page_digits import PageDigits
from ingest.ocr.tesseract import Deadline, Word, recognise, script_of
from thai.lexicon import known_words
from thai.text import normalize_thai
from thai.words import segment

Box = tuple[int, int, int, int]
DOUBT = 0.12  # a line this doubtful is read a second time …
VERY_DOUBTFUL = 0.35  # … and one this doubtful with English too (an address, a web site)
LATIN_SURE = 80  # Tesseract's confidence in a Latin word read with English that is trusted
PROBE_LINES = 3  # the lines read before the page's script is in doubt …
PROBE_DOUBT = 0.3  # … how doubtful their Thai must be to ask the script detection, or …
PROBE_GLUED = 3  # … how often an Arabic digit is glued to a Thai letter ("10รนาท": Latin read as Thai)
GLUED = re.compile("[\u0e01-\u0e4e][0-9]|[0-9][\u0e01-\u0e4e]")
JUNK_PIECE = 10  # a piece this long that makes no sense in Thai may be Latin read as Thai
GLUED_THAI = re.compile("[\u0e01-\u0e4e][0-9\u0e50-\u0e59][\u0e01-\u0e4e]")  # a digit inside letters
# alone, never a line's first word (nor a closing bracket) or its last (nor an opening one)
EDGE_SPECKS = {"'", "|", "[", "]", "`", ","}
LEADING_SPECKS, TRAILING_SPECKS = EDGE_SPECKS | {")"}, EDGE_SPECKS | {"("}
LATIN_WORD = re.compile(r"(?=.{4})[A-Za-z0-9.@:/_\-]*[A-Za-z][A-Za-z0-9.@:/_\-]*")  # four characters or more


@dataclass
class LineRead:
    text: str
    words: list[tuple[str, Box]]  # the line's space-separated pieces, boxes on the page
    confidence: float | None
    word_confidence: list[float] = field(default_factory=list)  # each piece's: its least sure word's


@dataclass(frozen=True)
class Steps:
    """Which steps run (each can be switched off: settings ocr_*, measured by bench/ocr_steps.py)."""

    layout: str = "lines"  # "lines" (ingest.ocr.layout) or "page" (Tesseract's own, mode `psm`)
    psm: int = 4
    despeckle: bool = True
    binary: bool = False  # Tesseract reads the black-and-white page rather than the grey one
    digits: bool = True
    page_digits: bool = True  # digits of a face the templates misread learned from the page itself
    marks: bool = True
    second_pass: bool = True

    @classmethod
    def from_settings(cls, settings) -> Steps:
        return cls(
            layout=settings.ocr_layout,
            psm=settings.ocr_psm,
            despeckle=settings.ocr_despeckle,
            binary=settings.ocr_binarise,
            digits=settings.ocr_digits,
            page_digits=settings.ocr_page_digits,
            marks=settings.ocr_marks,
            second_pass=settings.ocr_second_pass,
        )


def _chars(words: list[Word]) -> list[tuple[str, Box]]:
    """The line's characters, each with the box of the symbol it came from; spaces between words."""
    out: list[tuple[str, Box]] = []
    for i, w in enumerate(words):
        if w.space and i and out:
            out.append((" ", w.box))
        for text, box in w.symbols:
            out += [(c, box) for c in text]
    return out


def _read(
    img: np.ndarray,
    zone: tuple[int, int],
    langs: str,
    dpi: int,
    deadline: Deadline,
    steps: Steps,
    memo: dict | None = None,
) -> tuple[str, list[Word]] | None:
    """One reading of a line image: Tesseract (what it read of the same image kept in `memo`,
    for a line read again), then the digit and mark readers."""
    key = (img.shape, hashlib.blake2b(img.tobytes(), digest_size=16).digest(), langs) if memo is not None else None
    if memo is not None and key in memo:
        words = memo[key]
    else:
        words = [w for ws in recognise(img, langs, dpi, deadline) for w in ws]
        if memo is not None:
            memo[key] = words
    if not words:
        return None
    chars = _chars(words)
    gl = glyphs(img, zone) if steps.digits or steps.marks else []
    if steps.digits:
        chars = reread_line(img, chars, zone, gl)
    text = correct_line(chars, img, zone, gl) if steps.marks else "".join(c for c, _ in chars)
    return text, words


def doubt(text: str, words: list[Word] | None = None) -> float:
    """How doubtful a reading is: the share of its Thai letters in no word of the lexicon, plus
    Latin letters (Thai alone reads English as Thai-looking junk) — except, in a reading made
    with English, the Latin of words Tesseract is sure of that are Latin through and through (an
    e-mail address, a web address, COVID-19)."""
    thai = "".join(THAI_RUN.findall(normalize_thai(text)))
    unknown = sum(len(p) for p in segment(thai) if p not in known_words()) if thai else 0
    latin = len(re.findall(r"[A-Za-z]", text))
    sure = sum(
        len(re.findall(r"[A-Za-z]", w.text))
        for w in words or []
        if w.conf >= LATIN_SURE and LATIN_WORD.fullmatch(w.text)
    )
    return (unknown + latin - sure) / max(1, len(thai) + latin)


def _latin_as_thai(text: str) -> bool:
    """A piece of the line that looks like a web or e-mail address read in Thai
    (www.damrongdhama.moi.go.th → หพพมพง.ศไลทาเอทยสูทลทาล.ท๐เ.๑๐..ป้า): ten characters or more
    without a space, mostly no Thai words, with dots or digits inside its letters. The rest of
    the line being good Thai keeps the line's doubt low, so it is looked for on its own."""
    return any(
        len(p) >= JUNK_PIECE and ("." in p[1:-1] or GLUED_THAI.search(p)) and doubt(p) > PROBE_DOUBT
        for p in text.split()
    )


def read_line(
    grey: np.ndarray,
    layout: lay.Layout,
    line: lay.Line,
    langs: str,
    dpi: int,
    deadline: Deadline,
    steps: Steps = Steps(),
    memo: dict | None = None,
) -> LineRead | None:
    cut = lay.line_image(grey, layout, line)
    img, zone = cut.image, cut.zone
    best = _read(img, zone, langs, dpi, deadline, steps, memo)
    if best is None:
        return None
    score = doubt(best[0]) if steps.second_pass else 0.0
    junk = steps.second_pass and _latin_as_thai(best[0])
    if score > DOUBT or junk:
        # read again, black and white, and with English beside Thai where Latin letters showed
        # or the Thai makes no sense
        tries = [(np.where(img < 160, 0, 255).astype(np.uint8), langs)]
        if "eng" not in langs and (re.search(r"[A-Za-z@]", best[0]) or score > VERY_DOUBTFUL or junk):
            tries.append((img, langs + "+eng"))
        for image, lang in tries:
            again = _read(image, zone, lang, dpi, deadline, steps, memo)
            if not again:
                continue
            d = doubt(again[0], again[1] if "eng" in lang else None)
            if d < score - 0.02:
                best, score = again, d
    text, words = best
    # pieces between spaces, with the union of their words' boxes (corrections keep the spaces)
    pieces, groups = text.split(" "), [[words[0]]]
    for w in words[1:]:
        (groups.append([w]) if w.space else groups[-1].append(w))
    if len(pieces) != len(groups):
        pieces, groups = [text], [words]
    kept = [(p, g) for p, g in zip(pieces, groups) if p]
    # a speck or a frame's edge read as a lone mark of punctuation at either end of the line
    while len(kept) > 1 and kept[0][0] in LEADING_SPECKS:
        kept = kept[1:]
    while len(kept) > 1 and kept[-1][0] in TRAILING_SPECKS:
        kept = kept[:-1]
    text = " ".join(p for p, _ in kept)
    boxed = [
        (
            p,
            cut.to_page(
                (min(w.box[0] for w in g), min(w.box[1] for w in g), max(w.box[2] for w in g), max(w.box[3] for w in g))
            ),
        )
        for p, g in kept
    ]
    confs = [w.conf for w in words if w.conf >= 0]
    sure = [min((w.conf for w in g if w.conf >= 0), default=0.0) for _p, g in kept]
    return LineRead(text, boxed, sum(confs) / len(confs) if confs else None, sure)


def read_lines(
    grey: np.ndarray,
    ink: np.ndarray,
    langs: str,
    dpi: int,
    deadline: Deadline,
    steps: Steps = Steps(),
    latin_langs: str = "eng",
) -> list[LineRead]:
    if steps.binary:
        grey = np.where(ink, 0, 255).astype(np.uint8)
    if steps.layout == "page":
        return _tesseract_layout(grey, langs, dpi, deadline, steps.psm)
    layout = lay.find_lines(ink, dpi, despeckle=steps.despeckle)
    reads: list[LineRead | None] = []
    # the page's own digit shapes (`page_digits`): noted while its lines are read; the lines
    # holding digits of a face the templates misread are read again with what was learned
    page = PageDigits() if steps.digits and steps.page_digits else None
    token = page_digits.current.set(page)
    memo: dict | None = {} if page else None  # Tesseract's readings, for the lines read again
    try:
        for i, line in enumerate(layout.lines):
            if page:
                page.line = i
            reads.append(read_line(grey, layout, line, langs, dpi, deadline, steps, memo))
            if i + 1 == min(PROBE_LINES, len(layout.lines)) and "eng" not in langs and _latin(reads, grey):
                latin = replace(steps, digits=False, marks=False, second_pass=False)
                reads = [read_line(grey, layout, ln, latin_langs, dpi, deadline, latin) for ln in layout.lines]
                return [r for r in reads if r and r.text.strip()]
        if page and page.learn():
            for i in sorted(page.reread):
                page.line = i
                reads[i] = read_line(grey, layout, layout.lines[i], langs, dpi, deadline, steps, memo)
    finally:
        page_digits.current.reset(token)
    return [r for r in reads if r and r.text.strip()]


def _latin(first: list[LineRead | None], grey: np.ndarray) -> bool:
    """Whether a page is in Latin script: its first lines, read in Thai, make no sense or have
    Arabic digits glued to Thai letters (Tesseract's Thai reads "Lorem ipsum" as "1.0ทอาก
    10รนาท"), and Tesseract's script detection says Latin. A clean Thai page costs nothing more;
    a doubtful one the detection, about half a second; a Latin one that and its first lines
    read twice."""
    texts = [r.text for r in first if r and r.text.strip()]
    if not texts:
        return False
    doubtful = sum(doubt(t) * len(t) for t in texts) / sum(map(len, texts))
    glued = sum(len(GLUED.findall(t)) for t in texts)
    return (doubtful > PROBE_DOUBT or glued >= PROBE_GLUED) and script_of(grey) == "Latin"


def _tesseract_layout(grey: np.ndarray, langs: str, dpi: int, deadline: Deadline, psm: int) -> list[LineRead]:
    """The page as Tesseract lays it out itself (no second readers: they need the lines'
    zones): the baseline the line layout is measured against."""
    out = []
    for words in recognise(grey, langs, dpi, deadline, psm=psm):
        text = "".join(c for c, _ in _chars(words))
        confs = [w.conf for w in words if w.conf >= 0]
        out.append(LineRead(text, [(w.text, w.box) for w in words], sum(confs) / len(confs) if confs else None))
    return out
