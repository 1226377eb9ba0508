"""Numbers as people type and documents print them: Thai digits (๐–๙) and Arabic digits alike,
with or without dashes, spaces and dots between them."""

from __future__ import annotations

from thai.characters import ARABIC_DIGITS, THAI_DIGITS

FOLD_DIGITS = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)


def fold_digits(text: str) -> str:
    """๑๒๓ → 123."""
    return text.translate(FOLD_DIGITS)


def digits_only(value: object) -> str:
    """The digits of a typed number, Thai or Arabic, without dashes or spaces: '๐๘๑-๒๓๔' → '081234'."""
    return "".join(c for c in fold_digits(str(value or "")) if c.isdigit())
