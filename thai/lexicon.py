"""The domain lexicon the field reader and the OCR correction check against: the 77 provinces
with the two- or three-letter codes that open their letters' numbers (สน, มห, กทม), the
ministries' codes (มท, นร, ศธ …), the districts (อำเภอ), agencies that write letters, the words
and names OCR output is checked against, and a fuzzy match that forgives what OCR gets wrong
most (the marks above and below the line) but nothing else.

Sources: PyThaiNLP's province table (names and codes) and its Volubilis word list (every entry
"อำเภอ…" is a district); the ministries' codes are the government's own (ระเบียบสำนักนายกรัฐมนตรี
ว่าด้วยงานสารบรรณ, list of รหัสพยัญชนะ)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import cast

from rapidfuzz.distance import Levenshtein

from thai.characters import skeleton
from thai.dates import MONTHS, MONTHS_SHORT
from thai.words import pythainlp_corpus, words

# รหัสพยัญชนะ of the ministries and central agencies (letters from the centre)
MINISTRY_CODES = {
    "นร": "สำนักนายกรัฐมนตรี",
    "กห": "กระทรวงกลาโหม",
    "กค": "กระทรวงการคลัง",
    "กต": "กระทรวงการต่างประเทศ",
    "กก": "กระทรวงการท่องเที่ยวและกีฬา",
    "พม": "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    "กษ": "กระทรวงเกษตรและสหกรณ์",
    "คค": "กระทรวงคมนาคม",
    "ทส": "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "ดศ": "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    "พน": "กระทรวงพลังงาน",
    "พณ": "กระทรวงพาณิชย์",
    "มท": "กระทรวงมหาดไทย",
    "ยธ": "กระทรวงยุติธรรม",
    "รง": "กระทรวงแรงงาน",
    "วธ": "กระทรวงวัฒนธรรม",
    "อว": "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม",
    "ศธ": "กระทรวงศึกษาธิการ",
    "สธ": "กระทรวงสาธารณสุข",
    "อก": "กระทรวงอุตสาหกรรม",
    "ตช": "สำนักงานตำรวจแห่งชาติ",
}
# what is never a district although Volubilis writes it after อำเภอ
NOT_DISTRICTS = {"", "ใจ", "ชายแดน", "เมือง..."}


@functools.cache
def provinces() -> dict[str, str]:
    """Province name → its code in letter numbers (สกลนคร → สน)."""
    from pythainlp.corpus.common import provinces as table

    rows = cast("list[dict[str, str]]", table(details=True))  # one dict per province with details=True
    return {p["name_th"]: p["abbr_th"] for p in rows}


@functools.cache
def letter_codes() -> dict[str, str]:
    """Code → who writes with it: the provinces' and the ministries' codes."""
    out = {code: f"จังหวัด{name}" for name, code in provinces().items()}
    out.update(MINISTRY_CODES)
    return out


@functools.cache
def districts() -> frozenset[str]:
    text = (pythainlp_corpus() / "volubilis_words_th.txt").read_text(encoding="utf-8")
    found = {ln[len("อำเภอ") :].strip() for ln in text.splitlines() if ln.startswith("อำเภอ")}
    return frozenset(found - NOT_DISTRICTS) | {"เมือง"}


@functools.cache
def subdistricts() -> frozenset[str]:
    """The names of every sub-district (ตำบล, Bangkok's แขวง), from geothai's DOPA list."""
    import geothai

    districts = [d for p in geothai.provinces() for d in geothai.districts(p.code)]
    return frozenset(sd.name_th for d in districts for sd in geothai.subdistricts(d.code))


@functools.cache
def agencies() -> frozenset[str]:
    """Names of offices that write letters to a Damrongdhama centre."""
    names = {
        "กรมการปกครอง",
        "กระทรวงมหาดไทย",
        "สำนักงานปลัดกระทรวงมหาดไทย",
        "ศูนย์ดำรงธรรมกระทรวงมหาดไทย",
        *MINISTRY_CODES.values(),
    }
    for p in provinces():
        names |= {f"ศาลากลางจังหวัด{p}", f"สำนักงานจังหวัด{p}", f"ศูนย์ดำรงธรรมจังหวัด{p}"}
    for d in districts():
        names.add(f"ที่ว่าการอำเภอ{d}")
    return frozenset(names)


@functools.cache
def known_words() -> frozenset[str]:
    """Every word the OCR correction and the second readers accept as Thai: the dictionary, the
    lexicon's places, and PyThaiNLP's lists of Thai given names and surnames (a name is a word
    too, so it is never "corrected" into something else)."""
    corpus = pythainlp_corpus()
    names: set[str] = set()
    for f in ("family_names_th.txt", "person_names_female_th.txt", "person_names_male_th.txt"):
        path = corpus / f
        if path.is_file():
            names.update(path.read_text(encoding="utf-8").split())
    return frozenset(words() | names | set(provinces()) | districts())


def domain_words() -> list[str]:
    """The names Tesseract may be given as user words: provinces (also as จังหวัด…), districts
    (also as อำเภอ…), agencies, ministries' and provinces' codes, months."""
    words = (
        set(provinces())
        | {f"จังหวัด{p}" for p in provinces()}
        | set(districts())
        | {f"อำเภอ{d}" for d in districts() if d}
        | set(agencies())
        | set(letter_codes())
        | set(MONTHS)
        | set(MONTHS_SHORT)
    )
    return sorted(w for w in words if w and " " not in w)


def closest(word: str, choices: Collection[str], max_other: int = 0) -> tuple[str | None, float]:
    """The lexicon entry `word` is, allowing any difference in the marks and `max_other` other
    edits; with a confidence (1.0 exact, less for each edit). None when nothing is close enough
    or two entries are equally close."""
    if not word:
        return None, 0.0
    if word in choices:
        return word, 1.0
    sk = skeleton(word)
    best: str | None = None
    best_d: int | None = None
    tie = False
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
    if best is None or best_d is None or tie:
        return None, 0.0
    return best, max(0.5, 0.95 - 0.05 * (best_d % 10) - 0.15 * (best_d // 10))
