"""The domain lexicon the field reader and the OCR correction check against: the 77 provinces
with the two- or three-letter codes that open their letters' numbers (สน, มห, กทม), the
ministries' codes (มท, นร, ศธ …), the districts (อำเภอ), the Thai months, agencies that write
letters, and a fuzzy match that forgives what OCR gets wrong most (the marks above and below
the line) but nothing else.

Sources: PyThaiNLP's province table (names and codes) and its Volubilis word list (every entry
"อำเภอ…" is a district); the ministries' codes are the government's own (ระเบียบสำนักนายกรัฐมนตรี
ว่าด้วยงานสารบรรณ, list of รหัสพยัญชนะ)."""
from __future__ import annotations

import functools
import re

from rapidfuzz.distance import Levenshtein

MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_MARK_RE = re.compile(f"[{MARKS}]")

MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
}
MONTHS_SHORT = {
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
    "ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}

# รหัสพยัญชนะ of the ministries and central agencies (letters from the centre)
MINISTRY_CODES = {
    "นร": "สำนักนายกรัฐมนตรี", "กห": "กระทรวงกลาโหม", "กค": "กระทรวงการคลัง", "กต": "กระทรวงการต่างประเทศ",
    "กก": "กระทรวงการท่องเที่ยวและกีฬา", "พม": "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    "กษ": "กระทรวงเกษตรและสหกรณ์", "คค": "กระทรวงคมนาคม", "ทส": "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "ดศ": "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "พน": "กระทรวงพลังงาน", "พณ": "กระทรวงพาณิชย์",
    "มท": "กระทรวงมหาดไทย", "ยธ": "กระทรวงยุติธรรม", "รง": "กระทรวงแรงงาน", "วธ": "กระทรวงวัฒนธรรม",
    "อว": "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม", "ศธ": "กระทรวงศึกษาธิการ",
    "สธ": "กระทรวงสาธารณสุข", "อก": "กระทรวงอุตสาหกรรม", "ตช": "สำนักงานตำรวจแห่งชาติ",
}
# what is never a district although Volubilis writes it after อำเภอ
NOT_DISTRICTS = {"", "ใจ", "ชายแดน", "เมือง..."}


@functools.cache
def provinces() -> dict[str, str]:
    """Province name → its code in letter numbers (สกลนคร → สน)."""
    from pythainlp.corpus.common import provinces as table
    return {p["name_th"]: p["abbr_th"] for p in table(details=True)}


@functools.cache
def letter_codes() -> dict[str, str]:
    """Code → who writes with it: the provinces' and the ministries' codes."""
    out = {code: f"จังหวัด{name}" for name, code in provinces().items()}
    out.update(MINISTRY_CODES)
    return out


@functools.cache
def districts() -> frozenset[str]:
    from search.thai_words import _pythainlp_corpus
    text = (_pythainlp_corpus() / "volubilis_words_th.txt").read_text(encoding="utf-8")
    found = {ln[len("อำเภอ"):].strip() for ln in text.splitlines() if ln.startswith("อำเภอ")}
    return frozenset(found - NOT_DISTRICTS) | {"เมือง"}


@functools.cache
def agencies() -> frozenset[str]:
    """Names of offices that write letters to a Damrongdhama centre."""
    names = {"กรมการปกครอง", "กระทรวงมหาดไทย", "สำนักงานปลัดกระทรวงมหาดไทย", "ศูนย์ดำรงธรรมกระทรวงมหาดไทย",
             *MINISTRY_CODES.values()}
    for p in provinces():
        names |= {f"ศาลากลางจังหวัด{p}", f"สำนักงานจังหวัด{p}", f"ศูนย์ดำรงธรรมจังหวัด{p}"}
    for d in districts():
        names.add(f"ที่ว่าการอำเภอ{d}")
    return frozenset(names)


def domain_words() -> list[str]:
    """The names Tesseract may be given as user words: provinces (also as จังหวัด…), districts
    (also as อำเภอ…), agencies, ministries' and provinces' codes, months."""
    words = set(provinces()) | {f"จังหวัด{p}" for p in provinces()} | set(districts()) \
        | {f"อำเภอ{d}" for d in districts() if d} | set(agencies()) | set(letter_codes()) \
        | set(MONTHS) | set(MONTHS_SHORT)
    return sorted(w for w in words if w and " " not in w)


def skeleton(s: str) -> str:
    """The text without its marks above and below the line (what OCR drops or confuses)."""
    return _MARK_RE.sub("", s)


def mark_pattern(word: str) -> str:
    """A regular expression matching `word` with any of its marks missing or misread."""
    out, prev_mark = [], False
    for ch in word:
        if _MARK_RE.match(ch):
            if not prev_mark:
                out.append(f"[{MARKS}]{{0,3}}")
            prev_mark = True
        else:
            out.append(re.escape(ch))
            prev_mark = False
    return "".join(out)


def closest(word: str, choices, max_other: int = 0) -> tuple[str | None, float]:
    """The lexicon entry `word` is, allowing any difference in the marks and `max_other` other
    edits; with a confidence (1.0 exact, less for each edit). None when nothing is close enough
    or two entries are equally close."""
    if not word:
        return None, 0.0
    if word in choices:
        return word, 1.0
    sk = skeleton(word)
    best, best_d, tie = None, None, False
    for c in choices:
        if abs(len(c) - len(word)) > 4 + max_other:
            continue
        other = Levenshtein.distance(sk, skeleton(c))
        if other > max_other:
            continue
        d = other * 10 + Levenshtein.distance(word, c)
        if best_d is None or d < best_d:
            best, best_d, tie = c, d, False
        elif d == best_d:
            tie = True
    if best is None or tie:
        return None, 0.0
    return best, max(0.5, 0.95 - 0.05 * (best_d % 10) - 0.15 * (best_d // 10))
