"""Dates in Thailand: the Buddhist Era (BE = CE + 543), the Thai month names, and the clock.

- Read from documents: '๑๙ ธันวาคม ๒๕๖๓', 'วันที่ 15 เดือน สิงหาคม พ.ศ. 2568', '18 เม.ย. 2562',
  '18 เม.ย. 62' → Gregorian dates (`find_dates`, `thai_date`). A month name OCR damaged in its
  marks still counts; a date that cannot exist (31 April, a year outside 2400–2700 BE or
  1900–2100 CE) is no date — but a day of 32–39 before a month written out is taken for the
  12–19 whose ๑ OCR read as ๓ (not exact).
- Typed by people: '2025-08-15', '15/08/2568', '๑๕/๐๘/๒๕๖๘' (`parse_date`).
- Shown to people: '19 ธันวาคม 2563' (`be_long`), '15 ส.ค. 2568' or '15 Aug 2025' (`be_short`),
  '15/08/2568' in a form field (`be_numeric`).
- The clock: times are stored in UTC (naive); days and years are Thailand's (UTC+7, no daylight
  saving): `utcnow`, `thai_time`, `thai_today`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from thai.characters import mark_pattern, skeleton
from thai.digits import fold_digits

MONTHS = {
    "มกราคม": 1,
    "กุมภาพันธ์": 2,
    "มีนาคม": 3,
    "เมษายน": 4,
    "พฤษภาคม": 5,
    "มิถุนายน": 6,
    "กรกฎาคม": 7,
    "สิงหาคม": 8,
    "กันยายน": 9,
    "ตุลาคม": 10,
    "พฤศจิกายน": 11,
    "ธันวาคม": 12,
}
MONTHS_SHORT = {
    "ม.ค.": 1,
    "ก.พ.": 2,
    "มี.ค.": 3,
    "เม.ย.": 4,
    "พ.ค.": 5,
    "มิ.ย.": 6,
    "ก.ค.": 7,
    "ส.ค.": 8,
    "ก.ย.": 9,
    "ต.ค.": 10,
    "พ.ย.": 11,
    "ธ.ค.": 12,
}
MONTH_NAMES = list(MONTHS)  # January first
MONTH_ABBRS = list(MONTHS_SHORT)
EN_MONTH_ABBRS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BE_OFFSET = 543
THAI_TIME = dt.timedelta(hours=7)

_FULL = {skeleton(m): n for m, n in MONTHS.items()}
_SHORT = {skeleton(m).replace(".", ""): n for m, n in MONTHS_SHORT.items()}
_FULL_RE = "|".join(sorted((mark_pattern(m) for m in MONTHS), key=len, reverse=True))
# an abbreviation: its dots may be read as commas or lost
_SHORT_RE = "|".join(sorted((mark_pattern(m).replace(r"\.", r"[.,]?\s?") for m in MONTHS_SHORT), key=len, reverse=True))
# the month: a word, or letters with dots (an abbreviation); month_number decides. The era
# (พ.ศ., ค.ศ.) may carry a speck read as a mark, or its ศ twice (พ.ศ์., พ.ศศ.)
DATE_RE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:เ[ก-ฮ][\u0e31-\u0e4e]{{0,2}}อน\s*)?(?P<month>{_FULL_RE}|{_SHORT_RE}|[ก-ฮเแโใไ][ก-๛]{{3,12}}?(?=\s*(?:พ|ค|\d)))\s*(?:[พค]\s?\.?\s?ศ[\u0e31-\u0e4e]?ศ?\s?[.,]{{0,2}}\s*)?(?P<year>25[ฯ.,'`\s]{{1,2}}\d{{2}}(?!\d)|\d{{2,4}}(?!\d))"
)


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int
    full_month: bool
    exact: bool  # the month name read without damage


def month_number(name: str) -> tuple[int | None, bool]:
    """The month a name stands for, and whether it was read without damage. A full name may also
    have one letter misread (จันวาคม) or a letter or two of junk before it (พผพฤษภาคม): the twelve
    names are far enough apart for that."""
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
        # specks of a fax read as a letter or two before the name (พผพฤษภาคม)
        ends = [n for full, n in _FULL.items() if sk.endswith(full) and len(sk) - len(full) <= 2]
        if len(ends) == 1:
            return ends[0], False
    return None, False


def to_gregorian(day: int, month: int, year: int, short_year: bool = False) -> dt.date | None:
    if short_year:  # '62' in a receipt stamp: the Buddhist Era year 2562
        year += 2500
    if 2400 <= year <= 2700:
        year -= BE_OFFSET
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
        if not y.isdigit():  # a speck OCR read inside the year (๒๕ฯ ๖๑): shown doubtful
            y, exact = re.sub(r"\D", "", y), False
        name = m.group("month")
        full = not re.search(r"[.,]", name) and len(skeleton(name)) >= 5
        # a two-digit year goes with an abbreviated month only (18 เม.ย. 62); after a full
        # month name it is a four-digit year OCR cut short
        if len(y) == 3 or (len(y) == 2 and full):
            continue
        day = int(m.group("day"))
        d = to_gregorian(day, month, int(y), short_year=len(y) == 2)
        if d is None and full and 32 <= day <= 39:
            # ๑ read as ๓, its look-alike in the loopless and square faces: a day that cannot
            # exist before a month written out is the ๑ of 12–19 (shown doubtful)
            d, exact = to_gregorian(day - 20, month, int(y)), False
        if d:
            out.append(FoundDate(d, m.start(), m.end(), full, exact))
    return out


def century_slip(day: dt.date, text: str) -> dt.date | None:
    """The date a hundred years on, when OCR read the ๕ of a year 25xx as ๔ (a face whose ๕ and
    ๔ differ by a hook): another date of the document (`text`, digits folded) stands a hundred
    years (±5) after it — a receipt stamp, an event the petition tells of — and every other one
    either does too or slipped as it did. None when nothing says so."""
    if day.year >= 2500 - BE_OFFSET:
        return None
    others = [d.date.year for d in find_dates(text) if d.date != day]
    later = [y for y in others if 95 <= y - day.year <= 105]
    # the others a hundred years on, or slipped as it did
    if not later or not all(y in later or abs(y - day.year) <= 5 for y in others):
        return None
    try:
        return day.replace(year=day.year + 100)
    except ValueError:  # 29 February
        return None


def thai_date(text: str) -> dt.date | None:
    """The first Thai date in text (Thai or Arabic digits)."""
    found = find_dates(fold_digits(text))
    return found[0].date if found else None


def parse_date(value: str | None) -> dt.date | None:
    """A date as people type it — '2025-08-15', '2568-08-15', '15/08/2568', '๑๕/๐๘/๒๕๖๘' — as a
    Gregorian date; BE years (above 2400) have 543 subtracted. None for nothing typed; ValueError
    for what is no date."""
    if value is None or not value.strip():
        return None
    v = fold_digits(value.strip())
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", v)
        if not m:
            raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or DD/MM/YYYY, BE or CE)")
        d, mo, y = map(int, m.groups())
    if y > 2400:
        y -= BE_OFFSET
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (no such day)") from None


# --- the clock ------------------------------------------------------------------------------


def utcnow() -> dt.datetime:
    """Now in UTC, naive: how times are stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def thai_time(utc: dt.datetime) -> dt.datetime:
    """A stored UTC time as the clock in Thailand shows it."""
    return utc + THAI_TIME


def day_start_utc(day: dt.date) -> dt.datetime:
    """Midnight at the start of a day in Thailand, as a stored (naive UTC) time."""
    return dt.datetime.combine(day, dt.time()) - THAI_TIME


def thai_today() -> dt.date:
    return thai_time(utcnow()).date()


# --- dates shown to people ------------------------------------------------------------------


def be_long(value: dt.datetime | dt.date | None, with_time: bool = False) -> str:
    """'19 ธันวาคม 2563' ('19 ธันวาคม 2563 14:05 น.' with the time); a datetime is a stored UTC
    time, shown in Thai time; '-' for none."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        value = thai_time(value)
    text = f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year + BE_OFFSET}"
    if with_time and isinstance(value, dt.datetime):
        text += f" {value:%H:%M} น."
    return text


def be_short(value: dt.date, lang: str = "th") -> str:
    """Thai: '15 ส.ค. 2568' (Buddhist Era); English: '15 Aug 2025'."""
    if lang == "th":
        return f"{value.day} {MONTH_ABBRS[value.month - 1]} {value.year + BE_OFFSET}"
    return f"{value.day} {EN_MONTH_ABBRS[value.month - 1]} {value.year}"


def be_numeric(value: dt.date | None) -> str:
    """A date for a form field, as DD/MM/YYYY in the Buddhist Era ('' for none)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}" if value else ""


def be_month(value: dt.date, lang: str = "th", long: bool = False) -> str:
    """A month: 'พ.ย. 2569' ('พฤศจิกายน 2569' long); English 'Nov 2026' ('November 2026')."""
    if lang == "th":
        names = MONTH_NAMES if long else MONTH_ABBRS
        return f"{names[value.month - 1]} {value.year + BE_OFFSET}"
    return value.strftime("%B %Y") if long else f"{EN_MONTH_ABBRS[value.month - 1]} {value.year}"


def parse_month(value: str) -> dt.date:
    """A month as people type it — '2569-11', '11/2569', '2026-11', Thai digits too — as the first
    day of that (Gregorian) month; BE years (above 2400) have 543 subtracted. ValueError for what
    is no month."""
    v = fold_digits((value or "").strip())
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", v)
    if m:
        y, mo = int(m[1]), int(m[2])
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", v)
        if not m:
            raise ValueError(f"not a month: {value!r} (use YYYY-MM, BE or CE)")
        mo, y = int(m[1]), int(m[2])
    if y > 2400:
        y -= BE_OFFSET
    if not 1 <= mo <= 12 or not 1900 <= y <= 2200:
        raise ValueError(f"not a month: {value!r}")
    return dt.date(y, mo, 1)
