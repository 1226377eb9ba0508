"""A second reader for Thai digits (๐–๙).

Tesseract's Thai models misread Thai digits badly in the common Thai office fonts (on the dev
corpus: ๔ read as ๕ 87% of the time, ๘ as ๕ 74%, ๖ as ๒ 50%) — and Thai digits carry the ID
numbers, document numbers and dates. This module re-reads them in a line image (one line alone,
from `layout`):

- Tesseract's text says where a number is: a stretch of digits, dashes, dots and slashes, with
  the letters Tesseract writes for digits (๗ → ฒ, ๘ → ส, ๖ → อ …) counted in where they sit
  among digits.
- The line's glyphs (`line_glyphs`: what stands in the body zone, so a tone mark above,
  like that of ที่ before a number, is never taken for a digit) are aligned with the text; those
  of the stretch are read again. Two digits that touch are cut where the ink is thinnest.
- Small glyphs are '.' or '-' by shape; the rest are matched against ๐–๙, '/' and the Thai
  letters, rendered sharp, soft and bold from the template faces (`glyph_cache`: the TLWG
  fonts — Laksaman is metric-compatible with TH Sarabun, the government font — and the vendored
  Sarabun and loopless faces). A glyph nearest a letter keeps the character Tesseract read for
  it: the number is only ever the digits it really holds — except a loopless digit's letter
  twin (ต for ๓, ว for ๖) standing between digits, opening a dashed number or closing one, and a
  lone letter Tesseract writes for a digit (ฒ alone, a day's ๗) whose glyph is nearer a digit.
"""

from __future__ import annotations

import functools
import sys

import numpy as np
from PIL import Image

from ingest.ocr import page_digits
from ingest.ocr.line_glyphs import Glyph, align, glyphs, is_base
from thai.characters import ARABIC_DIGITS, THAI_DIGITS

LETTERS = "กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาเแโใไๆ"
W, H = 20, 24
DIGITS_AND_SLASH = THAI_DIGITS + "/"
SPACE = 0.45  # a gap this share of the x-height between two glyphs of a number is a space
SEPARATOR_DISTANCE = 6.0  # what a dash or dot cut from touching glyphs counts as, against a digit
LETTER_MARGIN = 1.6  # between digits, a glyph nearest a letter is the digit if that is this near
RUN_CHARS = set(THAI_DIGITS + ARABIC_DIGITS + "-./")
# letters Tesseract writes for Thai digits (๗ → ฒ, ญ; ๘ → ส; ๖ → อ, ค ...)
CONFUSABLE = set("ฒญฆคผฝดซสอตเ")
LONE_CONFUSABLE = set("ฒญฆผฝซ")  # of those, the ones never a word or an abbreviation alone
# letters a loopless face draws almost as a digit (Noto Sans Thai, Kanit, Prompt: ๓ is ต without
# its notch, ๖ is ว with a longer hook): between two digits, such a letter is the digit unless it
# is far nearer the letter
TWINS = {"ต": "๓", "ว": "๖"}
TWIN_MARGIN = 2.6
MAX_LETTERS_BETWEEN = 3  # letters Tesseract writes for a digit and a dash (๖- read ฯงฯ) inside a number


def _normalise(ink: np.ndarray) -> np.ndarray | None:
    """A boolean ink mask → a fixed-size grey vector, the glyph's box filling it; plus its aspect."""
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    im = Image.fromarray((crop * 255).astype(np.uint8)).resize((W, H), Image.Resampling.BILINEAR)
    v = np.asarray(im, dtype=np.float32).ravel() / 255.0
    return np.concatenate([v, [4.0 * w / h]])


# each glyph rendered large and sharp, small and soft as a 300-dpi office scan shows it, and bold
# as a dark or blurred copy thickens it (px, blur, thickening)
TEMPLATE_RENDERINGS = [(64, 0.0, 0), (44, 1.0, 0), (34, 1.3, 0), (44, 0.8, 3)]


@functools.cache
def templates() -> tuple[np.ndarray, list[str]]:
    """Every template with its label (rendered once, then kept in `glyph_cache`)."""
    from ingest.ocr.glyph_cache import cached, template_fonts

    return cached("digits", sys.modules[__name__], template_fonts(), _render_templates)


def _render_templates() -> tuple[list[np.ndarray], list[str]]:
    from ingest.ocr.glyph_cache import covers, render_ink, renderings, template_fonts

    vecs, labels = [], []
    for font, px, blur, bold in renderings(template_fonts(), TEMPLATE_RENDERINGS):
        for d in THAI_DIGITS + ARABIC_DIGITS + "/" + LETTERS:
            if not covers(font, d):
                continue
            v = _normalise(render_ink(d, font, px, blur, bold, canvas=2.0))
            if v is not None:
                vecs.append(v)
                labels.append(d)
    return vecs, labels


@functools.cache
def _subset(among: str) -> tuple[np.ndarray, list[str]]:
    vecs, labels = templates()
    keep = [i for i, lab in enumerate(labels) if lab in among]
    return vecs[keep], [labels[i] for i in keep]


def nearest(ink: np.ndarray, among: str, page: str = "") -> tuple[str | None, float]:
    """The glyph (of `among`) whose template is nearest, and its distance. With `page`, the
    templates learned from the page being read (`page_digits`) are among them: "whole", all its
    digits (a glyph of a number read again); "learned", those whose digit changed (a piece cut
    from touching ones)."""
    v = _normalise(ink)
    if v is None:
        return None, float("inf")
    vecs, labels = _subset(among)
    learned = page_digits.current.get() if page else None
    extra = None if learned is None else learned.extra if page == "whole" else learned.learned
    if extra is not None:
        own = [i for i, lab in enumerate(extra[1]) if lab in among]
        if own:
            vecs = np.concatenate([vecs, extra[0][own]])
            labels = labels + [extra[1][i] for i in own]
    if not labels:
        return None, float("inf")
    d = ((vecs - v) ** 2).sum(axis=1)
    i = int(d.argmin())
    return labels[i], float(d[i])


@functools.cache
def _digit_rows() -> list[np.ndarray]:
    labels = _subset(THAI_DIGITS)[1]
    return [np.array([i for i, lab in enumerate(labels) if lab == d]) for d in THAI_DIGITS]


def _note_digit(g: Glyph, digit: str) -> None:
    """Tell the page (`page_digits`) of a glyph read as one digit: the digit, its shape and its
    distance to each digit's templates."""
    page = page_digits.current.get()
    if page is None or not page.learning:
        return
    v = _normalise(g.mask)
    if v is None:
        return
    d = ((_subset(THAI_DIGITS)[0] - v) ** 2).sum(axis=1)
    costs = np.array([d[rows].min() if len(rows) else np.inf for rows in _digit_rows()])
    page.note(digit, g.mask, v, costs, (g.x0, g.x1))


def classify(ink: np.ndarray, among: str = THAI_DIGITS) -> str | None:
    """The digit (of `among`) whose template is nearest."""
    return nearest(ink, among)[0]


def _separator(g: Glyph, zone: tuple[int, int]) -> str | None:
    zh = zone[1] - zone[0]
    if g.h < 0.4 * zh:
        if g.w > 1.6 * g.h and (g.y0 + g.y1) / 2 < zone[1] - 0.2 * zh:
            return "-"
        return "."
    return None


def _piece(mask: np.ndarray, zh: int) -> tuple[str | None, float]:
    """A piece cut from touching glyphs: a dash or a dot when low, else the nearest digit."""
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return None, float("inf")
    h = rows[-1] - rows[0] + 1
    if h < 0.4 * zh:
        w = len(np.flatnonzero(mask.any(axis=0)))
        return ("-" if w > 1.6 * h else "."), SEPARATOR_DISTANCE
    return nearest(mask, DIGITS_AND_SLASH, page="learned")


def _best_split(mask: np.ndarray, parts: int, zh: int) -> tuple[str, float]:
    """Touching digits: the cut (searched across the middle of each due place) whose pieces
    read best as digits (or a dash touching a digit), and their mean distance."""
    w = mask.shape[1]
    if parts == 1:
        label, d = _piece(mask, zh)
        return label or "", d
    best = ("", float("inf"))
    step = w / parts
    for c in range(max(2, int(0.4 * step)), min(w - 2, int(1.6 * step)) + 1, 2):
        head, dh = _piece(mask[:, :c], zh)
        if head is None:
            continue
        tail, dt = _best_split(mask[:, c:], parts - 1, zh)
        score = (dh + dt * (parts - 1)) / parts
        if score < best[1]:
            best = (head + tail, score)
    return best


def read_glyph(
    g: Glyph,
    zone: tuple[int, int],
    digit_w: float,
    among_digits: bool = False,
    twin: bool = False,
    slash_last: bool = True,
) -> str:
    """A glyph of a number: a separator, one digit, or several touching digits ('' when it
    looks like a letter). `among_digits`: the glyph stands between digits — a letter there is
    taken for the digit it is nearest unless it is clearly a letter; `twin`: right between two
    digits, where a loopless digit's letter twin (`TWINS`) is taken for the digit too;
    `slash_last`: touching digits may end in a slash (not where Tesseract read none)."""
    sep = _separator(g, zone)
    if sep:
        return sep
    label, d = nearest(g.mask, THAI_DIGITS + "/" + LETTERS, page="whole")
    if g.w > 1.4 * digit_w:
        for parts in (2, 3) if g.w > 2.4 * digit_w else (2,):
            text, ds = _best_split(g.mask, parts, zone[1] - zone[0])
            if text and ds < d and (slash_last or not text.endswith("/")):
                label, d = text, ds
    if label in LETTERS and among_digits:
        digit, dd = nearest(g.mask, DIGITS_AND_SLASH, page="whole")
        margin = TWIN_MARGIN if twin and digit is not None and TWINS.get(label or "") == digit else LETTER_MARGIN
        if digit and dd <= margin * d:
            return digit
    if label is None or label in LETTERS:
        return ""
    return label


def _twin_place(gl: list[Glyph], first: dict[int, str], k: int, zh: int) -> bool:
    """Glyph `k` stands right between a digit and a digit or dash, no space either side (so the
    ว of a letter number's /ว, after the slash and before a space, never counts)."""

    def digit_at(j: int, dash: bool) -> bool:
        read = first.get(j, "")
        if not read or abs(gl[j].x0 - gl[k].x0) > 3 * zh:
            return False
        gap = gl[k].x0 - gl[j].x1 if j < k else gl[j].x0 - gl[k].x1
        return gap < SPACE * zh and (read[-1 if j < k else 0] in THAI_DIGITS or (dash and read == "-"))

    return (digit_at(k - 1, True) and digit_at(k + 1, False)) or (digit_at(k - 1, False) and digit_at(k + 1, True))


def _opens_dashed_number(gl: list[Glyph], first: dict[int, str], k: int, zh: int) -> bool:
    """Glyph `k` opens a number as an ID's first digit does: a dash right after it, a digit
    among the three glyphs after the dash (the ones between may be digits read as letters:
    ๖-๖๗๖๘ read ว-วฒ๖๘), no space between."""
    if first.get(k + 1) != "-" or k + 2 >= len(gl):
        return False
    after = [j for j in range(k + 2, k + 5) if (first.get(j) or " ")[0] in THAI_DIGITS]
    if not after:
        return False
    return all(gl[j + 1].x0 - gl[j].x1 < SPACE * zh for j in range(k, after[0]))


def _lone_letters(chars: list[tuple[str, tuple]]) -> list[int]:
    """Letters Tesseract writes for a digit that stand alone, no mark on them and a space or the
    line's end either side: alone, none of them is a Thai word."""
    out = []
    for i, (c, _) in enumerate(chars):
        if c in LONE_CONFUSABLE:
            before = chars[i - 1][0] if i else " "
            after = chars[i + 1][0] if i + 1 < len(chars) else " "
            if before.isspace() and after.isspace():
                out.append(i)
    return out


def _said_over(chars: list[tuple[str, tuple]], g: Glyph) -> str:
    """What Tesseract read over the glyph: the characters whose boxes overlap it."""
    return "".join(c for c, b in chars if b[0] < g.x1 and b[2] > g.x0)


def _closes_number(gl: list[Glyph], first: dict[int, str], k: int, said: str, zh: int) -> bool:
    """Glyph `k` ends a number as its last digit does: Tesseract wrote a letter it writes for
    digits (๐๙๐-๓๙๘-๓๓๐๖ read …๓๓๐ว, ๗ read ญ), glued to a dashed number's digit before it, and
    a space or the line's end after it (so no word glued to a number: ๒๕คน)."""
    if said not in CONFUSABLE and said not in TWINS:
        return False
    before = first.get(k - 1, "")
    if not before or before[-1] not in THAI_DIGITS or gl[k].x0 - gl[k - 1].x1 > SPACE * zh:
        return False
    if k + 1 < len(gl) and gl[k + 1].x0 - gl[k].x1 <= SPACE * zh:
        return False
    return "-" in "".join(first.get(j, "") for j in range(k - 6, k))


def _plainly_digit(g: Glyph) -> bool:
    """A glyph far nearer a digit than any letter."""
    digit, dd = nearest(g.mask, THAI_DIGITS)
    return digit is not None and dd < 0.4 * nearest(g.mask, LETTERS)[1]


def _number_char(c: str) -> bool:
    return c in RUN_CHARS or c in CONFUSABLE or not (c.isalpha() or c.isspace() or c in "(),:;\"'")


def _between_digits(chars: list[tuple[str, tuple]], i: int) -> bool:
    """A few letters (with their marks) right before a digit or a separator, no space between:
    what Tesseract made of a digit (the stretch holds a digit before them already)."""
    letters = 0
    for c, _ in chars[i : i + 8]:
        if c.isspace():
            return False
        if not is_base(c):
            continue  # a mark on the letter
        if c in RUN_CHARS:
            return 1 <= letters <= MAX_LETTERS_BETWEEN
        if not c.isalpha():
            return False
        letters += 1
        if letters > MAX_LETTERS_BETWEEN:
            return False
    return False


def _beside_number(chars: list[tuple[str, tuple]], i: int) -> bool:
    """The base character right before or after `i` (no space between) is a digit or a
    separator, or it ends a number: a loopless ๓ or ๖ read as its letter twin (ว-วฒว๕ for
    ๖-๖๗๖๘)."""

    def base(step: int) -> str:
        j = i + step
        while 0 <= j < len(chars) and not is_base(chars[j][0]) and not chars[j][0].isspace():
            j += step
        return chars[j][0] if 0 <= j < len(chars) else " "

    before, after = base(-1), base(1)
    if before == "/" and chars[i][0] == "ว":
        return False  # the ว of a circular letter's number (ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗) is a letter
    # or the last of a stretch of letters Tesseract writes for digits (๓๓๐๖ read ต๓ตตอว)
    return before in RUN_CHARS or after in RUN_CHARS or (before in CONFUSABLE and after.isspace())


def _stretches(chars: list[tuple[str, tuple]]) -> list[list[int]]:
    """Indices of the characters of each stretch of the text that may be a number: digits,
    separators, what Tesseract writes for digits it cannot read (« » @ …) and the letters it
    takes digits for; a space inside counts when digits stand on both sides of it (the glyphs'
    gaps decide where a space really is)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, (c, _) in enumerate(chars):
        if not is_base(c) and not c.isspace():
            continue
        if c.isspace():
            nxt = next((d for d, _ in chars[i + 1 :] if is_base(d)), "")
            if cur and chars[cur[-1]][0] in RUN_CHARS and nxt in RUN_CHARS:
                cur.append(i)
            elif cur:
                out.append(cur)
                cur = []
        elif (
            _number_char(c)
            or (c in TWINS and _beside_number(chars, i))
            or (any(chars[j][0] in THAI_DIGITS + ARABIC_DIGITS for j in cur) and _between_digits(chars, i))
        ):
            cur.append(i)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    keep = []
    for st in out:
        digits = sum(chars[i][0] in THAI_DIGITS + ARABIC_DIGITS for i in st)
        # an ID or a phone number with dashes keeps its shape when Tesseract made letters of most
        # of its digits (๓-๐๘๘๙-๓๗๓๖๐-๖๒-๙ read ต-๐๕๕ส-ตฒตว๐-ว๒-๕)
        dashes = sum(chars[i][0] == "-" for i in st)
        if any(chars[i][0] in THAI_DIGITS for i in st) and (digits >= 0.4 * len(st) or (dashes >= 2 and digits >= 3)):
            keep.append(st)
    return keep


def reread_line(
    grey: np.ndarray,
    chars: list[tuple[str, tuple[int, int, int, int]]],
    zone: tuple[int, int],
    gl: list[Glyph] | None = None,
) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The characters Tesseract read in a line image (each with its symbol's box), with every
    number holding a Thai digit read again glyph by glyph."""
    stretches = _stretches(chars)
    lone = _lone_letters(chars)
    if not stretches and not lone:
        return chars
    zh = max(4, zone[1] - zone[0])
    gl = glyphs(grey, zone) if gl is None else gl
    glyph_of = {c: g for g, c in align(gl, chars, zh).items()}
    char_of = {g: c for c, g in glyph_of.items()}
    chars = list(chars)
    for i in lone:  # a day's ๗ read ฒ (วันที่ ฒ เดือน…): a lone letter whose glyph is nearer a digit
        label = nearest(gl[glyph_of[i]].mask, THAI_DIGITS + LETTERS)[0] if i in glyph_of else None
        if label and label in THAI_DIGITS:
            chars[i] = (label, chars[i][1])
    # a digit is about as wide as a consonant: the line's typical glyph width
    tall = sorted(g.w for g in gl if g.h >= 0.6 * zh) or [int(0.7 * zh)]
    digit_w = tall[len(tall) // 2]
    replace: dict[int, tuple[int, list[tuple[str, tuple]]]] = {}
    for st in stretches:
        ids = [glyph_of[i] for i in st if i in glyph_of]
        if not ids:
            continue
        g0, g1 = min(ids), max(ids)
        # glyphs beside the number that Tesseract gave no character (a digit it dropped)
        while (
            g0 > 0
            and g0 - 1 not in char_of
            and gl[g0].x0 - gl[g0 - 1].x1 < SPACE * zh
            and read_glyph(gl[g0 - 1], zone, digit_w)
        ):
            g0 -= 1
        while (
            g1 + 1 < len(gl)
            and g1 + 1 not in char_of
            and gl[g1 + 1].x0 - gl[g1].x1 < SPACE * zh
            and read_glyph(gl[g1 + 1], zone, digit_w)
        ):
            g1 += 1
        # a digit Tesseract took for a letter just beside the number (often with a space it made
        # up): the glyph reads as a digit by far, and stands as close as a digit would
        lo_char, hi_char = st[0], st[-1] + 1
        while (
            g1 + 1 < len(gl)
            and g1 + 1 in char_of
            and gl[g1 + 1].x0 - gl[g1].x1 < SPACE * zh
            and chars[char_of[g1 + 1]][0].isalpha()
            and _plainly_digit(gl[g1 + 1])
        ):
            g1 += 1
            hi_char = max(hi_char, char_of[g1] + 1)
        while (
            g0 > 0
            and g0 - 1 in char_of
            and gl[g0].x0 - gl[g0 - 1].x1 < SPACE * zh
            and chars[char_of[g0 - 1]][0].isalpha()
            and _plainly_digit(gl[g0 - 1])
        ):
            g0 -= 1
            lo_char = min(lo_char, char_of[g0])
        new: list[tuple[str, tuple]] = []
        prev, letters = None, 0
        first = {k: read_glyph(gl[k], zone, digit_w) for k in range(g0, g1 + 1)}
        for k, read in first.items():
            if len(read) == 1 and read in THAI_DIGITS:
                _note_digit(gl[k], read)
        for k, read in first.items():
            # touching digits ending in a slash where Tesseract read none are a wide digit and
            # its tail (Niramit's ๗ read ๓/): Tesseract seldom misses a slash it sees
            # (nor does a number hold two slashes running: ๐๒๗๐.๗/ว read ๐๒๗๐.๓//ว)
            if (
                len(read) > 1
                and read.endswith("/")
                and ("/" not in _said_over(chars, gl[k]) or first.get(k + 1) == "/")
            ):
                first[k] = read_glyph(gl[k], zone, digit_w, slash_last=False)
        for k in range(g0, g1 + 1):  # with any glyph between them Tesseract gave no character
            g = gl[k]
            read = first[k]
            if not read and any(first.get(j) for j in range(g0, k)) and any(first.get(j) for j in range(k + 1, g1 + 1)):
                read = read_glyph(g, zone, digit_w, among_digits=True, twin=_twin_place(gl, first, k, zh))
            elif not read and k == g0 and _opens_dashed_number(gl, first, k, zh):
                read = read_glyph(g, zone, digit_w, among_digits=True, twin=True)
            elif not read and k == g1 and k in char_of and _closes_number(gl, first, k, chars[char_of[k]][0], zh):
                read = read_glyph(g, zone, digit_w, among_digits=True, twin=chars[char_of[k]][0] in TWINS)
            if not read:  # a letter: what Tesseract read stays, unless it wrote a digit for it
                read = chars[char_of[k]][0] if k in char_of else ""
                if read and not read.isalpha():
                    letter, dl = nearest(g.mask, LETTERS)
                    if letter and dl < 0.5 * nearest(g.mask, DIGITS_AND_SLASH)[1]:
                        read = letter
                letters += 1
            if prev is not None and g.x0 - prev.x1 > SPACE * zh:
                new.append((" ", (prev.x1, g.y0, g.x0, g.y1)))
            new += [(c, (g.x0, g.y0, g.x1, g.y1)) for c in read]
            prev = g
        text = "".join(c for c, _ in new).strip()
        n_old = sum(1 for i in st if not chars[i][0].isspace())
        if not any(c in THAI_DIGITS for c in text):
            continue
        # every glyph read as part of the number: the reading stands, however many characters
        # Tesseract made of them; otherwise only a reading of about Tesseract's length
        if letters and abs(len(text.replace(" ", "")) - n_old) > max(1, n_old // 3):
            continue
        start, end = lo_char, hi_char
        while end < len(chars) and not is_base(chars[end][0]) and not chars[end][0].isspace():
            end += 1  # marks Tesseract put on a digit go with it
        # a letter right before the number that stands on no glyph of the page is Tesseract's own
        if start and chars[start - 1][0].isalpha() and is_base(chars[start - 1][0]) and start - 1 not in glyph_of:
            start -= 1
        # the number stands apart from the words beside it when its glyphs do
        if (
            end < len(chars)
            and not chars[end][0].isspace()
            and g1 + 1 < len(gl)
            and gl[g1 + 1].x0 - gl[g1].x1 > SPACE * zh
        ):
            new.append((" ", (gl[g1].x1, gl[g1].y0, gl[g1 + 1].x0, gl[g1].y1)))
        if start and not chars[start - 1][0].isspace() and g0 > 0 and gl[g0].x0 - gl[g0 - 1].x1 > SPACE * zh:
            new.insert(0, (" ", (gl[g0 - 1].x1, gl[g0].y0, gl[g0].x0, gl[g0].y1)))
        replace[start] = (end, new)
    out, i = [], 0
    while i < len(chars):
        if i in replace:
            end, new = replace[i]
            out += new
            i = end
        else:
            out.append(chars[i])
            i += 1
    return out
