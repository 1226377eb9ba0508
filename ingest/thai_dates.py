"""Thai dates as documents write them — '๑๙ ธันวาคม ๒๕๖๓', 'วันที่ 15 เดือน สิงหาคม พ.ศ. 2568',
'18 เม.ย. 2562', '18 เม.ย. 62' — into Gregorian dates (Buddhist Era years less 543). A month
name OCR damaged in its marks still counts; a date that cannot exist (31 April, a year outside
2400–2700 BE or 1900–2100 CE) is no date."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ingest.lexicon import MONTHS, MONTHS_SHORT, mark_pattern, skeleton

_FULL = {skeleton(m): n for m, n in MONTHS.items()}
_SHORT = {skeleton(m).replace(".", ""): n for m, n in MONTHS_SHORT.items()}
_FULL_RE = "|".join(sorted((mark_pattern(m) for m in MONTHS), key=len, reverse=True))
# an abbreviation: its dots may be read as commas or lost
_SHORT_RE = "|".join(sorted((mark_pattern(m).replace(r"\.", r"[.,]?\s?") for m in MONTHS_SHORT), key=len,
                            reverse=True))
# the month: a word, or letters with dots (an abbreviation); month_number decides
DATE_RE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:เดือน\s*)?(?P<month>{_FULL_RE}|{_SHORT_RE}|[ก-ฮเแโใไ][ก-๛]{{3,12}}?(?=\s*(?:พ|ค|\d)))\s*(?:(?:พ\s?\.?\s?ศ\s?\.?|ค\s?\.?\s?ศ\s?\.?)\s*)?(?P<year>\d{{2,4}})(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int
    full_month: bool
    exact: bool   # the month name read without damage


def month_number(name: str) -> tuple[int | None, bool]:
    """The month a name stands for, and whether it was read without damage. A full name may also
    have one letter misread (จันวาคม): the twelve names are far enough apart for that."""
    sk = skeleton(name)
    if sk in _FULL:
        return _FULL[sk], name in MONTHS
    short = re.sub(r"[\s.,]", "", sk)
    if short in _SHORT:
        return _SHORT[short], True
    if len(sk) >= 5:
        near = [n for full, n in _FULL.items() if Levenshtein.distance(sk, full) <= 1]
        if len(near) == 1:
            return near[0], False
    return None, False


def to_gregorian(day: int, month: int, year: int, short_year: bool = False) -> dt.date | None:
    if short_year:  # '62' in a receipt stamp: the Buddhist Era year 2562
        year += 2500
    if 2400 <= year <= 2700:
        year -= 543
    elif not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every Thai date in text whose digits are Arabic (fold Thai digits first)."""
    out = []
    for m in DATE_RE.finditer(text):
        month, exact = month_number(m.group("month"))
        if month is None:
            continue
        y = m.group("year")
        name = m.group("month")
        full = not re.search(r"[.,]", name) and len(skeleton(name)) >= 5
        # a two-digit year goes with an abbreviated month only (18 เม.ย. 62); after a full
        # month name it is a four-digit year OCR cut short
        if len(y) == 3 or (len(y) == 2 and full):
            continue
        d = to_gregorian(int(m.group("day")), month, int(y), short_year=len(y) == 2)
        if d:
            out.append(FoundDate(d, m.start(), m.end(), full, exact))
    return out


def thai_date(text: str) -> dt.date | None:
    """The first Thai date in text (Thai or Arabic digits)."""
    from ingest.thai_text import fold_digits
    found = find_dates(fold_digits(text))
    return found[0].date if found else None
