"""How sure the reading of a field's own characters was, and what that does to the field's
confidence. A field's rule gives it a prior (a citizen ID whose check digit holds, a date with
a month name from the lexicon …); the OCR gives, for every piece of text it read, Tesseract's
confidence in the least sure word of it. A field read from pieces Tesseract was unsure of is
shown as unsure, whatever its rule says: a phone number in a photocopy whose 9 may be a 4 is
outlined for the clerk, not shown "sure, 95%".

Pieces come in as plain (text, confidence 0–100) pairs: nothing here imports the OCR. The
thresholds are calibrated by `bench/field_confidence.py` on the dev corpus and the synthetic
generalisation set (README, "Field confidences")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from thai.digits import fold_digits

# Tesseract's confidence in the least sure piece a field came from → the most the field may show
# (calibrated: of the fields then shown ≥ 0.9, 100% right on dev and 99.2% on the generalisation
# set; of the wrong ones, 100% and 97.7% shown below 0.9 — README, "Field confidences")
CAPS: list[tuple[float, float]] = [(88.0, 1.0), (60.0, 0.8), (0.0, 0.6)]
# fields a check digit or a closed list vouches for, however unsure the reading: a citizen ID
# whose check digit holds, a province, district or agency that is one of the lexicon's
VOUCHED = {"citizen_id", "province", "district", "subdistrict", "agency", "urgency", "category"}
NUMERIC = {"citizen_id", "phone", "doc_no", "references", "receipt_no", "date", "receipt_date", "house_no", "moo"}
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _numbers_of(name: str, value: object) -> tuple[set[str], str]:
    """The digit runs a field's value is made of (for a date: its day, month, Gregorian and
    Buddhist Era year, as a Thai page prints them), and all its digits together."""
    text = fold_digits(" ".join(value) if isinstance(value, list) else str(value))
    runs = set(_DIGITS.findall(text))
    if name in ("date", "receipt_date") and re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        year, month, day = text.split("-")
        runs = {year, str(int(year) + 543), day, str(int(day)), month, str(int(month))}
    return runs, "".join(_DIGITS.findall(text))


def reading(name: str, value: object, pieces: Iterable[tuple[str, float]]) -> float | None:
    """Tesseract's confidence in the least sure piece the field's value was read from; None
    when no piece can be told to be part of it, or the value needs no such evidence (VOUCHED)."""
    if name in VOUCHED:
        return None
    confs: list[float] = []
    if name in NUMERIC:
        runs, digits = _numbers_of(name, value)
        if not runs:
            return None
        for text, conf in pieces:
            got = _DIGITS.findall(fold_digits(text))
            if got and any(g in runs or (len(g) >= 3 and g in digits) for g in got):
                confs.append(conf)
    else:
        whole = _SPACE.sub("", str(value))
        if len(whole) < 2:
            return None
        for text, conf in pieces:
            t = _SPACE.sub("", text)
            if len(t) >= 2 and t in whole:
                confs.append(conf)
    return min(confs) if confs else None


def weigh(prior: float, sure: float | None) -> float:
    """The field's confidence: its rule's prior, capped by how sure the reading was."""
    if sure is None:
        return prior
    cap = next(c for floor, c in CAPS if sure >= floor)
    return min(prior, cap)
