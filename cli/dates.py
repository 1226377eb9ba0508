"""Dates and numbers as people type them: ISO or Thai (Buddhist Era) years, Thai or Arabic digits."""
from __future__ import annotations

import datetime as dt
import re

from ingest.thai_text import fold_digits


def parse_date(value: str | None) -> dt.date | None:
    """'2025-08-15', '2568-08-15', '15/08/2568', '๑๕/๐๘/๒๕๖๘' → a Gregorian date; BE years
    (above 2400) have 543 subtracted."""
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
        y -= 543
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (no such day)") from None


def parse_int(value: str) -> int:
    return int(fold_digits(value.strip()))
